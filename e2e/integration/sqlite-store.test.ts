/**
 * What only the SQLite adapter promises. The generic behaviour of every store (ordering, paging,
 * literal LIKE, rollbacks, append-only audit, ...) is the Store contract (store-contract.test.ts).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newCertificate } from "../../lib/storage/contract/certificates";
import { createUser, newSession, T0 } from "../../lib/storage/contract/fixtures";
import { openSqliteTestStore, type SqliteTestStore } from "../../lib/storage/sqlite/testing";
import { ADMIN, api, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

describe("SQLite store", () => {
  let t: SqliteTestStore;
  beforeEach(async () => {
    t = await openSqliteTestStore();
  });
  afterEach(() => t.close());

  it("runs in WAL mode with foreign keys enforced on the store's connection", async () => {
    expect(t.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(t.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    await expect(t.store.sessions.create(newSession("missing"))).rejects.toThrow(/FOREIGN KEY/);
  });

  it("refuses audit edits and deletions in the database itself (triggers)", async () => {
    await t.store.audit.append({ at: T0, actorId: null, actorName: "tester", action: "kept" });
    expect(() => t.sqlite.prepare("UPDATE audit_events SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => t.sqlite.prepare("DELETE FROM audit_events").run()).toThrow(/append-only/);
  });

  it("settings.get writes nothing when the row is missing; initialize writes it", async () => {
    const rows = () => t.sqlite.prepare("SELECT count(*) FROM instance_settings").pluck().get();
    await expect(t.store.settings.get()).rejects.toThrow(/not initialised/);
    expect(rows()).toBe(0);
    await t.store.settings.initialize(T0);
    expect(rows()).toBe(1);
  });

  it("takes the time of a settings update without updatedAt from the clock it was given", async () => {
    await t.store.settings.initialize(T0);
    t.clock.set(T0 + 12_345);
    expect((await t.store.settings.update({ lockoutMinutes: 20 })).updatedAt).toBe(T0 + 12_345);
  });

  it("hands out frozen copies that callers cannot change", async () => {
    await t.store.settings.initialize(T0);
    const u = await createUser(t.store);
    for (const v of [await t.store.settings.get(), await t.store.users.byId(u.id)]) {
      expect(Object.isFrozen(v)).toBe(true);
      expect(() => {
        (v as { updatedAt: number }).updatedAt = 1;
      }).toThrow(TypeError);
    }
    expect((await t.store.settings.get()).updatedAt).toBe(T0);
  });

  it("caches the certificate list under its own key, evicted by certificate writes only", async () => {
    await t.store.settings.initialize(T0);
    await t.store.settings.get();
    expect(await t.store.certificates.list()).toEqual([]);
    expect(t.cache.has("certificates")).toBe(true);
    const c = newCertificate("current");
    await t.store.certificates.put(c);
    expect(t.cache.has("certificates")).toBe(false);
    expect(t.cache.has("settings")).toBe(true);
    expect(await t.store.certificates.list()).toEqual([c]);
    t.sqlite.prepare("DELETE FROM api_certificates").run(); // bypasses the store: the cached list stays
    expect(await t.store.certificates.list()).toEqual([c]);
    await t.store.certificates.delete("next");
    expect(await t.store.certificates.list()).toEqual([]);
  });

  it("close closes the connection; closing twice is harmless", async () => {
    await t.store.close();
    expect(t.sqlite.open).toBe(false);
    await expect(t.store.close()).resolves.toBeUndefined();
  });
});

/** A request from a client always starts on a later turn of the event loop than another process's write. */
const nextTurn = () => new Promise((r) => setImmediate(r));

describe("read cache (data_version)", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.cleanup());

  it("sees revocations and deactivations written by another process at once", async () => {
    const key = (await api("/user?action=generateApiKey&method=PUT", { form: ADMIN })).body.data.result;
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(200);
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(200); // now served from memory

    const other = new Database(path.join(rt.dir, "keyward.db"));
    other.prepare("DELETE FROM api_keys").run();
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(401);

    const again = (await api("/user?action=generateApiKey&method=PUT", { form: ADMIN })).body.data.result;
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(200);
    other.prepare("UPDATE instance_settings SET api_key_expiry = '1m', api_key_expiry_changed_at = ?").run(rt.clock.now() - 40 * 86_400_000);
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(200);
    other.prepare("UPDATE users SET is_active = 0 WHERE username = ?").run(ADMIN.username);
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(401);
    other.prepare("UPDATE users SET is_active = 1 WHERE username = ?").run(ADMIN.username);
    other.close();
  });
});
