/**
 * The read cache is invalidated by what a write touched. A statement run on the store's own connection
 * outside the store changes a row without evicting anything (and without moving data_version), so
 * a lookup that still answers the old value was served from memory: that is the marker used here.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser, newKey, newProject, newSession, T0 } from "../contract/fixtures";
import type { NewUser, Session, StoredApiKey } from "../types";
import { cacheKeys, ReadCache } from "./read-cache";
import { openSqliteTestStore, type SqliteTestStore } from "./testing";

let t: SqliteTestStore;
let admin: NewUser;
let user: NewUser;
let key: StoredApiKey;
let session: Session;

beforeEach(async () => {
  t = await openSqliteTestStore();
  const { store } = t;
  await store.settings.initialize(T0);
  admin = await createUser(store, { accessLevel: "admin" });
  user = await createUser(store);
  key = newKey(user.id);
  session = newSession(user.id);
  await store.apiKeys.put(key);
  await store.sessions.create(session);
  // Fill the cache with one of each.
  await store.apiKeys.byLookupHash(key.lookupHash);
  await store.sessions.byHash(session.idHash);
  await store.users.byId(admin.id);
  await store.users.byId(user.id);
  await store.settings.get();
});
afterEach(() => t.close());

/** Changes rows behind the store's back; cached lookups keep answering what they held. */
function mark(): void {
  t.sqlite.prepare("UPDATE api_keys SET hint = 'marked'").run();
  t.sqlite.prepare("UPDATE users SET name = 'marked'").run();
  t.sqlite.prepare("UPDATE sessions SET last_seen_at = 1").run();
  t.sqlite.prepare("UPDATE instance_settings SET lockout_minutes = 99").run();
}

/** Which lookups answer from memory (the old value) after mark(). */
async function served(): Promise<Record<string, boolean>> {
  const { store } = t;
  return {
    apiKey: (await store.apiKeys.byLookupHash(key.lookupHash))?.hint !== "marked",
    session: (await store.sessions.byHash(session.idHash))?.lastSeenAt !== 1,
    admin: (await store.users.byId(admin.id))?.name !== "marked",
    user: (await store.users.byId(user.id))?.name !== "marked",
    settings: (await store.settings.get()).lockoutMinutes !== 99,
  };
}

const ALL = { apiKey: true, session: true, admin: true, user: true, settings: true };

