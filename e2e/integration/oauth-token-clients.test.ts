/**
 * The token endpoint's door: who the client is (Basic with form-encoded parts, or the body; a public
 * single-page app by client_id alone), which grants it may use, the parameters' shape (once each, none
 * in the URL), the body formats and paths it accepts, the rate limits on failures, and request text
 * that names an inherited JavaScript property. Each refusal has its exact code and issues no token.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { createTestRuntime, OAUTH_BASE, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import { authorizeCode, basicHeader, codeForm, expectTokens, makeApp, TOKEN, tokenCall, type IssuedCode, type TestApp } from "./oauth-code-helpers";
import { expectOAuthError, issuedCount } from "./oauth-helpers";

let rt: TestRuntime;
let web: TestApp;
let spa: TestApp;
let m2m: TestApp;

async function start(env: Record<string, string> = {}): Promise<void> {
  rt = await createTestRuntime(env);
  web = await makeApp(rt, "web");
  spa = await makeApp(rt, "single_page");
  m2m = await makeApp(rt, "machine_to_machine");
}
afterEach(() => rt.cleanup());

/** A code for the app and the token form without any client authentication. */
async function grantOf(app: TestApp): Promise<{ issued: IssuedCode; grant: Record<string, string> }> {
  const issued = await authorizeCode(rt, app);
  const { client_id: _id, client_secret: _secret, ...grant } = codeForm(app, issued);
  return { issued, grant };
}

type Answer = { status: number; body: unknown; headers: Headers };

/** Refused with `error` at `status`, and no token was issued by the call. */
async function expectRefused(call: () => Promise<Answer>, status: number, error: string): Promise<Answer> {
  const before = await issuedCount(rt);
  const r = await call();
  expectOAuthError(r, status, error);
  expect(await issuedCount(rt)).toBe(before);
  return r;
}

