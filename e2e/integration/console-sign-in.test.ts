import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimited, Unauthorized } from "../../lib/errors";
import { consoleSignIn, PasswordExpired } from "../../lib/services/auth/console-sign-in";
import type { ServiceContext } from "../../lib/services/context";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let ctx: ServiceContext;
const DAY = 86_400_000;

beforeAll(async () => {
  rt = await createTestRuntime();
  ctx = { rt, actor: null, meta: { ip: "127.0.0.1", userAgent: "test" } };
  const admin = await loginAs(ADMIN.username, ADMIN.password);
  for (const u of ["olga", "pete"]) {
    await api("/user", { headers: { sessionID: admin }, json: { username: u, name: u, password: `${u}-password` } });
  }
});
afterAll(() => rt.cleanup());

describe("console sign-in", () => {
  it("signs in with the right password, audits it, and refuses a wrong one", async () => {
    expect((await consoleSignIn(ctx, { username: "olga", password: "olga-password" })).username).toBe("olga");
    const [event] = await rt.store.audit.list({ action: "auth.console_sign_in", limit: 1 });
    expect(event).toMatchObject({ actorName: "olga", ip: "127.0.0.1" });
    await expect(consoleSignIn(ctx, { username: "olga", password: "nope-nope" })).rejects.toThrow(Unauthorized);
  });

  it("makes a user whose password expired choose a new one, and removes the key when the policy says so", async () => {
    await rt.store.settings.update({ passwordResetDays: 30, removeKeyOnPasswordExpiry: true, apiKeyExpiry: "never" });
    const key = (await api("/user?action=generateApiKey&method=PUT", { form: { username: "olga", password: "olga-password" } })).body.data.result;
    rt.clock.advance(31 * DAY);
    await expect(consoleSignIn(ctx, { username: "olga", password: "olga-password" })).rejects.toThrow(PasswordExpired);
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(401);
    await expect(consoleSignIn(ctx, { username: "olga", password: "olga-password", newPassword: "olga-password" })).rejects.toThrow(/differ/);
    await expect(consoleSignIn(ctx, { username: "olga", password: "olga-password", newPassword: "short" })).rejects.toThrow(/at least 8/);
    const restSession = (await api("/login", { form: { username: "olga", password: "olga-password" } })).body;
    expect(restSession.error.message).toMatch(/expired/);
    const user = await consoleSignIn(ctx, { username: "olga", password: "olga-password", newPassword: "olga-new-password" });
    expect(user.passwordChangedAt).toBe(rt.clock.now());
    expect((await api("/login", { form: { username: "olga", password: "olga-new-password" } })).status).toBe(200);
    expect((await api("/login", { form: { username: "olga", password: "olga-password" } })).status).toBe(401);
    const changed = await rt.store.audit.list({ action: "user.password_change", limit: 5 });
    expect(changed[0]).toMatchObject({ actorName: "olga", details: { reason: "expired at sign-in" } });
    await rt.store.settings.update({ passwordResetDays: null, removeKeyOnPasswordExpiry: false });
  });

  it("shares the lockout with the REST API", async () => {
    for (let i = 0; i < 4; i++) await api("/login", { form: { username: "pete", password: "wrong-password" } });
    await expect(consoleSignIn(ctx, { username: "pete", password: "wrong-password" })).rejects.toThrow(RateLimited);
    await expect(consoleSignIn(ctx, { username: "pete", password: "pete-password" })).rejects.toThrow(/locked/);
    expect((await api("/login", { form: { username: "pete", password: "pete-password" } })).status).toBe(429);
  });
});
