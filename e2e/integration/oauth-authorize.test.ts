/**
 * The authorization endpoint's rules, through the services the authorize page calls: the client and
 * the exact redirect URL first (an error page, never a redirect), then response_type=code and PKCE
 * S256 (errors through the redirect, with `state` only when sent and `iss` always); the user's Allow
 * (a code bound to client, redirect URL, user and challenge) and Deny; remembered consent, the
 * authorized apps of My account and their revocation; and the consent form's CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, lookupHash } from "../../lib/crypto/secrets";
import { NotFound } from "../../lib/errors";
import { readAuthorizationRequest, type AuthorizationRequest } from "../../lib/services/oauth/authorize-request";
import { approveAuthorization, denyAuthorization, hasConsent, listAuthorizedApps, revokeAuthorization } from "../../lib/services/oauth/consent";
import { consentToken, consentTokenValid } from "../../lib/services/oauth/consent-token";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { auditCount, authorizeCode, codeForm, introspectCall, isActive, makeApp, makeUser, pkcePair, REDIRECT, refreshCall, tokenCall, tokensFor, type TestApp } from "./oauth-code-helpers";
import { expectOAuthError, searchWith } from "./oauth-helpers";

const PUBLIC = "https://keyward.example.com";
const LOOPBACK = "http://127.0.0.1:8080/cb?tenant=7";
const MINUTE = 60_000;

let rt: TestRuntime;
let web: TestApp;
let spa: TestApp;
let m2m: TestApp;

beforeAll(async () => {
  rt = await createTestRuntime({ KEYWARD_PUBLIC_URL: PUBLIC });
  web = await makeApp(rt, "web", { redirectUris: [REDIRECT, LOOPBACK] });
  spa = await makeApp(rt, "single_page");
  m2m = await makeApp(rt, "machine_to_machine");
});
afterAll(() => rt.cleanup());

type Query = Record<string, string> | [string, string][];
const read = (q: Query) => readAuthorizationRequest(rt, new URLSearchParams(q));

/** A request the endpoint accepts: the app's first redirect URL, response_type=code, PKCE for a single-page app. */
function valid(app: TestApp, over: Record<string, string | undefined> = {}): Record<string, string> {
  const q: Record<string, string | undefined> = { client_id: app.clientId, redirect_uri: app.redirectUris[0], response_type: "code" };
  if (app.type === "single_page") Object.assign(q, { code_challenge: pkcePair().challenge, code_challenge_method: "S256" });
  Object.assign(q, over);
  return Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
}

async function expectErrorPage(q: Query): Promise<void> {
  expect(await read(q)).toEqual({ kind: "error_page", message: expect.any(String) });
}

/**
 * The outcome is a redirect to `to` carrying exactly `error`, a description, `iss` and (when given)
 * `state`; with `anyState` a state may or may not be there.
 */
