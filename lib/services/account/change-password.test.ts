import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { InvalidRequest, RateLimited, Unauthorized } from "../../errors";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../testing/runtime";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";
import { changeOwnPassword, WRONG_CURRENT_PASSWORD } from "./change-password";

let rt: TestRuntime;
let member: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  const a = (await rt.store.users.byUsername(ADMIN.username))!;
  const admin: ServiceContext = { rt, actor: actorOf({ ...a, accessLevel: "admin" }, "console"), meta: {} };
  await createUser(admin, { username: "member", name: "Member", password: "old-password" }, { apiFieldNames: false });
  const u = (await rt.store.users.byUsername("member"))!;
  member = { rt, actor: actorOf({ ...u, accessLevel: "user" }, "console"), meta: {} };
});
afterEach(() => rt.cleanup());

describe("changeOwnPassword", () => {
  it("changes the password, ends the user's REST sessions and audits", async () => {
    const sessionID = await loginAs("member", "old-password");
    rt.clock.advance(1000);
    expect(await changeOwnPassword(member, { currentPassword: "old-password", newPassword: "new-password" })).toEqual({ endedSessions: 1 });

    expect((await api("/proj/search", { headers: { sessionID } })).status).toBe(401);
    expect((await api("/login", { form: { username: "member", password: "old-password" } })).status).toBe(401);
    expect((await api("/login", { form: { username: "member", password: "new-password" } })).status).toBe(200);
    expect((await rt.store.users.byUsername("member"))!.passwordChangedAt).toBe(rt.clock.now());
    const [event] = await rt.store.audit.list({ action: "user.password_change", limit: 5 });
    expect(event).toMatchObject({ actorName: "member", subjectId: member.actor!.userId });
  });

  it("refuses a wrong current password, a short or unchanged new one", async () => {
    await expect(changeOwnPassword(member, { currentPassword: "nope", newPassword: "new-password" })).rejects.toThrow(new InvalidRequest(WRONG_CURRENT_PASSWORD));
    await expect(changeOwnPassword(member, { currentPassword: "old-password", newPassword: "short" })).rejects.toThrow(/at least 8/);
    await expect(changeOwnPassword(member, { currentPassword: "old-password", newPassword: "old-password" })).rejects.toThrow(/differ/);
    expect((await api("/login", { form: { username: "member", password: "old-password" } })).status).toBe(200);
  });

  it("counts wrong current passwords towards the lockout", async () => {
    for (let i = 0; i < 4; i++) {
      await expect(changeOwnPassword(member, { currentPassword: "wrong", newPassword: "new-password" })).rejects.toThrow(InvalidRequest);
    }
    await expect(changeOwnPassword(member, { currentPassword: "wrong", newPassword: "new-password" })).rejects.toThrow(RateLimited);
    await expect(changeOwnPassword(member, { currentPassword: "old-password", newPassword: "new-password" })).rejects.toThrow(/locked/);
  });

  it("needs a signed-in user", async () => {
    await expect(changeOwnPassword({ rt, actor: null, meta: {} }, { currentPassword: "a", newPassword: "new-password" })).rejects.toThrow(Unauthorized);
  });
});
