import { describe, expect, it } from "vitest";
import type { AuditEvent, AuditFilter } from "../types";
import { DAY, event, T0, type Current } from "./fixtures";

const actions = (events: AuditEvent[]) => events.map((e) => e.action);

export function auditContract(h: Current): void {
  describe("audit", () => {
    it("append keeps every field; list returns the newest first", async () => {
      const { store } = h();
      const full = event("user.update", {
        actorId: "user-1",
        actorName: "Admin",
        subjectType: "user",
        subjectId: "user-2",
        ip: "192.0.2.7",
        userAgent: "agent/1",
        details: { changed: ["name"], nested: { n: 1, ok: true, none: null } },
      });
      await store.audit.append(event("first"));
      await store.audit.append(full);
      const [newest, oldest] = await store.audit.list({ limit: 10 });
      expect(newest).toMatchObject({ ...full, id: expect.any(Number) as number });
      expect(oldest).toMatchObject({ at: T0, actorId: null, actorName: "tester", action: "first", subjectType: null, subjectId: null, ip: null, userAgent: null, details: null });
      expect(newest!.id).toBeGreaterThan(oldest!.id);
    });

    it("list returns at most limit events, and beforeId pages back from a keyset cursor without repeats or gaps", async () => {
      const { store } = h();
      for (let i = 0; i < 10; i++) await store.audit.append(event(`step.${i}`, { at: T0 + (i % 3) }));
      const all = await store.audit.list({ limit: 100 });
      expect(actions(all)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `step.${i}`));
      const pages: string[][] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await store.audit.list({ limit: 4, beforeId });
        if (page.length === 0) break;
        pages.push(actions(page));
        beforeId = page[page.length - 1]!.id;
      }
      expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
      expect(pages.flat()).toEqual(actions(all));
    });

    it("an action filters exactly, or by a literal prefix ending in *", async () => {
      const { store } = h();
      for (const a of ["api_key.remove", "api_key.generate", "apiXkey.remove", "API_KEY.REMOVE", "user.create"]) await store.audit.append(event(a));
      expect(actions(await store.audit.list({ action: "api_key.remove", limit: 10 }))).toEqual(["api_key.remove"]);
      expect(actions(await store.audit.list({ action: "api_key.*", limit: 10 }))).toEqual(["api_key.generate", "api_key.remove"]);
      expect(actions(await store.audit.list({ action: "api_%", limit: 10 }))).toEqual([]);
      expect(actions(await store.audit.list({ action: "api%*", limit: 10 }))).toEqual([]);
      expect(await store.audit.list({ action: "*", limit: 10 })).toHaveLength(5);
      expect(await store.audit.list({ action: "api_key", limit: 10 })).toEqual([]);
    });

    it("an actor filters by a literal substring of the actor's name, ignoring case", async () => {
      const { store } = h();
      for (const actorName of ["50%_off", "5000 off", "Ada Admin", "system"]) await store.audit.append(event("x", { actorName }));
      const actors = async (actor: string) => (await store.audit.list({ actor, limit: 10 })).map((e) => e.actorName);
      expect(await actors("0%_")).toEqual(["50%_off"]);
      expect(await actors("5_%")).toEqual([]);
      expect(await actors("%")).toEqual(["50%_off"]);
      expect(await actors("admin")).toEqual(["Ada Admin"]);
      expect(await actors("0 OFF")).toEqual(["5000 off"]);
    });

    it("from and to bound the time, both inclusive, and combine with the other filters", async () => {
      const { store } = h();
      for (let d = 0; d < 5; d++) await store.audit.append(event(d % 2 ? "odd.day" : "even.day", { at: T0 + d * DAY, actorName: d < 3 ? "early" : "late" }));
      const days = async (f: AuditFilter) => (await store.audit.list(f)).map((e) => (e.at - T0) / DAY);
      expect(await days({ from: T0 + DAY, to: T0 + 3 * DAY, limit: 10 })).toEqual([3, 2, 1]);
      expect(await days({ from: T0 + 3 * DAY, limit: 10 })).toEqual([4, 3]);
      expect(await days({ to: T0, limit: 10 })).toEqual([0]);
      expect(await days({ action: "even.*", from: T0 + DAY, limit: 10 })).toEqual([4, 2]);
      expect(await days({ action: "even.day", actor: "ear", limit: 10 })).toEqual([2, 0]);
      expect(await days({ actor: "late", to: T0 + 3 * DAY, limit: 10 })).toEqual([3]);
    });

    it("is append-only: changing or removing an event fails and leaves it as it was", async () => {
      const h0 = h();
      await h0.store.audit.append(event("kept", { details: { a: 1 } }));
      const [before] = await h0.store.audit.list({ limit: 1 });
      await expect(h0.tamperWithAudit(before!.id, "update")).rejects.toThrow();
      await expect(h0.tamperWithAudit(before!.id, "delete")).rejects.toThrow();
      expect(await h0.store.audit.list({ limit: 10 })).toEqual([before]);
    });
  });
}