async function expectRedirectError(q: Query, error: string, opts: { to?: string; state?: string; anyState?: boolean } = {}): Promise<URL> {
  const outcome = await read(q);
  if (outcome.kind !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  const url = new URL(outcome.url);
  const to = new URL(opts.to ?? REDIRECT);
  expect(url.origin + url.pathname).toBe(to.origin + to.pathname);
  const params = [...url.searchParams.entries()].filter(([k]) => !to.searchParams.has(k));
  const got = Object.fromEntries(params);
  const expected: Record<string, unknown> = { error, error_description: expect.any(String), iss: PUBLIC };
  if (opts.state !== undefined) expected.state = opts.state;
  else if (opts.anyState && got.state !== undefined) expected.state = expect.any(String);
  expect(got).toEqual(expected);
  expect(params).toHaveLength(Object.keys(got).length);
  for (const [k, v] of to.searchParams) expect(url.searchParams.getAll(k)).toEqual([v]);
  return url;
}

async function okRequest(q: Query): Promise<AuthorizationRequest> {
  const outcome = await read(q);
  if (outcome.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.request;
}

describe("the client and redirect URL are checked first: an error page, never a redirect", () => {
  const cases: [string, () => Query][] = [
    ["no client_id", () => valid(web, { client_id: undefined })],
    ["an empty client_id", () => valid(web, { client_id: "" })],
    ["an unknown client_id", () => valid(web, { client_id: "0123456789abcdef0123456789abcdef" })],
    ["the client_id in upper case", () => valid(web, { client_id: web.clientId.toUpperCase() })],
    ["a 200-character client_id", () => valid(web, { client_id: web.clientId + "a".repeat(168) })],
    ["client_id twice (both the app's)", () => [...Object.entries(valid(web)), ["client_id", web.clientId]]],
    ["a machine-to-machine client", () => valid(web, { client_id: m2m.clientId })],
    ["no redirect_uri", () => valid(web, { redirect_uri: undefined })],
    ["an empty redirect_uri", () => valid(web, { redirect_uri: "" })],
    ["redirect_uri twice (both registered)", () => [...Object.entries(valid(web)), ["redirect_uri", REDIRECT]]],
    ["another app's redirect URL", () => valid(spa, { redirect_uri: LOOPBACK })],
    ["an unknown client even with response_type=token and a state", () => valid(web, { client_id: "nope", response_type: "token", state: "xyz" })],
    ["a bad redirect URL even with response_type=token and a state", () => valid(web, { redirect_uri: "https://evil.example/cb", response_type: "token", state: "xyz" })],
  ];
  it.each(cases)("%s", async (_name, q) => expectErrorPage(q()));

  const near = [
    `${REDIRECT}/`,
    REDIRECT.replace("app.", "APP."),
    REDIRECT.replace("callback", "Callback"),
    `${REDIRECT}?x=1`,
    `${REDIRECT}#frag`,
    `${REDIRECT}x`,
    REDIRECT.slice(0, -1),
    REDIRECT.replace("https:", "http:"),
    REDIRECT.replace(".com/", ".com:443/"),
    REDIRECT.replace(".com/", ".com.evil.example/"),
    REDIRECT.replace("/callback", "/x/../callback"),
    REDIRECT.replace("callback", "%63allback"),
    ` ${REDIRECT}`,
    `${REDIRECT} `,
    "http://127.0.0.1:8080/cb",
    "http://127.0.0.1:8080/cb?tenant=8",
    "http://127.0.0.1:8080/cb?tenant=7&x=1",
    "http://localhost:8080/cb?tenant=7",
  ];
  it.each(near)("a redirect URL that is not exactly a registered one: %j", async (uri) => expectErrorPage(valid(web, { redirect_uri: uri })));

  it.each(INHERITED_NAMES)("%s as client_id or as redirect_uri", async (name) => {
    await expectErrorPage(valid(web, { client_id: name }));
    await expectErrorPage(valid(web, { redirect_uri: name }));
  });
});

describe("response_type must be code; other problems go back through the redirect", () => {
  it("refuses a missing or empty response_type with invalid_request", async () => {
    await expectRedirectError(valid(web, { response_type: undefined }), "invalid_request");
    await expectRedirectError(valid(web, { response_type: "" }), "invalid_request");
  });

  it.each(["token", "id_token", "code token", "code id_token", "CODE", "Code", " code", "none", "constructor", "__proto__"])(
    "refuses response_type=%j with unsupported_response_type",
    async (type) => {
      await expectRedirectError(valid(web, { response_type: type }), "unsupported_response_type");
      // Checked before PKCE: a single-page app without a challenge gets the response_type error.
      await expectRedirectError(valid(spa, { response_type: type, code_challenge: undefined, code_challenge_method: undefined }), "unsupported_response_type");
    },
  );

  it.each(["response_type", "code_challenge", "code_challenge_method", "scope"])("refuses %s sent twice with invalid_request", async (name) => {
    const q = valid(spa, { scope: "read" });
    await expectRedirectError([...Object.entries(q), [name, q[name]!]], "invalid_request");
  });

  it("refuses response_type=code sent together with token", async () => {
    await expectRedirectError([...Object.entries(valid(web)), ["response_type", "token"]], "invalid_request");
  });

  it("keeps the registered redirect URL's own query in an error redirect", async () => {
    const url = await expectRedirectError(valid(web, { redirect_uri: LOOPBACK, response_type: "token", state: "s" }), "unsupported_response_type", { to: LOOPBACK, state: "s" });
    expect(url.searchParams.get("tenant")).toBe("7");
  });

  it("refuses a scope over 1000 characters with invalid_scope", async () => {
    await expectRedirectError(valid(web, { scope: "a".repeat(1001) }), "invalid_scope");
    expect((await okRequest(valid(web, { scope: "a".repeat(1000) }))).scope).toBe("a".repeat(1000));
  });
});

describe("state and iss in error redirects", () => {
  it("echoes the state exactly as sent, and iss = the configured public URL", async () => {
    const state = "a b&c=d/é?%20+";
    await expectRedirectError(valid(web, { response_type: "token", state }), "unsupported_response_type", { state });
  });

  it("sends no state when none (or an empty one) was sent", async () => {
    await expectRedirectError(valid(web, { response_type: "token" }), "unsupported_response_type");
    await expectRedirectError(valid(web, { response_type: "token", state: "" }), "unsupported_response_type");
  });

  it("refuses state sent twice with invalid_request", async () => {
    await expectRedirectError([...Object.entries(valid(web, { state: "one" })), ["state", "two"]], "invalid_request", { anyState: true });
  });

  it("refuses a state over 2000 characters, and never echoes more than 2000 of it", async () => {
    const url = await expectRedirectError(valid(web, { state: "s".repeat(2001) }), "invalid_request", { anyState: true });
    expect((url.searchParams.get("state") ?? "").length).toBeLessThanOrEqual(2000);
    expect((await okRequest(valid(web, { state: "s".repeat(2000) }))).state).toBe("s".repeat(2000));
  });

  it.each(INHERITED_NAMES)("treats %s as plain text in state", async (name) => {
    expect((await okRequest(valid(web, { state: name }))).state).toBe(name);
    await expectRedirectError(valid(web, { state: name, response_type: "token" }), "unsupported_response_type", { state: name });
  });
});

describe("PKCE: S256 only; required for single-page apps, optional for web apps", () => {
  const challenge = pkcePair().challenge;
  const spaCases: [string, Record<string, string | undefined>][] = [
    ["no code_challenge", { code_challenge: undefined, code_challenge_method: undefined }],
    ["code_challenge_method=plain", { code_challenge_method: "plain" }],
    ["plain with a verifier-like challenge", { code_challenge: "a".repeat(43), code_challenge_method: "plain" }],
    ["a challenge without a method (plain by default)", { code_challenge_method: undefined }],
    ["code_challenge_method=s256 (lower case)", { code_challenge_method: "s256" }],
    ["S256 without a challenge", { code_challenge: undefined }],
    ["S256 with an empty challenge", { code_challenge: "" }],
    ["a 42-character challenge", { code_challenge: challenge.slice(0, 42) }],
    ["a 44-character challenge", { code_challenge: `${challenge}A` }],
    ["a challenge in base64 (not base64url)", { code_challenge: `${challenge.slice(0, 42)}+` }],
    ["an unknown method", { code_challenge_method: "S512" }],
    ["constructor as the method", { code_challenge_method: "constructor" }],
  ];
  it.each(spaCases)("a single-page app with %s: invalid_request", async (_name, over) => {
    await expectRedirectError(valid(spa, { state: "st", ...over }), "invalid_request", { state: "st" });
  });

  const webCases: [string, Record<string, string | undefined>][] = [
    ["code_challenge_method=plain", { code_challenge: challenge, code_challenge_method: "plain" }],
    ["a challenge without a method", { code_challenge: challenge }],
    ["a method without a challenge", { code_challenge_method: "S256" }],
    ["a malformed challenge", { code_challenge: "short", code_challenge_method: "S256" }],
  ];
  it.each(webCases)("a web app with %s: invalid_request", async (_name, over) => {
    await expectRedirectError(valid(web, over), "invalid_request");
  });

  it("accepts a single-page app with an S256 challenge and reads the whole request", async () => {
    const request = await okRequest(valid(spa, { code_challenge: challenge, state: "xyz", scope: "read", nonce: "ignored", prompt: "consent" }));
    expect(request).toEqual({ app: await rt.store.oauthApps.byClientId(spa.clientId), redirectUri: REDIRECT, state: "xyz", codeChallenge: challenge, scope: "read" });
  });

  it("accepts a web app without PKCE, and with an S256 challenge (which its code must then use)", async () => {
    expect(await okRequest(valid(web))).toEqual({ app: await rt.store.oauthApps.byClientId(web.clientId), redirectUri: REDIRECT, state: null, codeChallenge: null, scope: "" });
    expect((await okRequest(valid(web, { code_challenge: challenge, code_challenge_method: "S256", redirect_uri: LOOPBACK }))).codeChallenge).toBe(challenge);
  });
});

describe("Allow and Deny", () => {
  it("Allow redirects with the code, the state and iss only, and stores a two-minute code bound to client, redirect URL, user and challenge", async () => {
    const username = await makeUser(rt, "allow.user");
    const user = (await rt.store.users.byUsername(username))!;
    const pkce = pkcePair();
    const request = await okRequest(valid(spa, { code_challenge: pkce.challenge, state: "st&1" }));
    const [issued, given] = [await auditCount(rt, "oauth_code.issue"), await auditCount(rt, "oauth.consent_given")];
    const url = new URL(await approveAuthorization(await consoleContext(rt, username), request));
    expect(url.origin + url.pathname).toBe(REDIRECT);
    const code = url.searchParams.get("code")!;
    expect(Object.fromEntries(url.searchParams)).toEqual({ code: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/), state: "st&1", iss: PUBLIC });
    expect([...url.searchParams.keys()]).toHaveLength(3);
    const now = rt.clock.now();
    expect(await rt.store.oauthCodes.byHash(lookupHash(rt.keys, code))).toEqual({
      lookupHash: lookupHash(rt.keys, code),
      clientId: spa.clientId,
      userId: user.id,
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      scope: "",
      createdAt: now,
      expiresAt: now + 2 * MINUTE,
      redeemedAt: null,
      familyId: null,
    });
    expect(await auditCount(rt, "oauth_code.issue")).toBe(issued + 1);
    expect(await auditCount(rt, "oauth.consent_given")).toBe(given + 1);
  });

  it("Allow without a state sends none, keeps the redirect URL's query, and each approval issues a new code", async () => {
    const request = await okRequest(valid(web, { redirect_uri: LOOPBACK }));
    const ctx = await consoleContext(rt);
    const [a, b] = [new URL(await approveAuthorization(ctx, request)), new URL(await approveAuthorization(ctx, request))];
    for (const url of [a, b]) expect(Object.fromEntries(url.searchParams)).toEqual({ tenant: "7", code: expect.any(String), iss: PUBLIC });
    expect(a.searchParams.get("code")).not.toBe(b.searchParams.get("code"));
  });

  it("the code works for the user who allowed it, once, at the token endpoint", async () => {
    const username = await makeUser(rt, "bound.user");
    const issued = await authorizeCode(rt, web, { username, state: "s" });
    const r = await tokenCall(codeForm(web, issued));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const seen = await introspectCall(web, r.body.access_token);
    expect(seen.body).toMatchObject({ active: true, client_id: web.clientId, username, iss: PUBLIC });
    expectOAuthError(await tokenCall(codeForm(web, issued)), 400, "invalid_grant");
  });

  it("Deny redirects with access_denied, the state and iss, and issues nothing", async () => {
    const username = await makeUser(rt, "deny.user");
    const user = (await rt.store.users.byUsername(username))!;
    const [issued, given] = [await auditCount(rt, "oauth_code.issue"), await auditCount(rt, "oauth.consent_given")];
    const denied = new URL(denyAuthorization(rt, await okRequest(valid(spa, { state: "keep me" }))));
    expect(denied.origin + denied.pathname).toBe(REDIRECT);
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: "access_denied", error_description: expect.any(String), state: "keep me", iss: PUBLIC });
    const noState = new URL(denyAuthorization(rt, await okRequest(valid(web, { redirect_uri: LOOPBACK }))));
    expect(Object.fromEntries(noState.searchParams)).toEqual({ tenant: "7", error: "access_denied", error_description: expect.any(String), iss: PUBLIC });
    expect(await hasConsent(rt, user.id, spa.clientId)).toBe(false);
    expect([await auditCount(rt, "oauth_code.issue"), await auditCount(rt, "oauth.consent_given")]).toEqual([issued, given]);
  });
});

