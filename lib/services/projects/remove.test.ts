import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Forbidden, NotFound, Unauthorized } from "../../errors";
import type { ObjectRow } from "../../storage/types";
import { createProject } from "./create";
import { removeProject } from "./remove";
import { projectEvents, projectFixture, projectRow, type ProjectFixture } from "./test-fixtures";

let fx: ProjectFixture;
/** Alice's project, and how it was stored. */
let id: string;
let stored: ObjectRow;

beforeEach(async () => {
  fx = await projectFixture();
  id = (await createProject(fx.alice, { name: "Launch" })).id;
  stored = (await projectRow(fx.rt, id))!;
});
afterEach(() => fx.rt.cleanup());

async function expectKept(): Promise<void> {
  expect(await projectRow(fx.rt, id)).toEqual(stored);
  expect(await projectEvents(fx.rt, "project.delete")).toEqual([]);
}

describe("removeProject", () => {
  it("lets the owner delete their project and records one audit event", async () => {
    await removeProject(fx.alice, id);
    expect(await projectRow(fx.rt, id)).toBeUndefined();
    const events = await projectEvents(fx.rt, "project.delete");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "project.delete",
      subjectType: "project",
      subjectId: id,
      actorId: fx.alice.actor!.userId,
      actorName: "alice",
      details: { ownerID: fx.alice.actor!.userId },
    });
  });

  it("lets an administrator delete anyone's project", async () => {
    await removeProject(fx.admin, id);
    expect(await projectRow(fx.rt, id)).toBeUndefined();
    const [event] = await projectEvents(fx.rt, "project.delete");
    expect(event).toMatchObject({ actorName: "admin", subjectId: id, details: { ownerID: fx.alice.actor!.userId } });
  });
});

describe("removeProject refuses, and then deletes and audits nothing", () => {
  it("another user's project", async () => {
    await expect(removeProject(fx.bob, id)).rejects.toThrow(new Forbidden("You do not have permission to edit this project"));
    await expectKept();
  });

  it("nobody signed in", async () => {
    await expect(removeProject(fx.anonymous, id)).rejects.toBeInstanceOf(Unauthorized);
    await expectKept();
  });

  it("an unknown or already deleted project", async () => {
    const other = "0123456789abcdef0123456789abcdef";
    await expect(removeProject(fx.admin, other)).rejects.toThrow(new NotFound(`Project with ID ${other} was not found`));
    await expect(removeProject(fx.bob, other)).rejects.toBeInstanceOf(NotFound);
    await expectKept();
    await removeProject(fx.alice, id);
    await expect(removeProject(fx.alice, id)).rejects.toBeInstanceOf(NotFound);
    expect(await projectEvents(fx.rt, "project.delete")).toHaveLength(1);
  });
});
