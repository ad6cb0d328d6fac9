import { describe, expect, it } from "vitest";
import { Boom, createUser, event, ids, newKey, newProject, newSession, newUser, query, T0, type Current } from "./fixtures";

export function transactionsContract(h: Current): void {
  describe("transactions", () => {
    it("commit: the result of fn is returned and its writes are there afterwards", async () => {
      const { store } = h();
      const u = newUser();
      const result = await store.transaction(async (tx) => {
        await tx.users.create(u);
        await tx.audit.append(event("user.create", { subjectId: u.id }));
        return "done";
      });
      expect(result).toBe("done");
      expect((await store.users.byId(u.id))?.username).toBe(u.username);
      expect(actions(await store.audit.list({ limit: 10 }))).toEqual(["user.create"]);
    });

    it("a thrown error rolls everything back, audit rows included, and is rethrown as it was", async () => {
      const { store } = h();
      await store.settings.initialize(T0);
      const u = await createUser(store);
      const [s, k, p] = [newSession(u.id), newKey(u.id), newProject()];
      const error = new Boom();
      const outcome = store.transaction(async (tx) => {
        await tx.audit.append(event("test.rollback"));
        await tx.users.create(newUser({ username: "rolled.back" }));
        await tx.users.update(u.id, { name: "Changed", updatedAt: T0 + 1 });
        await tx.settings.update({ ssoOnly: true, ssoType: "saml2", updatedAt: T0 + 1 });
        await tx.sessions.create(s);
        await tx.apiKeys.put(k);
        await tx.objects.insert("PROJ", p);
        await tx.customer.create({ customerId: "c", name: "C", secretFingerprint: null, createdAt: T0 });
        throw error;
      });
      await expect(outcome).rejects.toBe(error);
      expect(await store.audit.list({ limit: 10 })).toEqual([]);
      expect(await store.users.byUsername("rolled.back")).toBeNull();
      expect((await store.users.byId(u.id))?.name).toBe(u.name);
      expect(await store.settings.get()).toMatchObject({ ssoOnly: false, ssoType: "none", updatedAt: T0 });
      expect(await store.sessions.byHash(s.idHash)).toBeNull();
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
      expect(await ids(store, query())).toEqual([]);
      expect(await store.customer.get()).toBeNull();
    });

    it("a failing statement inside rolls back the writes before it when the error propagates", async () => {
      const { store } = h();
      const u = await createUser(store, { username: "taken" });
      await expect(
        store.transaction(async (tx) => {
          await tx.audit.append(event("user.create"));
          await tx.users.create(newUser({ username: "TAKEN" }));
        }),
      ).rejects.toThrow();
      expect(await store.audit.list({ limit: 10 })).toEqual([]);
      expect((await store.users.list({ limit: 10, offset: 0 })).users.map((x) => x.id)).toEqual([u.id]);
    });

    it("reads inside a transaction see its own writes", async () => {
      const { store } = h();
      const u = await createUser(store);
      expect((await store.users.byId(u.id))?.name).toBe(u.name);
      await store.transaction(async (tx) => {
        await tx.users.update(u.id, { name: "Inside", updatedAt: T0 + 1 });
        expect((await tx.users.byId(u.id))?.name).toBe("Inside");
        await tx.objects.insert("PROJ", newProject({ name: "new" }));
        expect((await tx.objects.search("PROJ", query({ fields: ["name"] }))).map((r) => r.name)).toEqual(["new"]);
        expect(await tx.objects.count("PROJ", query())).toBe(1);
        await tx.audit.append(event("inside"));
        expect(actions(await tx.audit.list({ limit: 10 }))).toEqual(["inside"]);
      });
    });

    it("a transaction opened on the transaction's store joins it and rolls back with it", async () => {
      const { store } = h();
      await expect(
        store.transaction(async (tx) => {
          await tx.transaction(async (inner) => inner.audit.append(event("inner")));
          await tx.audit.append(event("outer"));
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.audit.list({ limit: 10 })).toEqual([]);
    });

    it("keeps other callers' statements out of an open transaction", async () => {
      const { store } = h();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const tx = store.transaction(async (t) => {
        await t.audit.append(event("test.inside"));
        await gate; // a transaction that waits (it should not, but must still be isolated)
        throw new Error("abort");
      });
      const outside = store.audit.append(event("test.outside"));
      await new Promise((r) => setTimeout(r, 20));
      release();
      await expect(tx).rejects.toThrow("abort");
      await outside;
      expect(actions(await store.audit.list({ limit: 10 }))).toEqual(["test.outside"]);
    });

    it("concurrent transactions are serialised: a read-modify-write in each loses no update", async () => {
      const { store } = h();
      const u = await createUser(store);
      const bump = () =>
        store.transaction(async (tx) => {
          const n = (await tx.users.byId(u.id))!.failedLogins;
          await tx.audit.append(event("bump"));
          await tx.users.update(u.id, { failedLogins: n + 1, updatedAt: T0 });
        });
      await Promise.all(Array.from({ length: 5 }, bump));
      expect((await store.users.byId(u.id))?.failedLogins).toBe(5);
    });
  });
}

const actions = (events: { action: string }[]) => events.map((e) => e.action);
