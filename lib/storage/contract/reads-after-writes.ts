/**
 * A read after a write answers what the write left, however the adapter keeps reads (the SQLite one
 * caches the lookups every API call makes); and a rolled-back write leaves reads as before.
 */
import { describe, expect, it } from "vitest";
import { Boom, createUser, newKey, newSession, T0, type Current } from "./fixtures";

export function readsAfterWritesContract(h: Current): void {
  describe("reads after writes", () => {
    it("users.byId, read twice, then after users.update and an update of its USER row", async () => {
      const { store } = h();
      const u = await createUser(store);
      await store.users.byId(u.id);
      expect((await store.users.byId(u.id))?.name).toBe(u.name);
      await store.users.update(u.id, { name: "Second", updatedAt: T0 + 1 });
      expect((await store.users.byId(u.id))?.name).toBe("Second");
      await store.objects.update("USER", u.id, { name: "Third" });
      expect((await store.users.byId(u.id))?.name).toBe("Third");
    });

    it("apiKeys.byLookupHash after touch, replacement and delete", async () => {
      const { store } = h();
      const u = await createUser(store);
      const k = newKey(u.id);
      await store.apiKeys.put(k);
      await store.apiKeys.byLookupHash(k.lookupHash);
      await store.apiKeys.touch(u.id, T0 + 1);
      expect((await store.apiKeys.byLookupHash(k.lookupHash))?.lastUsedAt).toBe(T0 + 1);
      const next = newKey(u.id);
      await store.apiKeys.put(next);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
      expect(await store.apiKeys.byLookupHash(next.lookupHash)).toEqual(next);
      await store.apiKeys.delete(u.id);
      expect(await store.apiKeys.byLookupHash(next.lookupHash)).toBeNull();
    });

    it("sessions.byHash after touch, delete, deleteForUser and deleteForNonAdmins", async () => {
      const { store } = h();
      const u = await createUser(store);
      const [a, b, c] = [newSession(u.id), newSession(u.id), newSession(u.id)];
      for (const s of [a, b, c]) await store.sessions.create(s);
      for (const s of [a, b, c]) await store.sessions.byHash(s.idHash);
      await store.sessions.touch(a.idHash, T0 + 1);
      expect((await store.sessions.byHash(a.idHash))?.lastSeenAt).toBe(T0 + 1);
      await store.sessions.delete(a.idHash);
      expect(await store.sessions.byHash(a.idHash)).toBeNull();
      await store.sessions.deleteForUser(u.id);
      expect(await store.sessions.byHash(b.idHash)).toBeNull();
      const d = newSession(u.id);
      await store.sessions.create(d);
      await store.sessions.byHash(d.idHash);
      await store.sessions.deleteForNonAdmins();
      expect(await store.sessions.byHash(d.idHash)).toBeNull();
    });

    it("settings.get after update, inside and outside a transaction", async () => {
      const { store } = h();
      await store.settings.initialize(T0);
      await store.settings.get();
      await store.settings.update({ lockoutThreshold: 7, updatedAt: T0 + 1 });
      expect((await store.settings.get()).lockoutThreshold).toBe(7);
      await store.transaction(async (tx) => {
        await tx.settings.update({ lockoutThreshold: 8, updatedAt: T0 + 2 });
      });
      expect((await store.settings.get()).lockoutThreshold).toBe(8);
    });

    it("a rolled-back transaction leaves every read as it was before", async () => {
      const { store } = h();
      await store.settings.initialize(T0);
      const u = await createUser(store);
      const [s, k] = [newSession(u.id), newKey(u.id)];
      await store.sessions.create(s);
      await store.apiKeys.put(k);
      const before = [await store.users.byId(u.id), await store.sessions.byHash(s.idHash), await store.apiKeys.byLookupHash(k.lookupHash), await store.settings.get()];
      await expect(
        store.transaction(async (tx) => {
          await tx.users.update(u.id, { name: "Gone", isActive: false, updatedAt: T0 + 1 });
          await tx.sessions.touch(s.idHash, T0 + 1);
          await tx.apiKeys.deleteAll();
          await tx.settings.update({ ssoOnly: true, updatedAt: T0 + 1 });
          // Read inside, so a cache would see the uncommitted values.
          expect((await tx.users.byId(u.id))?.name).toBe("Gone");
          expect(await tx.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      const after = [await store.users.byId(u.id), await store.sessions.byHash(s.idHash), await store.apiKeys.byLookupHash(k.lookupHash), await store.settings.get()];
      expect(after).toEqual(before);
    });

    it("close resolves", async () => {
      await expect(h().store.close()).resolves.toBeUndefined();
    });
  });
}
