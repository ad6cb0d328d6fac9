/**
 * Each project verb writes the project and its audit event in one transaction: when the audit event
 * cannot be written, the project write (which had happened inside the transaction) is undone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ObjectRow } from "../../storage/types";
import { createProject } from "./create";
import { removeProject } from "./remove";
import { failingAudit, projectCount, projectEvents, projectFixture, projectRow, type ProjectFixture } from "./test-fixtures";
import { updateProject } from "./update";

const AUDIT_DOWN = "the audit log is unavailable";

let fx: ProjectFixture;
let id: string;
let stored: ObjectRow;

beforeEach(async () => {
  fx = await projectFixture();
  id = (await createProject(fx.alice, { name: "Launch" })).id;
  stored = (await projectRow(fx.rt, id))!;
  fx.rt.clock.advance(60_000);
});
afterEach(() => fx.rt.cleanup());

describe("a failed audit write undoes the project write", () => {
  it("create: no project remains", async () => {
    const { ctx, seenInTransaction } = failingAudit(fx.alice);
    await expect(createProject(ctx, { name: "Doomed" })).rejects.toThrow(AUDIT_DOWN);
    expect(seenInTransaction).toEqual([{ ID: expect.any(String), name: "Doomed" }]);
    expect(await projectRow(fx.rt, seenInTransaction[0]!.ID as string)).toBeUndefined();
    expect(await projectCount(fx.rt)).toBe(1);
    expect((await projectEvents(fx.rt)).map((e) => e.action)).toEqual(["project.create"]);
  });

  it("update: the project keeps its values", async () => {
    const { ctx, seenInTransaction } = failingAudit(fx.admin);
    await expect(updateProject(ctx, id, { name: "Renamed", ownerID: fx.bob.actor!.userId })).rejects.toThrow(AUDIT_DOWN);
    expect(seenInTransaction).toEqual([{ ID: id, name: "Renamed" }]);
    expect(await projectRow(fx.rt, id)).toEqual(stored);
    expect((await projectEvents(fx.rt)).map((e) => e.action)).toEqual(["project.create"]);
  });

  it("delete: the project is still there", async () => {
    const { ctx, seenInTransaction } = failingAudit(fx.alice);
    await expect(removeProject(ctx, id)).rejects.toThrow(AUDIT_DOWN);
    expect(seenInTransaction).toEqual([undefined]);
    expect(await projectRow(fx.rt, id)).toEqual(stored);
    expect((await projectEvents(fx.rt)).map((e) => e.action)).toEqual(["project.create"]);
  });

  it("the store still takes writes afterwards", async () => {
    await expect(createProject(failingAudit(fx.alice).ctx, { name: "Doomed" })).rejects.toThrow(AUDIT_DOWN);
    await updateProject(fx.alice, id, { name: "Fine" });
    expect((await projectRow(fx.rt, id))?.name).toBe("Fine");
    expect((await projectEvents(fx.rt)).map((e) => e.action)).toEqual(["project.update", "project.create"]);
  });
});