describe("client authentication", () => {
  beforeEach(() => start());

  it("refuses an unknown client: 401 invalid_client, with WWW-Authenticate only after Basic", async () => {
    const { grant } = await grantOf(web);
    const unknown = "0123456789abcdef0123456789abcdef";
    const body = await expectRefused(() => tokenCall({ ...grant, client_id: unknown, client_secret: web.secret! }), 401, "invalid_client");
    expect(body.headers.get("www-authenticate")).toBeNull();
    const basic = await expectRefused(() => oauthApi(TOKEN, { form: grant, headers: { authorization: basicHeader(unknown, web.secret!) } }), 401, "invalid_client");
    expect(basic.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
    await expectRefused(() => tokenCall({ ...grant, client_id: unknown }), 401, "invalid_client");
  });

  it("refuses a wrong secret: by Basic 401 with WWW-Authenticate, in the body 401 without", async () => {
    const { grant } = await grantOf(web);
    const basic = await expectRefused(() => oauthApi(TOKEN, { form: grant, headers: { authorization: basicHeader(web.clientId, `${web.secret}x`) } }), 401, "invalid_client");
    expect(basic.headers.get("www-authenticate")).toBe('Basic realm="keyward", charset="UTF-8"');
    const body = await expectRefused(() => tokenCall({ ...grant, client_id: web.clientId, client_secret: `${web.secret}x` }), 401, "invalid_client");
    expect(body.headers.get("www-authenticate")).toBeNull();
    const other = await makeApp(rt, "web");
    await expectRefused(() => tokenCall({ ...grant, client_id: web.clientId, client_secret: other.secret! }), 401, "invalid_client");
  });

  it("refuses Basic together with a secret in the body (invalid_request), or a different client_id in the body", async () => {
    const { grant } = await grantOf(web);
    const authorization = basicHeader(web.clientId, web.secret!);
    await expectRefused(() => oauthApi(TOKEN, { form: { ...grant, client_secret: web.secret! }, headers: { authorization } }), 400, "invalid_request");
    await expectRefused(() => oauthApi(TOKEN, { form: { ...grant, client_id: spa.clientId }, headers: { authorization } }), 400, "invalid_request");
    expectTokens(await oauthApi(TOKEN, { form: { ...grant, client_id: web.clientId }, headers: { authorization } }), "sessionID");
  });

  it("accepts Basic whose ID and secret are URL-encoded (every character escaped), and a lower-case scheme", async () => {
    const escape = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    const first = await grantOf(web);
    const encoded = `Basic ${Buffer.from(`${escape(web.clientId)}:${escape(web.secret!)}`).toString("base64")}`;
    expectTokens(await oauthApi(TOKEN, { form: first.grant, headers: { authorization: encoded } }), "sessionID");
    const second = await grantOf(web);
    expectTokens(await oauthApi(TOKEN, { form: second.grant, headers: { authorization: basicHeader(web.clientId, web.secret!).replace("Basic", "basic") } }), "sessionID");
  });

  it("refuses a Basic header that is not base64(id:secret)", async () => {
    const { grant } = await grantOf(web);
    for (const authorization of ["Basic", "Basic !!!", `Basic ${Buffer.from(web.clientId).toString("base64")}`, `Basic ${Buffer.from(`:${web.secret}`).toString("base64")}`]) {
      const before = await issuedCount(rt);
      const r = await oauthApi(TOKEN, { form: grant, headers: { authorization } });
      expect([400, 401], authorization).toContain(r.status);
      expect(["invalid_request", "invalid_client"]).toContain((r.body as { error: string }).error);
      expect(await issuedCount(rt)).toBe(before);
    }
  });

  it("refuses a single-page app that sends a secret, in the body or by Basic", async () => {
    const { grant } = await grantOf(spa);
    await expectRefused(() => tokenCall({ ...grant, client_id: spa.clientId, client_secret: web.secret! }), 401, "invalid_client");
    await expectRefused(() => oauthApi(TOKEN, { form: grant, headers: { authorization: basicHeader(spa.clientId, "anything") } }), 401, "invalid_client");
    expectTokens(await tokenCall({ ...grant, client_id: spa.clientId }), "Bearer");
  });

  it("refuses a web app that sends no secret (or an empty one)", async () => {
    const { grant } = await grantOf(web);
    await expectRefused(() => tokenCall({ ...grant, client_id: web.clientId }), 401, "invalid_client");
    await expectRefused(() => tokenCall({ ...grant, client_id: web.clientId, client_secret: "" }), 401, "invalid_client");
    await expectRefused(() => tokenCall(grant), 400, "invalid_request");
  });

  it("refuses a machine-to-machine app at /token with unauthorized_client, and one without its secret with invalid_client", async () => {
    const { grant } = await grantOf(web);
    await expectRefused(() => tokenCall({ ...grant, client_id: m2m.clientId, client_secret: m2m.secret! }), 400, "unauthorized_client");
    await expectRefused(() => oauthApi(TOKEN, { form: { grant_type: "refresh_token", refresh_token: "x" }, headers: { authorization: basicHeader(m2m.clientId, m2m.secret!) } }), 400, "unauthorized_client");
    await expectRefused(() => tokenCall({ ...grant, client_id: m2m.clientId }), 401, "invalid_client");
  });
});

describe("grant types and parameters", () => {
  beforeEach(() => start());

  it.each([
    "client_credentials",
    "password",
    "implicit",
    "token",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "AUTHORIZATION_CODE",
    "authorization_code ",
    "Refresh_Token",
  ])("refuses grant_type=%j with unsupported_grant_type", async (grantType) => {
    const { grant } = await grantOf(web);
    await expectRefused(() => tokenCall({ ...grant, grant_type: grantType, client_id: web.clientId, client_secret: web.secret! }), 400, "unsupported_grant_type");
  });

  it("refuses a missing, empty or repeated parameter with invalid_request", async () => {
    const { grant } = await grantOf(spa);
    const form: Record<string, string> = { ...grant, client_id: spa.clientId };
    const without = (name: string) => Object.fromEntries(Object.entries(form).filter(([k]) => k !== name));
    for (const name of ["grant_type", "code", "redirect_uri"]) {
      await expectRefused(() => tokenCall(without(name)), 400, "invalid_request");
      await expectRefused(() => tokenCall({ ...form, [name]: "" }), 400, "invalid_request");
    }
    for (const name of ["grant_type", "code", "redirect_uri", "code_verifier", "client_id"]) {
      const body = new URLSearchParams(form);
      body.append(name, form[name]!);
      await expectRefused(() => oauthApi(TOKEN, { body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }), 400, "invalid_request");
    }
    const twoSecrets = new URLSearchParams({ ...grant, client_id: web.clientId, client_secret: web.secret! });
    twoSecrets.append("client_secret", web.secret!);
    await expectRefused(() => oauthApi(TOKEN, { body: twoSecrets.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }), 400, "invalid_request");
    expectTokens(await tokenCall(form), "Bearer");
  });

  it("refuses the code, verifier, refresh token or client secret in the query string, even when the body has them too", async () => {
    const { grant } = await grantOf(spa);
    const form: Record<string, string> = { ...grant, client_id: spa.clientId };
    for (const name of ["code", "code_verifier"]) {
      const query = new URLSearchParams({ [name]: form[name]! });
      await expectRefused(() => oauthApi(`${TOKEN}?${query}`, { form }), 400, "invalid_request");
      const rest = Object.fromEntries(Object.entries(form).filter(([k]) => k !== name));
      await expectRefused(() => oauthApi(`${TOKEN}?${query}`, { form: rest }), 400, "invalid_request");
    }
    await expectRefused(() => oauthApi(`${TOKEN}?refresh_token=kwr_x`, { form: { grant_type: "refresh_token", client_id: spa.clientId } }), 400, "invalid_request");
    await expectRefused(() => oauthApi(`${TOKEN}?client_secret=${web.secret}`, { form: { ...grant, client_id: web.clientId } }), 400, "invalid_request");
    expectTokens(await tokenCall(form), "Bearer");
  });

  it("accepts a JSON body, urlencoded with ;charset=UTF-8, and the path with a trailing slash", async () => {
    expectTokens(await oauthApi(TOKEN, { json: { ...(await grantOf(spa)).grant, client_id: spa.clientId } }), "Bearer");
    const charset = new URLSearchParams({ ...(await grantOf(web)).grant, client_id: web.clientId, client_secret: web.secret! }).toString();
    expectTokens(await oauthApi(TOKEN, { body: charset, headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" } }), "sessionID");
    const spaced = new URLSearchParams({ ...(await grantOf(spa)).grant, client_id: spa.clientId }).toString();
    expectTokens(await oauthApi(TOKEN, { body: spaced, headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" } }), "Bearer");
    expectTokens(await oauthApi(`${OAUTH_BASE}/token/`, { form: { ...(await grantOf(spa)).grant, client_id: spa.clientId } }), "Bearer");
  });

  it("answers GET on /token with 405 in the OAuth envelope", async () => {
    await expectRefused(() => oauthApi(TOKEN, { method: "GET" }), 405, "invalid_request");
  });
});

describe("rate limits on failures", () => {
  const ATTACKER = "203.0.113.9";
  const NEIGHBOUR = "198.51.100.20";
  const expectLimited = (r: Answer) => {
    expectOAuthError(r, 429, "temporarily_unavailable");
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  };

  it("limits wrong secrets and bad codes per client: the fourth failure is 429 with Retry-After, a valid request still passes", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    const { grant } = await grantOf(web);
    const wrong = () => tokenCall({ ...grant, client_id: web.clientId, client_secret: "wrong" });
    await expectRefused(wrong, 401, "invalid_client");
    await expectRefused(() => tokenCall({ ...grant, code: "not-a-code", client_id: web.clientId, client_secret: web.secret! }), 400, "invalid_grant");
    await expectRefused(wrong, 401, "invalid_client");
    expectLimited(await wrong());
    expectLimited(await tokenCall({ ...grant, code: "not-a-code", client_id: web.clientId, client_secret: web.secret! }));
    expectOAuthError(await tokenCall({ ...(await grantOf(spa)).grant, code: "nope", client_id: spa.clientId }), 400, "invalid_grant");
    expectTokens(await tokenCall({ ...grant, client_id: web.clientId, client_secret: web.secret! }), "sessionID");
  });

  it("limits failures per address across client IDs; another address is not limited", async () => {
    await start({ KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "3" });
    const { grant } = await grantOf(web);
    const unknown = (n: number, ip: string) => tokenCall({ ...grant, client_id: `${n}`.padStart(32, "0"), client_secret: "x" }, ip);
    for (let i = 0; i < 3; i++) expectOAuthError(await unknown(i, ATTACKER), 401, "invalid_client");
    expectLimited(await unknown(9, ATTACKER));
    expectLimited(await tokenCall({ ...grant, client_id: web.clientId, client_secret: "wrong" }, ATTACKER));
    expectOAuthError(await unknown(9, NEIGHBOUR), 401, "invalid_client");
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 10 })).toMatchObject([{ details: { limit: "client.address" } }]);
  });
});

describe("inherited JavaScript names in request text", () => {
  beforeEach(() => start({ KEYWARD_LIMIT_CLIENT_PER_ID: "0" }));

  it.each(INHERITED_NAMES)("%s as client_id, code, grant_type, refresh_token, redirect_uri, code_verifier or token: a 4xx, no token", async (name) => {
    const { grant } = await grantOf(spa);
    const confidential = { client_id: web.clientId, client_secret: web.secret! };
    const calls: [string, () => Promise<Answer>][] = [
      ["client_id (public)", () => tokenCall({ ...grant, client_id: name })],
      ["client_id (with a secret)", () => tokenCall({ ...grant, client_id: name, client_secret: name })],
      ["client_id (Basic)", () => oauthApi(TOKEN, { form: grant, headers: { authorization: basicHeader(name, name) } })],
      ["code", () => tokenCall({ ...grant, code: name, client_id: spa.clientId })],
      ["grant_type", () => tokenCall({ ...grant, grant_type: name, client_id: spa.clientId })],
      ["redirect_uri", () => tokenCall({ ...grant, redirect_uri: name, client_id: spa.clientId })],
      ["code_verifier", () => tokenCall({ ...grant, code_verifier: name, client_id: spa.clientId })],
      ["refresh_token", () => tokenCall({ grant_type: "refresh_token", refresh_token: name, ...confidential })],
      ["revoke client_id", () => oauthApi("/revoke", { form: { token: "x", client_id: name } })],
      ["introspect client_id", () => oauthApi("/introspect", { form: { token: "x", client_id: name, client_secret: name } })],
      ["path", () => oauthApi(`/${encodeURIComponent(name)}`, { form: confidential })],
      ["JSON key", () => oauthApi(TOKEN, { body: `{"${name}": {"grant_type": "x"}, "client_id": "${spa.clientId}", "grant_type": "authorization_code"}`, headers: { "content-type": "application/json" } })],
    ];
    const before = await issuedCount(rt);
    for (const [label, call] of calls) {
      const r = await call();
      expect(r.status, label).toBeGreaterThanOrEqual(400);
      expect(r.status, label).toBeLessThan(500);
      expect(r.body, label).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    }
    // An unknown token is answered like a revoked one (RFC 7009 2.2, RFC 7662 2.2).
    const revoked = await oauthApi("/revoke", { form: { token: name, ...confidential } });
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 200, body: {} });
    const seen = await oauthApi("/introspect", { form: { token: name, ...confidential } });
    expect({ status: seen.status, body: seen.body }).toEqual({ status: 200, body: { active: false } });
    expect(await issuedCount(rt)).toBe(before);
  });
});
