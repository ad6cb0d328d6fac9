/**
 * The refresh_token grant: rotation per app (a rotated token presented again revokes its whole
 * family, access tokens included, unless within the app's reuse interval), no rotation (the same
 * token keeps working and no new one is sent), absolute and inactivity expiry, and the tokens a
 * client may not present: another client's, a deactivated user's, an access token.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { updateUser } from "../../lib/services/users/write";
import { consoleContext, createTestRuntime, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import { auditCount, expectTokens, isActive, makeApp, makeUser, refreshCall, tokensFor, type TestApp, type Tokens } from "./oauth-code-helpers";
import { expectDeadToken, expectOAuthError, issuedCount, searchWith } from "./oauth-helpers";

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let rt: TestRuntime;

beforeEach(async () => {
  rt = await createTestRuntime();
});
afterEach(() => rt.cleanup());

type Answer = { status: number; body: unknown; headers: Headers };

async function expectRefused(call: () => Promise<Answer>, status = 400, error = "invalid_grant"): Promise<void> {
  const before = await issuedCount(rt);
  expectOAuthError(await call(), status, error);
  expect(await issuedCount(rt)).toBe(before);
}

const live = async (token: string) => (await searchWith(token)).status === 200;

/** A refresh that must succeed; the new tokens (the refresh token is the successor, or the same one without rotation). */
async function refreshOk(app: TestApp, refreshToken: string, tokenType = app.type === "web" ? "sessionID" : "Bearer"): Promise<Tokens> {
  const r = await refreshCall(app, refreshToken);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return expectTokens(r, tokenType);
}