describe("read cache invalidation", () => {
  it("the markers work: with no write in between, every lookup is served from memory", async () => {
    mark();
    expect(await served()).toEqual(ALL);
  });

  it("a session insert leaves the cached API-key lookup (and everything else) in place", async () => {
    mark();
    await t.store.sessions.create(newSession(user.id));
    expect(t.cache.has(cacheKeys.apiKey(key.lookupHash))).toBe(true);
    expect(await served()).toEqual(ALL);
  });

  it("an API-key write evicts that key's lookup and nothing else", async () => {
    mark();
    await t.store.apiKeys.touch(user.id, T0 + 1);
    expect(t.cache.has(cacheKeys.apiKey(key.lookupHash))).toBe(false);
    expect(await served()).toEqual({ ...ALL, apiKey: false });
    expect((await t.store.apiKeys.byLookupHash(key.lookupHash))?.lastUsedAt).toBe(T0 + 1);
  });

  it("a sign-in's transaction (user update, session insert, audit row) evicts only that user", async () => {
    mark();
    await t.store.transaction(async (tx) => {
      await tx.users.update(user.id, { lastLoginAt: T0 + 1, updatedAt: T0 + 1 });
      await tx.sessions.create(newSession(user.id));
      await tx.audit.append({ at: T0 + 1, actorId: user.id, actorName: user.username, action: "session.start" });
    });
    expect(await served()).toEqual({ ...ALL, user: false });
  });

  it("replacing a key evicts the old lookup; deleting one evicts its lookup; deleteAll evicts the apikey namespace only", async () => {
    const other = newKey(admin.id);
    await t.store.apiKeys.put(other);
    await t.store.apiKeys.byLookupHash(other.lookupHash);
    expect(t.cache.has(cacheKeys.apiKey(other.lookupHash))).toBe(true);
    await t.store.apiKeys.put(newKey(user.id));
    expect([t.cache.has(cacheKeys.apiKey(key.lookupHash)), t.cache.has(cacheKeys.apiKey(other.lookupHash))]).toEqual([false, true]);
    await t.store.apiKeys.delete(admin.id);
    expect(t.cache.has(cacheKeys.apiKey(other.lookupHash))).toBe(false);
    await t.store.apiKeys.put((key = newKey(user.id)));
    await t.store.apiKeys.byLookupHash(key.lookupHash);
    await t.store.apiKeys.deleteAll();
    expect(t.cache.has(cacheKeys.apiKey(key.lookupHash))).toBe(false);
    for (const k of [cacheKeys.session(session.idHash), cacheKeys.user(user.id), cacheKeys.user(admin.id), cacheKeys.settings]) expect(t.cache.has(k)).toBe(true);
  });

  it("a user update evicts that user; a settings update evicts the settings", async () => {
    mark();
    await t.store.users.update(admin.id, { failedLogins: 1, updatedAt: T0 + 1 });
    expect(await served()).toEqual({ ...ALL, admin: false });
    mark();
    await t.store.settings.update({ lockoutThreshold: 4 });
    expect(await served()).toEqual({ ...ALL, admin: false, settings: false });
  });

  it("session writes evict exactly the sessions they touch or remove", async () => {
    const adminSession = newSession(admin.id);
    await t.store.sessions.create(adminSession);
    await t.store.sessions.byHash(adminSession.idHash);
    await t.store.sessions.touch(session.idHash, T0 + 1);
    expect([t.cache.has(cacheKeys.session(session.idHash)), t.cache.has(cacheKeys.session(adminSession.idHash))]).toEqual([false, true]);
    await t.store.sessions.byHash(session.idHash);
    await t.store.sessions.deleteForNonAdmins();
    expect([t.cache.has(cacheKeys.session(session.idHash)), t.cache.has(cacheKeys.session(adminSession.idHash))]).toEqual([false, true]);
    await t.store.sessions.deleteForUser(admin.id);
    expect(t.cache.has(cacheKeys.session(adminSession.idHash))).toBe(false);
    expect(t.cache.has(cacheKeys.apiKey(key.lookupHash))).toBe(true);
  });

  it("object writes: projects evict nothing; a USER row evicts that user; deleting a user evicts its sessions and key", async () => {
    mark();
    const p = newProject({ ownerID: user.id });
    await t.store.objects.insert("PROJ", p);
    await t.store.objects.update("PROJ", p.ID as string, { name: "Renamed" });
    await t.store.objects.delete("PROJ", p.ID as string);
    expect(await served()).toEqual(ALL);
    await t.store.objects.update("USER", admin.id, { emailAddr: "admin@example.com" });
    expect(await served()).toEqual({ ...ALL, admin: false });
    await t.store.objects.delete("USER", user.id);
    for (const k of [cacheKeys.user(user.id), cacheKeys.apiKey(key.lookupHash), cacheKeys.session(session.idHash)]) expect(t.cache.has(k)).toBe(false);
    expect(t.cache.has(cacheKeys.settings)).toBe(true);
  });

  it("reads inside a transaction neither fill nor use the cache; a rollback leaves no stale entry", async () => {
    t.cache.clear();
    await expect(
      t.store.transaction(async (tx) => {
        await tx.users.update(user.id, { name: "Uncommitted", updatedAt: T0 + 1 });
        expect((await tx.users.byId(user.id))?.name).toBe("Uncommitted");
        await tx.apiKeys.byLookupHash(key.lookupHash);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect([t.cache.has(cacheKeys.user(user.id)), t.cache.has(cacheKeys.apiKey(key.lookupHash))]).toEqual([false, false]);
    expect((await t.store.users.byId(user.id))?.name).toBe(user.name);
  });

  it("a commit by another connection clears everything (data_version), from the next turn on", async () => {
    const other = new Database(t.file);
    try {
      other.prepare("UPDATE audit_events SET action = action").run(); // touches no row: no commit to see
      other.prepare("INSERT INTO audit_events (at, actor_name, action) VALUES (0, 'x', 'y')").run();
      await new Promise((r) => setImmediate(r));
      mark();
      expect(await served()).toEqual({ apiKey: false, session: false, admin: false, user: false, settings: false });
    } finally {
      other.close();
    }
  });
});

describe("ReadCache", () => {
  it("keeps only positive results, frozen, by namespace", () => {
    const db = new Database(":memory:");
    const cache = new ReadCache(db);
    let loads = 0;
    const load = <T>(v: T) => () => (loads++, v);
    expect(cache.get(cacheKeys.user("a"), load(null))).toBeNull();
    expect(cache.get(cacheKeys.user("a"), load(null))).toBeNull();
    expect(loads).toBe(2);
    const v = cache.get(cacheKeys.user("a"), load({ n: 1 }));
    expect(Object.isFrozen(v)).toBe(true);
    cache.get(cacheKeys.apiKey("h"), load({ k: 1 }));
    cache.get(cacheKeys.settings, load({ s: 1 }));
    expect(cache.get(cacheKeys.user("a"), load({ n: 2 }))).toEqual({ n: 1 });
    cache.evictNamespace("user");
    expect([cache.has(cacheKeys.user("a")), cache.has(cacheKeys.apiKey("h")), cache.has(cacheKeys.settings)]).toEqual([false, true, true]);
    cache.evict(cacheKeys.settings);
    expect([cache.has(cacheKeys.apiKey("h")), cache.has(cacheKeys.settings)]).toEqual([true, false]);
    cache.clear();
    expect(cache.has(cacheKeys.apiKey("h"))).toBe(false);
    db.close();
  });
});
