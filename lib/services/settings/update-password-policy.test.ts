import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { Forbidden, InvalidRequest, RateLimited } from "../../errors";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import { checkPassword } from "../auth/password-login";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";
import { updatePasswordPolicy } from "./update-password-policy";

let rt: TestRuntime;
let admin: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  const u = (await rt.store.users.byUsername(ADMIN.username))!;
  admin = { rt, actor: actorOf({ ...u, accessLevel: "admin" }, "console"), meta: {} };
});
afterEach(() => rt.cleanup());

describe("updatePasswordPolicy", () => {
  it("starts with resets off and a 10-minute lockout after 5 failures", async () => {
    expect(await rt.store.settings.get()).toMatchObject({ passwordResetDays: null, lockoutEnabled: true, lockoutThreshold: 5, lockoutMinutes: 10 });
  });

  it("saves the reset period and lockout duration, keeps the threshold and audits the change", async () => {
    const s = await updatePasswordPolicy(admin, { passwordResetDays: 90, lockoutEnabled: true, lockoutMinutes: 480 });
    expect(s).toMatchObject({ passwordResetDays: 90, lockoutEnabled: true, lockoutMinutes: 480, lockoutThreshold: 5 });
    const [event] = await rt.store.audit.list({ action: "settings.security", limit: 5 });
    expect(event!.details).toEqual({ passwordResetDays: { from: null, to: 90 }, lockoutMinutes: { from: 10, to: 480 } });
  });

  it("the chosen duration is what a lockout lasts", async () => {
    await updatePasswordPolicy(admin, { passwordResetDays: null, lockoutEnabled: true, lockoutMinutes: 60 });
    await createUser(admin, { username: "locked", name: "Locked", password: "right-password" }, { apiFieldNames: false });
    for (let i = 0; i < 4; i++) await expect(checkPassword(admin, "locked", "wrong", "api")).rejects.toThrow("Invalid username or password");
    await expect(checkPassword(admin, "locked", "wrong", "api")).rejects.toThrow(RateLimited);
    expect((await rt.store.users.byUsername("locked"))!.lockedUntil).toBe(rt.clock.now() + 60 * 60_000);
    rt.clock.advance(59 * 60_000);
    await expect(checkPassword(admin, "locked", "right-password", "api")).rejects.toThrow(/locked/);
    rt.clock.advance(60_000);
    await expect(checkPassword(admin, "locked", "right-password", "api")).resolves.toMatchObject({ username: "locked" });
  });

  it("turning lockout off lets wrong passwords be retried without locking", async () => {
    await updatePasswordPolicy(admin, { passwordResetDays: null, lockoutEnabled: false, lockoutMinutes: 10 });
    await createUser(admin, { username: "free", name: "Free", password: "right-password" }, { apiFieldNames: false });
    for (let i = 0; i < 7; i++) await expect(checkPassword(admin, "free", "wrong", "api")).rejects.toThrow("Invalid username or password");
    await expect(checkPassword(admin, "free", "right-password", "api")).resolves.toMatchObject({ username: "free" });
  });

  it("refuses periods and durations outside the lists, and non-admins", async () => {
    await expect(updatePasswordPolicy(admin, { passwordResetDays: 45, lockoutEnabled: true, lockoutMinutes: 10 })).rejects.toThrow(InvalidRequest);
    await expect(updatePasswordPolicy(admin, { passwordResetDays: 30, lockoutEnabled: true, lockoutMinutes: 15 })).rejects.toThrow(InvalidRequest);
    await createUser(admin, { username: "plain", name: "Plain", password: "user-password" }, { apiFieldNames: false });
    const u = (await rt.store.users.byUsername("plain"))!;
    const user: ServiceContext = { rt, actor: actorOf({ ...u, accessLevel: "user" }, "console"), meta: {} };
    await expect(updatePasswordPolicy(user, { passwordResetDays: 30, lockoutEnabled: true, lockoutMinutes: 10 })).rejects.toThrow(Forbidden);
    expect((await rt.store.settings.get()).passwordResetDays).toBeNull();
  });
});
