import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Forbidden, InvalidRequest, NotFound, Unauthorized } from "../../errors";
import type { ObjectRow } from "../../storage/types";
import { createProject } from "./create";
import { projectEvents, projectFixture, projectRow, type ProjectFixture } from "./test-fixtures";
import { updateProject } from "./update";

let fx: ProjectFixture;
/** Alice's project, and how it was stored. */
let id: string;
let stored: ObjectRow;

beforeEach(async () => {
  fx = await projectFixture();
  id = (await createProject(fx.alice, { name: "Launch", status: "PLN", priority: 1 })).id;
  stored = (await projectRow(fx.rt, id))!;
  fx.rt.clock.advance(60_000);
});
afterEach(() => fx.rt.cleanup());

/** The project is as created and no edit was audited. */
async function expectUnchanged(): Promise<void> {
  expect(await projectRow(fx.rt, id)).toEqual(stored);
  expect(await projectEvents(fx.rt, "project.update")).toEqual([]);
}

describe("updateProject", () => {
  it("lets the owner change their project and records one audit event with the changed fields", async () => {
    await updateProject(fx.alice, id, { name: "Launch", status: "CUR", percentComplete: "12.5", plannedStartDate: "2026-02-01T00:00:00Z" });
    expect(await projectRow(fx.rt, id)).toEqual({
      ...stored,
      status: "CUR",
      percentComplete: 12.5,
      plannedStartDate: Date.UTC(2026, 1, 1),
      lastUpdateDate: fx.rt.clock.now(),
    });
    const events = await projectEvents(fx.rt, "project.update");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "project.update",
      subjectType: "project",
      subjectId: id,
      actorId: fx.alice.actor!.userId,
      actorName: "alice",
      details: { changed: ["status", "percentComplete", "plannedStartDate"] },
    });
  });

  it("lets an administrator edit anyone's project and give it to another user", async () => {
    const bobId = fx.bob.actor!.userId;
    await updateProject(fx.admin, id, { ownerID: bobId, description: null });
    expect(await projectRow(fx.rt, id)).toMatchObject({ ownerID: bobId, description: null });
    const [event] = await projectEvents(fx.rt, "project.update");
    expect(event).toMatchObject({ actorName: "admin", subjectId: id, details: { changed: ["ownerID"] } });
    await expect(updateProject(fx.alice, id, { name: "Mine again?" })).rejects.toBeInstanceOf(Forbidden);
    await updateProject(fx.bob, id, { name: "Bob's now" });
    expect((await projectRow(fx.rt, id))?.name).toBe("Bob's now");
  });

  it("moves lastUpdateDate on an edit that sets nothing new, and audits it with no changed fields", async () => {
    await updateProject(fx.alice, id, {});
    expect(await projectRow(fx.rt, id)).toEqual({ ...stored, lastUpdateDate: fx.rt.clock.now() });
    expect((await projectEvents(fx.rt, "project.update")).map((e) => e.details)).toEqual([{ changed: [] }]);
  });
});

describe("updateProject refuses, and then changes and audits nothing", () => {
  it("another user's project, before looking at the values", async () => {
    const refused = new Forbidden("You do not have permission to edit this project");
    await expect(updateProject(fx.bob, id, { name: "Bob was here" })).rejects.toThrow(refused);
    await expect(updateProject(fx.bob, id, { nosuchfield: 1, ownerID: fx.bob.actor!.userId })).rejects.toThrow(refused);
    await expectUnchanged();
  });

  it("an owner setting ownerID, even to themselves", async () => {
    for (const ownerID of [fx.bob.actor!.userId, fx.alice.actor!.userId, null]) {
      await expect(updateProject(fx.alice, id, { ownerID })).rejects.toThrow(new Forbidden("Only a System Administrator can set ownerID"));
    }
    await expectUnchanged();
  });

  it("nobody signed in", async () => {
    await expect(updateProject(fx.anonymous, id, { name: "x" })).rejects.toBeInstanceOf(Unauthorized);
    await expectUnchanged();
  });

  it("an unknown project", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    await expect(updateProject(fx.admin, other, { name: "x" })).rejects.toThrow(new NotFound(`Project with ID ${other} was not found`));
    await expect(updateProject(fx.bob, other, { ownerID: "x" })).rejects.toBeInstanceOf(NotFound);
    await expectUnchanged();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["an emptied name", { name: "" }, "name is required"],
    ["a null name", { name: null }, "name is required"],
    ["an unknown field", { status: "CUR", colour: "red" }, 'Invalid field "colour" for PROJ'],
    ["a read-only field", { lastUpdateDate: 0 }, "lastUpdateDate cannot be set"],
    ["an unknown status", { status: "cur" }, "status must be one of CUR, PLN, CPL, DED, ONH, REQ, APR, REJ, IDA"],
    ["a non-number percentComplete", { percentComplete: "half" }, 'Invalid value "half" for percentComplete (expected number)'],
    ["an array value", { priority: [1] }, "Invalid value for priority"],
  ])("%s", async (_what, values, message) => {
    await expect(updateProject(fx.alice, id, values)).rejects.toThrow(new InvalidRequest(message));
    await expectUnchanged();
  });

  it("an owner who is not a user", async () => {
    await expect(updateProject(fx.admin, id, { name: "x", ownerID: "nobody" })).rejects.toThrow(new InvalidRequest("No user with ID nobody"));
    await expectUnchanged();
  });
});