describe("rotation (the default)", () => {
  it("answers a new refresh token and refuses the old one again, revoking the whole family, with oauth.refresh_reuse", async () => {
    const spa = await makeApp(rt, "single_page");
    const first = await tokensFor(rt, spa);
    const second = await refreshOk(spa, first.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect([await live(first.access_token), await live(second.access_token)]).toEqual([true, true]);

    await expectRefused(() => refreshCall(spa, first.refresh_token));
    await expectDeadToken(first.access_token);
    await expectDeadToken(second.access_token);
    await expectRefused(() => refreshCall(spa, second.refresh_token));
    const [event] = await rt.store.audit.list({ action: "oauth.refresh_reuse", limit: 5 });
    expect(event).toMatchObject({ subjectType: "oauth_app", subjectId: spa.clientId, details: { revokedTokens: 4 } });
  });

  it("keeps another sign-in's family alive when one family is revoked", async () => {
    const web = await makeApp(rt, "web");
    const stolen = await tokensFor(rt, web);
    const other = await tokensFor(rt, web);
    await refreshOk(web, stolen.refresh_token);
    await expectRefused(() => refreshCall(web, stolen.refresh_token));
    expect(await live(other.access_token)).toBe(true);
    await refreshOk(web, other.refresh_token);
  });

  it("with a reuse interval of 30 s, a rotated token works again within 30 s and revokes the family after", async () => {
    const web = await makeApp(rt, "web", { refreshReuseSeconds: 30 });
    const first = await tokensFor(rt, web);
    const second = await refreshOk(web, first.refresh_token);
    rt.clock.advance(30 * SECOND);
    const third = await refreshOk(web, first.refresh_token);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect([await live(second.access_token), await live(third.access_token)]).toEqual([true, true]);
    expect(await isActive(web, second.refresh_token)).toBe(true);

    rt.clock.advance(1 * SECOND);
    await expectRefused(() => refreshCall(web, first.refresh_token));
    for (const t of [first, second, third]) await expectDeadToken(t.access_token);
    await expectRefused(() => refreshCall(web, second.refresh_token));
    await expectRefused(() => refreshCall(web, third.refresh_token));
    expect(await auditCount(rt, "oauth.refresh_reuse")).toBe(1);
  });
});

describe("rotation off", () => {
  it("the same refresh token keeps working, and the answer has no refresh_token", async () => {
    const web = await makeApp(rt, "web", { refreshRotation: false });
    const first = await tokensFor(rt, web);
    for (let i = 0; i < 3; i++) {
      rt.clock.advance(HOUR);
      const r = await refreshCall(web, first.refresh_token);
      const tokens = expectTokens(r, "sessionID", { refresh: false });
      expect(await live(tokens.access_token)).toBe(true);
    }
    expect(await isActive(web, first.refresh_token)).toBe(true);
    expect(await auditCount(rt, "oauth.refresh_reuse")).toBe(0);
  });
});

describe("expiry", () => {
  it("absolute (1 day): refused 1 day + 1 ms after sign-in even when used every hour (rotation on)", async () => {
    const web = await makeApp(rt, "web", { refreshAbsoluteExpiry: "1d", refreshInactivityExpiry: "1d" });
    const start = rt.clock.now();
    let current = (await tokensFor(rt, web)).refresh_token;
    for (let h = 1; h <= 23; h++) {
      rt.clock.advance(HOUR);
      current = (await refreshOk(web, current)).refresh_token;
    }
    rt.clock.set(start + DAY - 1);
    current = (await refreshOk(web, current)).refresh_token;
    rt.clock.set(start + DAY + 1);
    await expectRefused(() => refreshCall(web, current));
    expect(await isActive(web, current)).toBe(false);
  });

  it("absolute (1 day): refused 1 day + 1 ms after sign-in even when used every hour (rotation off)", async () => {
    const web = await makeApp(rt, "web", { refreshAbsoluteExpiry: "1d", refreshInactivityExpiry: "1d", refreshRotation: false });
    const start = rt.clock.now();
    const { refresh_token } = await tokensFor(rt, web);
    for (let h = 1; h <= 23; h++) {
      rt.clock.advance(HOUR);
      expectTokens(await refreshCall(web, refresh_token), "sessionID", { refresh: false });
    }
    rt.clock.set(start + DAY + 1);
    await expectRefused(() => refreshCall(web, refresh_token));
  });

  it("inactivity (1 day): fine when used within a day, refused 1 day + 1 ms after the last use (rotation on)", async () => {
    const spa = await makeApp(rt, "single_page", { refreshInactivityExpiry: "1d" });
    const first = await tokensFor(rt, spa);
    rt.clock.advance(DAY - 1);
    const second = await refreshOk(spa, first.refresh_token);
    rt.clock.advance(DAY);
    const third = await refreshOk(spa, second.refresh_token);
    rt.clock.advance(DAY + 1);
    await expectRefused(() => refreshCall(spa, third.refresh_token));
  });

  it("inactivity (1 day): each use restarts the day; refused 1 day + 1 ms without use (rotation off)", async () => {
    const web = await makeApp(rt, "web", { refreshInactivityExpiry: "1d", refreshRotation: false });
    const { refresh_token } = await tokensFor(rt, web);
    for (let i = 0; i < 3; i++) {
      rt.clock.advance(DAY - 1);
      expectTokens(await refreshCall(web, refresh_token), "sessionID", { refresh: false });
    }
    rt.clock.advance(DAY + 1);
    await expectRefused(() => refreshCall(web, refresh_token));
    expect(await isActive(web, refresh_token)).toBe(false);
  });
});

describe("tokens a client may not present", () => {
  it("refuses another client's refresh token and leaves it to its own client", async () => {
    const web = await makeApp(rt, "web");
    const other = await makeApp(rt, "web");
    const spa = await makeApp(rt, "single_page");
    const tokens = await tokensFor(rt, web);
    await expectRefused(() => refreshCall(other, tokens.refresh_token));
    await expectRefused(() => refreshCall(spa, tokens.refresh_token));
    await expectRefused(() => refreshCall(web, tokens.refresh_token, { client_secret: other.secret! }), 401, "invalid_client");
    await refreshOk(web, tokens.refresh_token);
    expect(await auditCount(rt, "oauth.refresh_reuse")).toBe(0);
  });

  it("refuses the refresh token of a deactivated user", async () => {
    const web = await makeApp(rt, "web", { refreshRotation: false });
    const [gone, paused] = [await makeUser(rt, "gone.user"), await makeUser(rt, "paused.user")];
    const goneTokens = await tokensFor(rt, web, { username: gone });
    const pausedTokens = await tokensFor(rt, web, { username: paused });
    await updateUser(await consoleContext(rt), (await rt.store.users.byUsername(gone))!.id, { isActive: false }, { apiFieldNames: false });
    await expectRefused(() => refreshCall(web, goneTokens.refresh_token));
    // Inactive in the store while its tokens remain (the grant checks the user itself).
    const pausedUser = (await rt.store.users.byUsername(paused))!;
    await rt.store.users.update(pausedUser.id, { isActive: false, updatedAt: rt.clock.now() });
    await expectRefused(() => refreshCall(web, pausedTokens.refresh_token));
    expect(await isActive(web, pausedTokens.refresh_token)).toBe(false);
  });

  it("a refresh token is not an access token on the REST API, and an access token is not a refresh token", async () => {
    const spa = await makeApp(rt, "single_page");
    const tokens = await tokensFor(rt, spa);
    await expectDeadToken(tokens.refresh_token);
    await expectRefused(() => refreshCall(spa, tokens.access_token));
    expect(await live(tokens.access_token)).toBe(true);
    await refreshOk(spa, tokens.refresh_token);
  });

  it("refuses a missing, repeated or malformed refresh_token", async () => {
    const spa = await makeApp(rt, "single_page");
    const tokens = await tokensFor(rt, spa);
    await expectRefused(() => refreshCall(spa, ""), 400, "invalid_request");
    const twice = new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: spa.clientId });
    twice.append("refresh_token", tokens.refresh_token);
    await expectRefused(() => oauthApi("/token", { body: twice.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }), 400, "invalid_request");
    for (const bad of ["kwr_", `${tokens.refresh_token}x`, "x".repeat(300)]) await expectRefused(() => refreshCall(spa, bad));
    await refreshOk(spa, tokens.refresh_token);
  });
});
