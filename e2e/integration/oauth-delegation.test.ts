/**
 * What an OAuth application acting for a user may not do: manage the user's credentials or accounts
 * (an API key minted with a token would outlive the token's revocation), and what its changes leave
 * in the audit log. Also the consent scope rule and the audit of unknown client IDs.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { redirectUriProblem } from "../../lib/domain/oauth-app";
import { resetPassword } from "../../lib/services/users/write";
import { readAuthorizationRequest } from "../../lib/services/oauth/authorize-request";
import { approveAuthorization, consentCovers } from "../../lib/services/oauth/consent";
import { api, consoleContext, createTestRuntime, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import { makeApp, makeUser, tokensFor } from "./oauth-code-helpers";

let rt: TestRuntime;
beforeEach(async () => {
  rt = await createTestRuntime();
});
afterEach(() => rt.cleanup());

const FORBIDDEN = "com.attask.common.SecurityException";

describe("a token acts for the user, but does not manage the user's credentials or accounts", () => {
  it("cannot generate, read or clear the user's API key", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const { access_token } = await tokensFor(rt, app);
    const auth = { authorization: `Bearer ${access_token}` };
    for (const action of ["generateApiKey", "getApiKey", "clearApiKey"]) {
      const r = await api(`/user?action=${action}`, { method: "PUT", headers: auth });
      expect({ action, status: r.status, cls: r.body.error?.class }).toEqual({ action, status: 403, cls: FORBIDDEN });
    }
    expect(await rt.store.apiKeys.list()).toEqual([]);
    // The token itself still works for what it is for.
    expect((await api("/proj/search", { headers: auth })).status).toBe(200);
  });

  it("cannot create or change users, even when the user is an administrator", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const { access_token } = await tokensFor(rt, app);
    const auth = { authorization: `Bearer ${access_token}` };
    const created = await api("/user", { headers: auth, json: { username: "backdoor", name: "Backdoor", password: "backdoor-password-1", accessLevel: "admin" } });
    expect({ status: created.status, cls: created.body.error?.class }).toEqual({ status: 403, cls: FORBIDDEN });
    expect(await rt.store.users.byUsername("backdoor")).toBeNull();
  });

  it("names the application in the audit rows of what it changes", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const { access_token } = await tokensFor(rt, app);
    const r = await api("/proj", { headers: { authorization: `Bearer ${access_token}` }, json: { name: "Made by an app" } });
    expect(r.status).toBe(200);
    const [event] = await rt.store.audit.list({ action: "project.create", limit: 1 });
    expect(event?.details).toMatchObject({ viaOAuthClient: app.clientId });
  });
});

describe("remembered consent", () => {
  it("covers what was allowed, and a new scope asks again; allowing it adds to the consent", async () => {
    const app = await makeApp(rt, "web");
    const ask = async (scope: string) => {
      const q = new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUris[0]!, response_type: "code", scope });
      const o = await readAuthorizationRequest(rt, q);
      if (o.kind !== "ok") throw new Error(JSON.stringify(o));
      return o.request;
    };
    const admin = (await rt.store.users.byUsername("admin"))!;
    await approveAuthorization(await consoleContext(rt), await ask("projects"));
    expect(await consentCovers(rt, admin.id, app.clientId, "projects")).toBe(true);
    expect(await consentCovers(rt, admin.id, app.clientId, "")).toBe(true);
    expect(await consentCovers(rt, admin.id, app.clientId, "projects users:write")).toBe(false);
    await approveAuthorization(await consoleContext(rt), await ask("users:write"));
    expect(await consentCovers(rt, admin.id, app.clientId, "projects users:write")).toBe(true);
    const other = await makeUser(rt, "someone");
    expect(await consentCovers(rt, (await rt.store.users.byUsername(other))!.id, app.clientId, "")).toBe(false);
  });
});

describe("registration and failure records", () => {
  it("refuses a redirect URL with a backslash (a parser reads it as a slash, moving the host)", () => {
    expect(redirectUriProblem("https://evil.example\\@app.example.com/cb")).toMatch(/backslash/);
  });

  it("audits failures of unknown client IDs per address, never storing the typed ID", async () => {
    const typed = "s3cr3t-pasted-into-the-client-id-field-0123456789";
    for (let i = 0; i < 3; i++) {
      const r = await oauthApi("/jwt/exchange", { form: { client_id: `${typed}${i}`, client_secret: "x", jwt_token: "a.b.c" }, ip: "198.51.100.7" });
      expect(r.status).toBe(401);
    }
    const events = await rt.store.audit.list({ action: "oauth.exchange_failed", limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subjectId: null, details: { reason: "unknown_client", count: 1 } });
    expect(JSON.stringify(events)).not.toContain(typed);
  });
});

describe("single sign-on only", () => {
  it("refuses a non-admin's authorization-code tokens and refreshes while password sign-ins are off, as it does their REST sessions", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const username = await makeUser(rt, "sso-user");
    const tokens = await tokensFor(rt, app, { username });
    const search = () => api("/proj/search", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await search()).status).toBe(200);
    await rt.store.settings.update({ ssoType: "saml2", ssoOnly: true });
    expect((await search()).status).toBe(401);
    const refreshed = await oauthApi("/token", { form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.secret! } });
    expect({ status: refreshed.status, error: refreshed.body.error }).toEqual({ status: 400, error: "invalid_grant" });
    await rt.store.settings.update({ ssoOnly: false });
    expect((await search()).status).toBe(200);
  });

  it("keeps an administrator's tokens working (administrators keep password sign-in)", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const tokens = await tokensFor(rt, app);
    await rt.store.settings.update({ ssoType: "saml2", ssoOnly: true });
    expect((await api("/proj/search", { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
  });
});

describe("the user's own sign-out and password changes end the sign-in tokens", () => {
  it("a password reset ends the user's authorization-code tokens and keeps JWT-flow tokens", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const username = await makeUser(rt, "reset-user");
    const tokens = await tokensFor(rt, app, { username });
    const user = (await rt.store.users.byUsername(username))!;
    await resetPassword(await consoleContext(rt), user.id, "a-brand-new-password-1");
    expect((await api("/proj/search", { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    const refreshed = await oauthApi("/token", { form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: app.clientId, client_secret: app.secret! } });
    expect(refreshed.body.error).toBe("invalid_grant");
    const [event] = await rt.store.audit.list({ action: "user.password_reset", limit: 1 });
    expect(event?.details).toMatchObject({ revokedTokens: 2 });
  });

  it("REST /logout with an access token (sessionID header or Bearer) ends it, and audits it", async () => {
    const app = await makeApp(rt, "web", { tokenType: "Bearer" });
    const viaHeader = await tokensFor(rt, app);
    expect((await api("/logout", { headers: { sessionID: viaHeader.access_token } })).status).toBe(200);
    expect((await api("/proj/search", { headers: { sessionID: viaHeader.access_token } })).status).toBe(401);
    const viaBearer = await tokensFor(rt, app);
    expect((await api("/logout", { headers: { authorization: `Bearer ${viaBearer.access_token}` } })).status).toBe(200);
    expect((await api("/proj/search", { headers: { authorization: `Bearer ${viaBearer.access_token}` } })).status).toBe(401);
    const events = await rt.store.audit.list({ action: "oauth_token.revoke", limit: 5 });
    expect(events.map((e) => e.details?.by)).toEqual(["logout", "logout"]);
    // The refresh token of the sign-in still works: logging out ends this token, not the authorization.
    const refreshed = await oauthApi("/token", { form: { grant_type: "refresh_token", refresh_token: viaBearer.refresh_token, client_id: app.clientId, client_secret: app.secret! } });
    expect(refreshed.status).toBe(200);
  });
});
