import { describe, expect, it } from "vitest";
import { USER } from "../../domain/objects";
import type { Filter } from "../../domain/object-query";
import { createUser, filter, ids, newProject, newSession, newKey, query, sortBy, T0, type Current } from "./fixtures";

export function objectsContract(h: Current): void {
  describe("objects", () => {
    it("insert stores a row; byIds returns the fields asked, in the order of the ids asked, skipping unknown ones", async () => {
      const { store } = h();
      const [a, b] = [newProject({ name: "Alpha", description: "first" }), newProject({ name: "Beta", priority: 2 })];
      await store.objects.insert("PROJ", a);
      await store.objects.insert("PROJ", b);
      const rows = await store.objects.byIds("PROJ", [b.ID as string, "no-such-id", a.ID as string], ["ID", "name", "priority", "description"]);
      expect(rows).toEqual([
        { ID: b.ID, name: "Beta", priority: 2, description: null },
        { ID: a.ID, name: "Alpha", priority: 0, description: "first" },
      ]);
      expect(await store.objects.byIds("PROJ", [], ["ID"])).toEqual([]);
    });

    it("insert refuses an ID that exists", async () => {
      const { store } = h();
      const p = newProject();
      await store.objects.insert("PROJ", p);
      await expect(store.objects.insert("PROJ", { ...p, name: "Again" })).rejects.toThrow();
      expect((await store.objects.byIds("PROJ", [p.ID as string], ["ID", "name"]))[0]?.name).toBe(p.name);
    });

    it("search filters by comparison, set, range and null operators; count agrees and ignores paging", async () => {
      const { store } = h();
      const rows = [
        newProject({ name: "p1", priority: 1, status: "CUR", description: null }),
        newProject({ name: "p2", priority: 2, status: "PLN", description: "" }),
        newProject({ name: "p3", priority: 3, status: "CPL", description: "text" }),
        newProject({ name: "p4", priority: 4, status: "CUR", description: "more" }),
      ];
      for (const r of rows) await store.objects.insert("PROJ", r);
      const names = async (...filters: Filter[]) => {
        const q = query({ filters, sort: [sortBy("name")] });
        const found = (await store.objects.search("PROJ", q)).map((r) => r.name);
        expect(await store.objects.count("PROJ", { ...q, limit: 1, first: 1 })).toBe(found.length);
        return found;
      };
      expect(await names()).toEqual(["p1", "p2", "p3", "p4"]);
      expect(await names(filter("status", "eq", "CUR"))).toEqual(["p1", "p4"]);
      expect(await names(filter("status", "ne", "CUR"))).toEqual(["p2", "p3"]);
      expect(await names(filter("description", "ne", "text"))).toEqual(["p1", "p2", "p4"]);
      expect(await names(filter("priority", "gt", 2))).toEqual(["p3", "p4"]);
      expect(await names(filter("priority", "lte", 2))).toEqual(["p1", "p2"]);
      expect(await names(filter("priority", "between", 2, 3))).toEqual(["p2", "p3"]);
      expect(await names(filter("priority", "notbetween", 2, 3))).toEqual(["p1", "p4"]);
      expect(await names(filter("status", "in", "PLN", "CPL"))).toEqual(["p2", "p3"]);
      expect(await names(filter("status", "notin", "PLN", "CPL"))).toEqual(["p1", "p4"]);
      expect(await names(filter("description", "isnull"))).toEqual(["p1"]);
      expect(await names(filter("description", "notnull"))).toEqual(["p2", "p3", "p4"]);
      expect(await names(filter("description", "isblank"))).toEqual(["p1", "p2"]);
      expect(await names(filter("description", "notblank"))).toEqual(["p3", "p4"]);
      expect(await names(filter("status", "eq", "CUR"), filter("priority", "gte", 2))).toEqual(["p4"]);
    });

    it("search filters text by substring, prefix, suffix and LIKE patterns, with and without case, special characters literal", async () => {
      const { store } = h();
      // The last one matches "0%" and "e_n" only if % and _ were wildcards there.
      const texts = ["Release 50% faster", "release_notes", "Pre-release", "Other", "see notes 10 x"];
      for (const [i, name] of texts.entries()) await store.objects.insert("PROJ", newProject({ name, priority: i }));
      const found = async (op: Parameters<typeof filter>[1], value: string) =>
        (await store.objects.search("PROJ", query({ filters: [filter("name", op, value)], sort: [sortBy("priority")] }))).map((r) => r.name);
      expect(await found("contains", "release")).toEqual(["release_notes", "Pre-release"]);
      expect(await found("cicontains", "RELEASE")).toEqual(["Release 50% faster", "release_notes", "Pre-release"]);
      expect(await found("notcontains", "release")).toEqual(["Release 50% faster", "Other", "see notes 10 x"]);
      expect(await found("contains", "0%")).toEqual(["Release 50% faster"]);
      expect(await found("contains", "e_n")).toEqual(["release_notes"]);
      expect(await found("cieq", "OTHER")).toEqual(["Other"]);
      expect(await found("cine", "other")).toEqual(["Release 50% faster", "release_notes", "Pre-release", "see notes 10 x"]);
      expect(await found("startswith", "Re")).toEqual(["Release 50% faster"]);
      expect(await found("cistartswith", "re")).toEqual(["Release 50% faster", "release_notes"]);
      expect(await found("endswith", "release")).toEqual(["Pre-release"]);
      expect(await found("ciendswith", "FASTER")).toEqual(["Release 50% faster"]);
      expect(await found("like", "%elease%")).toEqual(["Release 50% faster", "release_notes", "Pre-release"]);
      expect(await found("like", "release_notes")).toEqual(["release_notes"]);
      expect(await found("like", "r_lease%")).toEqual(["release_notes"]);
      expect(await found("cilike", "r_lease%")).toEqual(["Release 50% faster", "release_notes"]);
      expect(await found("notlike", "%release%")).toEqual(["Release 50% faster", "Other", "see notes 10 x"]);
      expect(await found("cinotlike", "%release%")).toEqual(["Other", "see notes 10 x"]);
    });

    it("search over long text gives the same answers", async () => {
      const { store } = h();
      const long = "x".repeat(1900);
      await store.objects.insert("PROJ", newProject({ name: "needle", description: long + "Needle" + long }));
      await store.objects.insert("PROJ", newProject({ name: "hay", description: long + long }));
      const q = query({ filters: [filter("description", "cicontains", "needle")] });
      expect((await store.objects.search("PROJ", q)).map((r) => r.name)).toEqual(["needle"]);
      expect(await store.objects.count("PROJ", q)).toBe(1);
      const sorted = await store.objects.search("PROJ", query({ sort: [sortBy("description", "desc")], fields: ["name"] }));
      expect(sorted).toEqual([{ name: "hay" }, { name: "needle" }]);
    });

    it("search sorts by several keys in either direction", async () => {
      const { store } = h();
      const rows = [["b", 1], ["a", 2], ["c", 1], ["d", 2]] as const;
      for (const [name, priority] of rows) await store.objects.insert("PROJ", newProject({ name, priority }));
      const names = async (...sort: ReturnType<typeof sortBy>[]) => (await store.objects.search("PROJ", query({ sort }))).map((r) => r.name);
      expect(await names(sortBy("name"))).toEqual(["a", "b", "c", "d"]);
      expect(await names(sortBy("name", "desc"))).toEqual(["d", "c", "b", "a"]);
      expect(await names(sortBy("priority"), sortBy("name", "desc"))).toEqual(["c", "b", "d", "a"]);
      expect(await names(sortBy("priority", "desc"), sortBy("name"))).toEqual(["a", "d", "b", "c"]);
    });

    it("limit and first page through rows with equal sort keys, each row exactly once", async () => {
      const { store } = h();
      const all = [];
      for (let i = 0; i < 11; i++) all.push(newProject({ name: `same`, priority: i % 2 }));
      for (const p of all) await store.objects.insert("PROJ", p);
      for (const sort of [[], [sortBy("name")], [sortBy("priority", "desc")]]) {
        const seen: string[] = [];
        for (let first = 0; first < 12; first += 4) seen.push(...(await ids(store, query({ sort, limit: 4, first }))));
        expect(seen).toHaveLength(11);
        expect(new Set(seen)).toEqual(new Set(all.map((p) => p.ID as string)));
      }
      expect(await ids(store, query({ limit: 4, first: 11 }))).toEqual([]);
      expect(await store.objects.count("PROJ", query({ limit: 4, first: 8 }))).toBe(11);
    });

    it("update changes the values given; an empty update or an unknown ID changes nothing", async () => {
      const { store } = h();
      const p = newProject({ name: "Before", priority: 1 });
      await store.objects.insert("PROJ", p);
      await store.objects.update("PROJ", p.ID as string, { name: "After", description: "now described", lastUpdateDate: T0 + 1 });
      await store.objects.update("PROJ", p.ID as string, {});
      await store.objects.update("PROJ", "no-such-id", { name: "Ghost" });
      const fields = ["ID", "name", "priority", "description", "lastUpdateDate"];
      expect(await store.objects.byIds("PROJ", [p.ID as string], fields)).toEqual([{ ID: p.ID, name: "After", priority: 1, description: "now described", lastUpdateDate: T0 + 1 }]);
      expect(await store.objects.count("PROJ", query())).toBe(1);
    });

    it("delete removes a row and says whether there was one", async () => {
      const { store } = h();
      const [p, q] = [newProject(), newProject()];
      await store.objects.insert("PROJ", p);
      await store.objects.insert("PROJ", q);
      expect(await store.objects.delete("PROJ", p.ID as string)).toBe(true);
      expect(await store.objects.delete("PROJ", p.ID as string)).toBe(false);
      expect(await ids(store, query())).toEqual([q.ID]);
    });

    it("ownerOf answers a project's owner (or null), a user's own ID, and undefined for no row", async () => {
      const { store } = h();
      const u = await createUser(store);
      const [owned, orphan] = [newProject({ ownerID: u.id }), newProject({ ownerID: null })];
      await store.objects.insert("PROJ", owned);
      await store.objects.insert("PROJ", orphan);
      expect(await store.objects.ownerOf("PROJ", owned.ID as string)).toBe(u.id);
      expect(await store.objects.ownerOf("PROJ", orphan.ID as string)).toBeNull();
      expect(await store.objects.ownerOf("PROJ", "no-such-id")).toBeUndefined();
      expect(await store.objects.ownerOf("USER", u.id)).toBe(u.id);
      expect(await store.objects.ownerOf("USER", "no-such-id")).toBeUndefined();
    });

    it("USER rows are the users: searched with API field names and updated through objects as users.byId sees", async () => {
      const { store } = h();
      const u = await createUser(store, { username: "row.user", name: "Row User", email: "row@example.com" });
      const q = query({ def: USER, fields: ["ID", "username", "name", "emailAddr", "isActive"] });
      expect(await store.objects.search("USER", q)).toEqual([{ ID: u.id, username: "row.user", name: "Row User", emailAddr: "row@example.com", isActive: 1 }]);
      expect((await store.users.byId(u.id))?.name).toBe("Row User");
      await store.objects.update("USER", u.id, { name: "Renamed", isActive: 0, lastUpdateDate: T0 + 1 });
      expect(await store.users.byId(u.id)).toMatchObject({ name: "Renamed", isActive: false, updatedAt: T0 + 1 });
    });

    it("deleting a user removes its sessions and API key, and leaves its projects without an owner", async () => {
      const { store } = h();
      const u = await createUser(store);
      const other = await createUser(store);
      const [s, k, theirs] = [newSession(u.id), newKey(u.id), newSession(other.id)];
      await store.sessions.create(s);
      await store.sessions.create(theirs);
      await store.apiKeys.put(k);
      const p = newProject({ ownerID: u.id });
      await store.objects.insert("PROJ", p);
      expect(await store.users.byId(u.id)).not.toBeNull();
      expect(await store.sessions.byHash(s.idHash)).toEqual(s);
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toEqual(k);
      expect(await store.objects.delete("USER", u.id)).toBe(true);
      expect(await store.users.byId(u.id)).toBeNull();
      expect(await store.sessions.byHash(s.idHash)).toBeNull();
      expect(await store.apiKeys.byLookupHash(k.lookupHash)).toBeNull();
      expect(await store.apiKeys.byUser(u.id)).toBeNull();
      expect(await store.sessions.byHash(theirs.idHash)).toEqual(theirs);
      expect(await store.objects.ownerOf("PROJ", p.ID as string)).toBeNull();
    });
  });
}
