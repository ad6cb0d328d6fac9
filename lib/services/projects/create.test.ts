import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Forbidden, InvalidRequest, Unauthorized } from "../../errors";
import { createProject } from "./create";
import { projectCount, projectEvents, projectFixture, projectRow, type ProjectFixture } from "./test-fixtures";

let fx: ProjectFixture;

beforeEach(async () => {
  fx = await projectFixture();
});
afterEach(() => fx.rt.cleanup());

describe("createProject", () => {
  it("stores a project owned by its creator and records one audit event", async () => {
    const { id } = await createProject(fx.alice, { name: "Launch", status: "PLN", priority: "2", description: "d".repeat(4000) });
    const now = fx.rt.clock.now();
    expect(await projectRow(fx.rt, id)).toMatchObject({
      ID: id,
      name: "Launch",
      status: "PLN",
      priority: 2,
      ownerID: fx.alice.actor!.userId,
      entryDate: now,
      lastUpdateDate: now,
    });
    const events = await projectEvents(fx.rt);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "project.create",
      subjectType: "project",
      subjectId: id,
      actorId: fx.alice.actor!.userId,
      actorName: "alice",
      ip: "192.0.2.7",
      at: now,
      details: { fields: ["name", "status", "priority", "description"], ownerID: fx.alice.actor!.userId },
    });
    expect(JSON.stringify(events[0]!.details)).not.toContain("ddd");
  });

  it("lets an administrator create a project for another user", async () => {
    const bobId = fx.bob.actor!.userId;
    const { id } = await createProject(fx.admin, { name: "For Bob", ownerid: bobId });
    expect((await projectRow(fx.rt, id))?.ownerID).toBe(bobId);
    const [event] = await projectEvents(fx.rt);
    expect(event).toMatchObject({ actorName: "admin", subjectId: id, details: { fields: ["name", "ownerID"], ownerID: bobId } });
  });

  it("ignores ID and objCode in the values", async () => {
    const { id } = await createProject(fx.alice, { name: "Mine", ID: "chosen-id", objCode: "USER" });
    expect(id).not.toBe("chosen-id");
    expect(await projectRow(fx.rt, id)).toMatchObject({ name: "Mine" });
  });
});

describe("createProject refuses, and then stores and audits nothing", () => {
  const refusals: [string, Record<string, unknown>, string][] = [
    ["no name", { priority: 1 }, "name is required"],
    ["a blank name", { name: "  " }, "name is required"],
    ["an unknown field", { name: "x", nosuchfield: 1 }, 'Invalid field "nosuchfield" for PROJ'],
    ["a read-only field", { name: "x", entryDate: "2026-01-01" }, "entryDate cannot be set"],
    ["an unknown status", { name: "x", status: "WAT" }, "status must be one of CUR, PLN, CPL, DED, ONH, REQ, APR, REJ, IDA"],
    ["a non-integer priority", { name: "x", priority: "high" }, 'Invalid value "high" for priority (expected integer)'],
    ["a date out of range", { name: "x", plannedStartDate: 1e17 }, "Invalid value 100000000000000000 for plannedStartDate (expected date)"],
    ["an object value", { name: { first: "x" } }, "Invalid value for name"],
    ["a name that is too long", { name: "n".repeat(256) }, "name is longer than 255 characters"],
  ];

  it.each(refusals)("%s", async (_what, values, message) => {
    await expect(createProject(fx.alice, values)).rejects.toThrow(new InvalidRequest(message));
    expect(await projectCount(fx.rt)).toBe(0);
    expect(await projectEvents(fx.rt)).toEqual([]);
  });

  it("an owner who is not a user", async () => {
    await expect(createProject(fx.admin, { name: "x", ownerID: "nobody" })).rejects.toThrow(new InvalidRequest("No user with ID nobody"));
    expect(await projectCount(fx.rt)).toBe(0);
    expect(await projectEvents(fx.rt)).toEqual([]);
  });

  it("a non-admin naming an owner, even themselves, before looking at the other values", async () => {
    for (const values of [{ name: "Gift", ownerID: fx.bob.actor!.userId }, { name: "Mine", ownerID: fx.alice.actor!.userId }, { ownerID: "nobody" }]) {
      await expect(createProject(fx.alice, values)).rejects.toThrow(new Forbidden("Only a System Administrator can set ownerID"));
    }
    expect(await projectCount(fx.rt)).toBe(0);
    expect(await projectEvents(fx.rt)).toEqual([]);
  });

  it("nobody signed in", async () => {
    await expect(createProject(fx.anonymous, { name: "x" })).rejects.toBeInstanceOf(Unauthorized);
    await expect(createProject(fx.anonymous, { ownerID: "x" })).rejects.toBeInstanceOf(Unauthorized);
    expect(await projectCount(fx.rt)).toBe(0);
    expect(await projectEvents(fx.rt)).toEqual([]);
  });
});
