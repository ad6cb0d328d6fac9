import { describe, expect, it } from "vitest";
import { createUser, newKey, newSession, T0, type Current } from "./fixtures";

export function sessionsContract(h: Current): void {
  describe("sessions", () => {
    it("create stores a session that byHash returns; unknown hashes are null", async () => {
      const { store } = h();
      const u = await createUser(store);
      const s = newSession(u.id);
      await store.sessions.create({ ...s, ip: "192.0.2.1", userAgent: "test" });
      expect(await store.sessions.byHash(s.idHash)).toEqual(s);
      expect(await store.sessions.byHash("no-such-hash")).toBeNull();
    });

    it("create refuses a hash that is already in use", async () => {
      const { store } = h();
      const u = await createUser(store);
      const s = newSession(u.id);
      await store.sessions.create(s);
      await expect(store.sessions.create({ ...s, createdAt: T0 + 1 })).rejects.toThrow();
      expect(await store.sessions.byHash(s.idHash)).toEqual(s);
    });

    it("touch moves lastSeenAt", async () => {
      const { store } = h();
      const u = await createUser(store);
      const s = newSession(u.id);
      await store.sessions.create(s);
      await store.sessions.touch(s.idHash, T0 + 90_000);
      expect(await store.sessions.byHash(s.idHash)).toEqual({ ...s, lastSeenAt: T0 + 90_000 });
    });

    it("delete ends one session and leaves the others", async () => {
      const { store } = h();
      const u = await createUser(store);
      const [a, b] = [newSession(u.id), newSession(u.id)];
      await store.sessions.create(a);
      await store.sessions.create(b);
      await store.sessions.delete(a.idHash);
      await store.sessions.delete("no-such-hash");
      expect(await store.sessions.byHash(a.idHash)).toBeNull();
      expect(await store.sessions.byHash(b.idHash)).toEqual(b);
    });

    it("deleteForUser ends that user's sessions and says how many", async () => {
      const { store } = h();
      const [u, v] = [await createUser(store), await createUser(store)];
      const mine = [newSession(u.id), newSession(u.id)];
      const theirs = newSession(v.id);
      for (const s of [...mine, theirs]) await store.sessions.create(s);
      expect(await store.sessions.deleteForUser(u.id)).toBe(2);
      expect(await store.sessions.deleteForUser(u.id)).toBe(0);
      for (const s of mine) expect(await store.sessions.byHash(s.idHash)).toBeNull();
      expect(await store.sessions.byHash(theirs.idHash)).toEqual(theirs);
    });

    it("deleteForNonAdmins ends every session of users who are not administrators", async () => {
      const { store } = h();
      const admin = await createUser(store, { accessLevel: "admin" });
      const [u, v] = [await createUser(store), await createUser(store, { isActive: false })];
      const kept = newSession(admin.id);
      const ended = [newSession(u.id), newSession(u.id), newSession(v.id)];
      for (const s of [kept, ...ended]) await store.sessions.create(s);
      expect(await store.sessions.deleteForNonAdmins()).toBe(3);
      for (const s of ended) expect(await store.sessions.byHash(s.idHash)).toBeNull();
      expect(await store.sessions.byHash(kept.idHash)).toEqual(kept);
    });

    it("deleteAll ends every session, administrators' too", async () => {
      const { store } = h();
      const admin = await createUser(store, { accessLevel: "admin" });
      const u = await createUser(store);
      const all = [newSession(admin.id), newSession(u.id), newSession(u.id)];
      for (const s of all) await store.sessions.create(s);
      expect(await store.sessions.byHash(all[0]!.idHash)).toEqual(all[0]);
      expect(await store.sessions.deleteAll()).toBe(3);
      for (const s of all) expect(await store.sessions.byHash(s.idHash)).toBeNull();
      expect(await store.sessions.deleteAll()).toBe(0);
    });
  });
}

export function apiKeysContract(h: Current): void {
  describe("API keys", () => {
    it("put stores a user's key, found by user and by lookup hash; unknown ones are null", async () => {
      const { store } = h();
      const u = await createUser(store);
      const k = newKey(u.id);
      await store.apiKeys.put(k);
      expect(await store.apiKeys.byUser(u.id)).toEqual(k);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
      expect(await store.apiKeys.byUser("no-such-user")).toBeNull();
      expect(await store.apiKeys.byLookupHash("no-such-hash")).toBeNull();
    });

    it("put replaces the user's one key: the old lookup hash no longer finds anything", async () => {
      const { store } = h();
      const u = await createUser(store);
      const old = newKey(u.id, { lastUsedAt: T0 + 1 });
      await store.apiKeys.put(old);
      expect(await store.apiKeys.byLookupHash(old.lookupHash)).toEqual(old);
      const replacement = newKey(u.id, { createdAt: T0 + 2 });
      await store.apiKeys.put(replacement);
      expect(await store.apiKeys.byLookupHash(old.lookupHash)).toBeNull();
      expect(await store.apiKeys.byLookupHash(replacement.lookupHash)).toEqual(replacement);
      expect(await store.apiKeys.byUser(u.id)).toEqual(replacement);
      expect(await store.apiKeys.list()).toEqual([replacement]);
    });

    it("put refuses a lookup hash another user's key has", async () => {
      const { store } = h();
      const [u, v] = [await createUser(store), await createUser(store)];
      const k = newKey(u.id);
      await store.apiKeys.put(k);
      await expect(store.apiKeys.put(newKey(v.id, { lookupHash: k.lookupHash }))).rejects.toThrow();
      expect(await store.apiKeys.byUser(v.id)).toBeNull();
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
    });

    it("delete removes a user's key and says whether there was one", async () => {
      const { store } = h();
      const [u, v] = [await createUser(store), await createUser(store)];
      const [k, other] = [newKey(u.id), newKey(v.id)];
      await store.apiKeys.put(k);
      await store.apiKeys.put(other);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
      expect(await store.apiKeys.delete(u.id)).toBe(true);
      expect(await store.apiKeys.delete(u.id)).toBe(false);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
      expect(await store.apiKeys.byUser(u.id)).toBeNull();
      expect(await store.apiKeys.byLookupHash(other.lookupHash)).toEqual(other);
    });

    it("deleteAll removes every key and says how many", async () => {
      const { store } = h();
      const keys = [];
      for (let i = 0; i < 3; i++) keys.push(newKey((await createUser(store)).id));
      for (const k of keys) await store.apiKeys.put(k);
      for (const k of keys) expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
      expect(await store.apiKeys.deleteAll()).toBe(3);
      expect(await store.apiKeys.deleteAll()).toBe(0);
      expect(await store.apiKeys.list()).toEqual([]);
      for (const k of keys) expect(await store.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
    });

    it("touch records when the key was last used", async () => {
      const { store } = h();
      const u = await createUser(store);
      const k = newKey(u.id);
      await store.apiKeys.put(k);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
      await store.apiKeys.touch(u.id, T0 + 120_000);
      await store.apiKeys.touch("no-such-user", T0 + 120_000);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual({ ...k, lastUsedAt: T0 + 120_000 });
      expect(await store.apiKeys.byUser(u.id)).toEqual({ ...k, lastUsedAt: T0 + 120_000 });
    });

    it("list returns every stored key", async () => {
      const { store } = h();
      expect(await store.apiKeys.list()).toEqual([]);
      const keys = [];
      for (let i = 0; i < 3; i++) keys.push(newKey((await createUser(store)).id));
      for (const k of keys) await store.apiKeys.put(k);
      const listed = await store.apiKeys.list();
      expect([...listed].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(keys);
    });
  });
}