describe("remembered consent and My account", () => {
  it("remembers consent per user and app; a second Allow keeps when it was first given", async () => {
    const [nina, omar] = [await makeUser(rt, "consent.nina"), await makeUser(rt, "consent.omar")];
    const [ninaId, omarId] = [(await rt.store.users.byUsername(nina))!.id, (await rt.store.users.byUsername(omar))!.id];
    expect(await hasConsent(rt, ninaId, spa.clientId)).toBe(false);
    const first = rt.clock.now();
    await authorizeCode(rt, spa, { username: nina });
    rt.clock.advance(MINUTE);
    await authorizeCode(rt, web, { username: nina });
    expect(await hasConsent(rt, ninaId, spa.clientId)).toBe(true);
    expect(await hasConsent(rt, ninaId, web.clientId)).toBe(true);
    expect(await hasConsent(rt, omarId, spa.clientId)).toBe(false);
    expect(await hasConsent(rt, ninaId, m2m.clientId)).toBe(false);

    const given = await auditCount(rt, "oauth.consent_given");
    rt.clock.advance(MINUTE);
    await authorizeCode(rt, spa, { username: nina });
    expect(await auditCount(rt, "oauth.consent_given")).toBe(given);
    const shown = (app: TestApp, authorizedAt: number, lastUsedAt: number) => ({
      clientId: app.clientId,
      name: app.name,
      description: "",
      logo: null,
      developerName: "",
      privacyPolicyUrl: "",
      authorizedAt,
      lastUsedAt,
    });
    expect(await listAuthorizedApps(await consoleContext(rt, nina))).toEqual([shown(spa, first, first + 2 * MINUTE), shown(web, first + MINUTE, first + MINUTE)]);
    expect(await listAuthorizedApps(await consoleContext(rt, omar))).toEqual([]);
  });

  it("revoking ends that user's tokens of that app only, at once, and is audited", async () => {
    const [nina, omar] = [await makeUser(rt, "revoke.nina"), await makeUser(rt, "revoke.omar")];
    const ninaWeb = await tokensFor(rt, web, { username: nina });
    const ninaSpa = await tokensFor(rt, spa, { username: nina });
    const omarWeb = await tokensFor(rt, web, { username: omar });
    const ninaCtx = await consoleContext(rt, nina);

    expect(await revokeAuthorization(ninaCtx, web.clientId)).toEqual({ revokedTokens: 2 });
    expect((await searchWith(ninaWeb.access_token)).status).toBe(401);
    expect(await isActive(web, ninaWeb.access_token)).toBe(false);
    expect(await isActive(web, ninaWeb.refresh_token)).toBe(false);
    expectOAuthError(await refreshCall(web, ninaWeb.refresh_token), 400, "invalid_grant");
    expect((await searchWith(ninaSpa.access_token)).status).toBe(200);
    expect((await refreshCall(spa, ninaSpa.refresh_token)).status).toBe(200);
    expect((await searchWith(omarWeb.access_token)).status).toBe(200);
    expect(await isActive(web, omarWeb.refresh_token)).toBe(true);

    const ninaId = (await rt.store.users.byUsername(nina))!.id;
    expect(await hasConsent(rt, ninaId, web.clientId)).toBe(false);
    expect(await hasConsent(rt, (await rt.store.users.byUsername(omar))!.id, web.clientId)).toBe(true);
    expect((await listAuthorizedApps(ninaCtx)).map((a) => a.clientId)).toEqual([spa.clientId]);
    const [event] = await rt.store.audit.list({ action: "oauth.consent_revoked", limit: 1 });
    expect(event).toMatchObject({ actorId: ninaId, subjectType: "oauth_app", subjectId: web.clientId, details: { revokedTokens: 2 } });

    await expect(revokeAuthorization(ninaCtx, web.clientId)).rejects.toBeInstanceOf(NotFound);
    await expect(revokeAuthorization(ninaCtx, m2m.clientId)).rejects.toBeInstanceOf(NotFound);
    await expect(revokeAuthorization(ninaCtx, "constructor")).rejects.toBeInstanceOf(NotFound);
  });

  it("after revoking, the next sign-in asks for consent again", async () => {
    const nina = await makeUser(rt, "again.nina");
    const ninaId = (await rt.store.users.byUsername(nina))!.id;
    await authorizeCode(rt, spa, { username: nina });
    await revokeAuthorization(await consoleContext(rt, nina), spa.clientId);
    expect(await hasConsent(rt, ninaId, spa.clientId)).toBe(false);
    const given = await auditCount(rt, "oauth.consent_given");
    await authorizeCode(rt, spa, { username: nina });
    expect(await auditCount(rt, "oauth.consent_given")).toBe(given + 1);
  });
});

