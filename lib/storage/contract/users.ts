import { describe, expect, it } from "vitest";
import { createUser, DAY, newUser, T0, type Current } from "./fixtures";

export function usersContract(h: Current): void {
  describe("users", () => {
    it("create stores a user that byId returns whole, secret included, updated when created", async () => {
      const { store } = h();
      const u = await createUser(store, { email: "", accessLevel: "admin" });
      expect(await store.users.byId(u.id)).toEqual({ kind: "person", isDeveloper: false, ...u, failedLogins: 0, lockedUntil: null, lastLoginAt: null, updatedAt: u.createdAt });
    });

    it("technical accounts are kept apart: not listed, not counted as administrators, found by ID", async () => {
      const { store } = h();
      const person = await createUser(store, { username: "person-admin", accessLevel: "admin" });
      await store.users.create(newUser({ id: "ABC@techacct.keyward", username: "ABC@techacct.keyward", accessLevel: "admin", kind: "technical" }));
      const listed = await store.users.list({ limit: 50, offset: 0 });
      expect(listed.users.map((u) => u.id)).not.toContain("ABC@techacct.keyward");
      expect(listed.users.map((u) => u.id)).toContain(person.id);
      expect(await store.users.list({ search: "techacct", limit: 50, offset: 0 })).toEqual({ users: [], total: 0 });
      expect(await store.users.countAdmins()).toBe(listed.users.filter((u) => u.accessLevel === "admin").length);
      expect(await store.users.byId("ABC@techacct.keyward")).toMatchObject({ kind: "technical", isDeveloper: false });
    });

    it("byId and byUsername answer null for unknown users", async () => {
      const { store } = h();
      await createUser(store);
      expect(await store.users.byId("no-such-id")).toBeNull();
      expect(await store.users.byUsername("nobody")).toBeNull();
    });

    it("byUsername finds a user whatever the case of the name asked", async () => {
      const { store } = h();
      const u = await createUser(store, { username: "Ada.Lovelace" });
      for (const asked of ["Ada.Lovelace", "ada.lovelace", "ADA.LOVELACE"]) expect((await store.users.byUsername(asked))?.id).toBe(u.id);
      expect(await store.users.byUsername("ada.lovelac")).toBeNull();
    });

    it("usernames are unique regardless of case, and ids are unique", async () => {
      const { store } = h();
      const u = await createUser(store, { username: "grace" });
      await expect(store.users.create(newUser({ username: "grace" }))).rejects.toThrow();
      await expect(store.users.create(newUser({ username: "GRACE" }))).rejects.toThrow();
      await expect(store.users.create(newUser({ id: u.id }))).rejects.toThrow();
      expect((await store.users.list({ limit: 10, offset: 0 })).total).toBe(1);
    });

    it("update applies the patch and its updatedAt, and leaves other fields alone", async () => {
      const { store } = h();
      const u = await createUser(store, { username: "linus" });
      await store.users.update(u.id, { failedLogins: 3, lockedUntil: T0 + DAY, lastLoginAt: T0 + 1, isActive: false, updatedAt: T0 + 2 });
      expect(await store.users.byId(u.id)).toMatchObject({ ...u, failedLogins: 3, lockedUntil: T0 + DAY, lastLoginAt: T0 + 1, isActive: false, updatedAt: T0 + 2 });
      await store.users.update(u.id, { lockedUntil: null, username: "torvalds", accessLevel: "admin", passwordHash: "new-hash", updatedAt: T0 + 3 });
      const after = await store.users.byId(u.id);
      expect(after).toMatchObject({ lockedUntil: null, username: "torvalds", accessLevel: "admin", passwordHash: "new-hash", name: u.name, failedLogins: 3 });
      expect(await store.users.byUsername("linus")).toBeNull();
      expect((await store.users.byUsername("Torvalds"))?.id).toBe(u.id);
    });

    it("update of an unknown user changes nothing", async () => {
      const { store } = h();
      const u = await createUser(store);
      await store.users.update("no-such-id", { name: "Ghost", updatedAt: T0 + 1 });
      expect((await store.users.list({ limit: 10, offset: 0 })).users.map((x) => [x.id, x.name])).toEqual([[u.id, u.name]]);
    });

    it("update refuses a username another user has, in any case", async () => {
      const { store } = h();
      await createUser(store, { username: "taken" });
      const u = await createUser(store, { username: "free" });
      await expect(store.users.update(u.id, { username: "TAKEN", updatedAt: T0 + 1 })).rejects.toThrow();
      expect((await store.users.byId(u.id))?.username).toBe("free");
    });

    it("list orders by username ignoring case, omits the password hash and counts all", async () => {
      const { store } = h();
      for (const username of ["charlie", "Bravo", "alpha", "Delta"]) await createUser(store, { username });
      const { users, total } = await store.users.list({ limit: 10, offset: 0 });
      expect(users.map((u) => u.username)).toEqual(["alpha", "Bravo", "charlie", "Delta"]);
      expect(total).toBe(4);
      for (const u of users) expect(u).not.toHaveProperty("passwordHash");
      expect(users[0]).toMatchObject({ accessLevel: "user", isActive: true, failedLogins: 0, lockedUntil: null, lastLoginAt: null });
    });

    it("list pages with limit and offset; total counts every match", async () => {
      const { store } = h();
      for (let i = 0; i < 7; i++) await createUser(store, { username: `page.${i}` });
      const pages = [];
      for (let offset = 0; offset < 9; offset += 3) pages.push(await store.users.list({ limit: 3, offset }));
      expect(pages.map((p) => p.users.map((u) => u.username))).toEqual([["page.0", "page.1", "page.2"], ["page.3", "page.4", "page.5"], ["page.6"]]);
      expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
      expect((await store.users.list({ limit: 3, offset: 10 })).users).toEqual([]);
    });

    it("list search matches a substring of username, name or email, ignoring case; blank means all", async () => {
      const { store } = h();
      await createUser(store, { username: "ann", name: "Ann Smith", email: "ann@one.example" });
      await createUser(store, { username: "bob", name: "Robert Jones", email: "bob@two.example" });
      await createUser(store, { username: "cy", name: "Cy Young", email: "young@two.example" });
      const found = async (search: string) => (await store.users.list({ search, limit: 10, offset: 0 })).users.map((u) => u.username);
      expect(await found("ANN")).toEqual(["ann"]);
      expect(await found("jones")).toEqual(["bob"]);
      expect(await found("two.example")).toEqual(["bob", "cy"]);
      expect(await found("  young  ")).toEqual(["cy"]);
      expect(await found("   ")).toEqual(["ann", "bob", "cy"]);
      expect((await store.users.list({ search: "o", limit: 1, offset: 0 })).total).toBe(3);
    });

    it("list search takes %, _ and \\ literally", async () => {
      const { store } = h();
      await createUser(store, { username: "plain", name: "Plain", email: "" });
      await createUser(store, { username: "under_score", name: "U", email: "" });
      await createUser(store, { username: "pct", name: "50% off", email: "" });
      await createUser(store, { username: "slash", name: "back\\slash", email: "" });
      const found = async (search: string) => (await store.users.list({ search, limit: 10, offset: 0 })).users.map((u) => u.username);
      expect(await found("%")).toEqual(["pct"]);
      expect(await found("_")).toEqual(["under_score"]);
      expect(await found("r_s")).toEqual(["under_score"]);
      expect(await found("0%")).toEqual(["pct"]);
      expect(await found("\\")).toEqual(["slash"]);
      expect(await found("p%t")).toEqual([]);
      expect(await found("pl_in")).toEqual([]);
    });

    it("countAdmins counts administrators, or only active ones", async () => {
      const { store } = h();
      await createUser(store, { accessLevel: "admin" });
      await createUser(store, { accessLevel: "admin", isActive: false });
      await createUser(store, { accessLevel: "user" });
      expect(await store.users.countAdmins()).toBe(2);
      expect(await store.users.countAdmins({ activeOnly: true })).toBe(1);
      expect(await store.users.countAdmins({ activeOnly: false })).toBe(2);
    });
  });
}