describe("the consent form's CSRF token", () => {
  let request: AuthorizationRequest;
  let userId: string;
  const challenge = pkcePair().challenge;

  beforeAll(async () => {
    request = await okRequest(valid(web, { state: "state-1", code_challenge: challenge, code_challenge_method: "S256", scope: "read" }));
    userId = (await rt.store.users.byUsername("admin"))!.id;
  });

  const check = (token: string, r: AuthorizationRequest = request, user = userId, at = rt.clock.now()) => consentTokenValid(rt.keys, user, r, token, at);

  it("is valid for its user and request for ten minutes, then not", () => {
    const now = rt.clock.now();
    const token = consentToken(rt.keys, userId, request, now);
    expect(check(token, request, userId, now)).toBe(true);
    expect(check(token, request, userId, now + 10 * MINUTE)).toBe(true);
    expect(check(token, request, userId, now + 10 * MINUTE + 1)).toBe(false);
    expect(check(token, request, userId, now - 1)).toBe(false);
    expect(check(token, { ...request }, userId, now)).toBe(true);
  });

  it("is invalid for another user, client, redirect URL, state, challenge or scope", async () => {
    const now = rt.clock.now();
    const token = consentToken(rt.keys, userId, request, now);
    const other = await okRequest(valid(spa, { state: "state-1", code_challenge: challenge, scope: "read" }));
    const variants: [string, AuthorizationRequest][] = [
      ["another client", other],
      ["another redirect URL", { ...request, redirectUri: LOOPBACK }],
      ["another state", { ...request, state: "state-2" }],
      ["no state", { ...request, state: null }],
      ["another challenge", { ...request, codeChallenge: pkcePair().challenge }],
      ["no challenge", { ...request, codeChallenge: null }],
      ["another scope", { ...request, scope: "read write" }],
    ];
    for (const [name, r] of variants) expect(check(token, r, userId, now), name).toBe(false);
    expect(check(token, request, "another-user-id", now)).toBe(false);
    expect(consentTokenValid(deriveKeys("another server secret"), userId, request, token, now)).toBe(false);
  });

  it("is invalid when tampered with or malformed", () => {
    const now = rt.clock.now();
    const token = consentToken(rt.keys, userId, request, now);
    const [stamp, mac] = token.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const tampered = [
      `${stamp}.${flip(mac, mac.length - 1)}`,
      `${stamp}.${flip(mac, 0)}`,
      `${(now - 1).toString(36)}.${mac}`,
      `${stamp}.${mac.slice(0, -1)}`,
      `${stamp}.${mac}A`,
      `${stamp}.`,
      `.${mac}`,
      mac,
      stamp,
      "",
      ".",
      `${stamp}.${mac}.${mac}`,
      `${stamp}.${"A".repeat(300)}`,
      `constructor.${mac}`,
      `${consentToken(rt.keys, userId, request, now + 1)}`,
    ];
    for (const t of tampered) expect(check(t, request, userId, now), t).toBe(false);
  });

  it("is accepted only as issued: its time re-spelled (leading zero, sign, upper case, trailing junk) is invalid", () => {
    const now = rt.clock.now();
    const token = consentToken(rt.keys, userId, request, now);
    const [stamp, mac] = token.split(".") as [string, string];
    expect(stamp).toMatch(/[a-z]/);
    const respelled = [`0${stamp}.${mac}`, `+${stamp}.${mac}`, ` ${stamp}.${mac}`, `${stamp.toUpperCase()}.${mac}`, `${stamp}!.${mac}`, `${stamp}-x.${mac}`];
    for (const t of respelled) expect(check(t, request, userId, now), t).toBe(false);
  });
});
