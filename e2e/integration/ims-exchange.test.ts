/**
 * POST /ims/exchange/jwt, the way it works: a service credential's client ID, secret and a JWT signed
 * with the bundle's private key, multipart or urlencoded, with or without the trailing slash, buy a
 * 24-hour access token (`expires_in` in milliseconds). The token is an ES256 JWT verifiable with the
 * JWKS at /ims/keys, carries the vendor's claims, and acts on the REST API as the technical account,
 * within its metascopes and access level. The issue is audited; a JWT with a jti works once.
 */
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServiceContext } from "../../lib/services/context";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import {
  bearer,
  createCredential,
  DAY_MS,
  EXCHANGE,
  exchange,
  exchangeForm,
  exchangeMultipart,
  exchangeOk,
  expectImsError,
  expectLiveToken,
  imsApi,
  issuedCount,
  jwtPart,
  liveTokens,
  READ_SCOPE,
  searchWith,
  signImsAssertion,
  WRITE_SCOPE,
  type Credential,
} from "./ims-helpers";

let rt: TestRuntime;
let ctx: ServiceContext;
let cred: Credential;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  cred = await createCredential(ctx);
});
afterEach(() => rt.cleanup());

/** A successful exchange answer: exactly these keys, no-store. */
function expectTokenAnswer(r: { status: number; body: unknown; headers: Headers }): string {
  expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { token_type: "bearer", access_token: expect.any(String), expires_in: 86_400_000 } });
  expect(Object.keys(r.body as object).sort()).toEqual(["access_token", "expires_in", "token_type"]);
  expect(r.headers.get("cache-control")).toBe("no-store");
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  return (r.body as { access_token: string }).access_token;
}

describe("the exchange", () => {
  it("answers 200 at /ims/exchange/jwt and /ims/exchange/jwt/, multipart and urlencoded, and each token works", async () => {
    const tokens: string[] = [];
    for (const path of [EXCHANGE, `${EXCHANGE}/`]) {
      const jwt1 = await signImsAssertion(rt, cred);
      tokens.push(expectTokenAnswer(await imsApi(path, { multipart: exchangeForm(cred, jwt1) })));
      const jwt2 = await signImsAssertion(rt, cred);
      tokens.push(expectTokenAnswer(await imsApi(path, { form: exchangeForm(cred, jwt2) })));
    }
    expect(new Set(tokens).size).toBe(4);
    for (const t of tokens) await expectLiveToken(t);
    expect(await issuedCount(rt)).toBe(4);
    expect(await liveTokens(rt)).toEqual([{ clientId: cred.clientId, liveTokens: 4 }]);
  });

  it("accepts the multipart body in the shape form-data writes for @adobe/jwt-auth (quoted boundary too)", async () => {
    const fields = exchangeForm(cred, await signImsAssertion(rt, cred));
    const boundary = "--------------------------123456789012345678901234";
    let body = "";
    for (const [name, value] of Object.entries(fields)) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    body += `--${boundary}--\r\n`;
    expectTokenAnswer(await imsApi(EXCHANGE, { body, headers: { "content-type": `multipart/form-data; boundary="${boundary}"` } }));
  });

  it("issues a token whose header is ES256/JWT with a kid published at /ims/keys, and which verifies against that JWKS", async () => {
    const token = expectTokenAnswer(await exchangeMultipart(exchangeForm(cred, await signImsAssertion(rt, cred))));
    const header = jwtPart(token, 0);
    expect(Object.keys(header).sort()).toEqual(["alg", "kid", "typ"]);
    expect(header).toEqual({ alg: "ES256", typ: "JWT", kid: expect.any(String) });

    const keys = await imsApi("/keys");
    expect(keys.status).toBe(200);
    expect(keys.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    for (const k of keys.body.keys) {
      expect(Object.keys(k).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
      expect(k).not.toHaveProperty("d");
    }
    const jwks = createLocalJWKSet(keys.body);
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ["ES256"], currentDate: new Date(rt.clock.now()) });
    expect(protectedHeader.kid).toBe(header.kid);
    expect(payload.user_id).toBe(cred.technicalAccountId);
  });

  it("puts the vendor's claims in the token: type, client_id, user_id, as, created_at and expires_in as strings (ms), exp", async () => {
    const issuedAt = rt.clock.now();
    const token = await exchangeOk(rt, cred);
    const payload = jwtPart(token, 1);
    expect(payload).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      type: "access_token",
      client_id: cred.clientId,
      user_id: cred.technicalAccountId,
      as: expect.any(String),
      scope: WRITE_SCOPE,
      created_at: String(issuedAt),
      expires_in: "86400000",
      exp: Math.floor((issuedAt + DAY_MS) / 1000),
    });
    expect(payload.as).not.toBe("");
  });

  it("names in the token only the metascopes the JWT asked for, in claim order", async () => {
    const both = await createCredential(ctx, { metascopes: [WRITE_SCOPE, READ_SCOPE] });
    const token = await exchangeOk(rt, both, { scopes: [READ_SCOPE, WRITE_SCOPE, READ_SCOPE] });
    expect(jwtPart(token, 1).scope).toBe(`${READ_SCOPE},${WRITE_SCOPE}`);
    const readOnly = await exchangeOk(rt, both, { scopes: [READ_SCOPE] });
    expect(jwtPart(readOnly, 1).scope).toBe(READ_SCOPE);
  });

  it("accepts an exp exactly 24 hours ahead, and extra claims (iat, nbf) as jsonwebtoken adds them", async () => {
    const now = Math.floor(rt.clock.now() / 1000);
    await exchangeOk(rt, cred, { claims: { exp: now + 24 * 3600 } });
    await exchangeOk(rt, cred, { claims: { iat: now, nbf: now } });
  });

  it("audits each issue as ims_token.issue, by the technical account, naming the credential and the key", async () => {
    await exchange(exchangeForm(cred, await signImsAssertion(rt, cred)), "198.51.100.7");
    const events = await rt.store.audit.list({ action: "ims_token.issue", limit: 10 });
    const keyId = (await rt.store.serviceCredentials.withKeys(cred.clientId))!.keys[0]!.id;
    expect(events).toEqual([
      expect.objectContaining({
        action: "ims_token.issue",
        actorId: cred.technicalAccountId,
        subjectType: "service_credential",
        subjectId: cred.clientId,
        ip: "198.51.100.7",
        details: expect.objectContaining({ grant: "jwt_bearer", keyId, scope: WRITE_SCOPE }),
      }),
    ]);
  });

  it("exchanges a JWT with a jti once; the second exchange of it is invalid_token and issues nothing", async () => {
    const jwt = await signImsAssertion(rt, cred, { jti: true });
    const first = await exchange(exchangeForm(cred, jwt));
    expectTokenAnswer(first);
    expectImsError(await exchange(exchangeForm(cred, jwt)), 400, "invalid_token");
    expect(await issuedCount(rt)).toBe(1);
    const [event] = await rt.store.audit.list({ action: "ims_token.issue", limit: 10 });
    expect(event!.details).toMatchObject({ jti: jwtPart(jwt, 1).jti });
    // A JWT without a jti (as @adobe/jwt-auth signs them) may be exchanged again within its lifetime.
    const noJti = await signImsAssertion(rt, cred);
    expectTokenAnswer(await exchange(exchangeForm(cred, noJti)));
    expectTokenAnswer(await exchange(exchangeForm(cred, noJti)));
  });
});

describe("methods and paths", () => {
  it("answers GET (and HEAD) on the exchange with 405 in the IMS envelope", async () => {
    for (const path of [EXCHANGE, `${EXCHANGE}/`]) {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const r = await imsApi(path, { method });
        expectImsError(r, 405, "method_not_allowed");
        expect(r.headers.get("allow")).toBe("POST");
      }
    }
    const head = await imsApi(EXCHANGE, { method: "HEAD" });
    expect(head.status).toBe(405);
    expect(head.headers.get("cache-control")).toBe("no-store");
    const post = await imsApi("/keys", { method: "POST", form: { a: "b" } });
    expectImsError(post, 405, "method_not_allowed");
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers an unknown IMS path with 404 JSON, never a redirect", async () => {
    for (const path of ["/foo", "/exchange/jwt/extra", "/exchange", "/exchange/jwt//", "/"]) {
      for (const method of ["GET", "POST"]) {
        const r = await imsApi(path, method === "POST" ? { form: { a: "b" } } : { method });
        expectImsError(r, 404, "not_found");
        expect(r.headers.get("location")).toBeNull();
      }
    }
  });

  it("serves the JWKS with a public cache lifetime", async () => {
    const r = await imsApi("/keys");
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("public, max-age=60");
    expect(r.body).toEqual({ keys: [expect.objectContaining({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" })] });
  });
});

describe("the token on the REST API", () => {
  it("searches projects with Authorization: Bearer, as the technical account", async () => {
    const token = await exchangeOk(rt, cred);
    const r = await searchWith(token);
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { data: expect.any(Array) } });
    // The Bearer scheme is case-insensitive.
    expect((await api("/project/search", { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
  });

  it("creates a project owned by the technical account, audited as changed through the credential", async () => {
    const token = await exchangeOk(rt, cred);
    const created = await api("/project", { headers: bearer(token), json: { name: "From the integration" } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const got = await api(`/project/${created.body.data.ID}?fields=ownerID`, { headers: bearer(token) });
    expect(got.body.data).toMatchObject({ name: "From the integration", ownerID: cred.technicalAccountId });
    const [event] = await rt.store.audit.list({ action: "project.create", limit: 10 });
    expect(event).toMatchObject({ actorId: cred.technicalAccountId, details: expect.objectContaining({ viaOAuthClient: cred.clientId }) });
  });

  it("a user-level technical account cannot change an administrator's project; an admin-level one can; neither can create users", async () => {
    const adminSession = (await api("/login", { form: { username: "admin", password: "admin-password-1" } })).body.data.sessionID as string;
    const project = (await api("/project", { headers: { sessionID: adminSession }, json: { name: "The admin's" } })).body.data.ID as string;

    const userLevel = await exchangeOk(rt, cred);
    const denied = await api(`/project/${project}`, { method: "PUT", headers: bearer(userLevel), json: { name: "Taken over" } });
    expect(denied.status).toBe(403);

    const admin = await createCredential(ctx, { accessLevel: "admin" });
    const adminLevel = await exchangeOk(rt, admin);
    const allowed = await api(`/project/${project}`, { method: "PUT", headers: bearer(adminLevel), json: { name: "Renamed by the admin account" } });
    expect(allowed.status, JSON.stringify(allowed.body)).toBe(200);

    for (const token of [userLevel, adminLevel]) {
      const user = await api("/user", { headers: bearer(token), json: { username: "backdoor", name: "Backdoor", password: "backdoor-password-1", accessLevel: "admin" } });
      expect(user.status).toBe(403);
    }
    expect(await rt.store.users.byUsername("backdoor")).toBeNull();
  });

  it("a token whose JWT named only the read-only metascope searches but gets 403 on create", async () => {
    const both = await createCredential(ctx, { metascopes: [WRITE_SCOPE, READ_SCOPE] });
    const readOnly = await exchangeOk(rt, both, { scopes: [READ_SCOPE] });
    expect((await searchWith(readOnly)).status).toBe(200);
    const create = await api("/project", { headers: bearer(readOnly), json: { name: "Not allowed" } });
    expect(create.status).toBe(403);
    const viaGet = await api("/project?method=post&name=ViaGet", { headers: bearer(readOnly) });
    expect(viaGet.status).toBe(403);
    expect((await api("/project/count?name=Not allowed", { headers: bearer(readOnly) })).body.data.count).toBe(0);

    const readWrite = await exchangeOk(rt, both);
    expect((await api("/project", { headers: bearer(readWrite), json: { name: "Allowed" } })).status).toBe(200);
  });

  it("a credential granted only the read-only metascope gets read-only tokens", async () => {
    const readOnlyCred = await createCredential(ctx, { metascopes: [READ_SCOPE] });
    const token = await exchangeOk(rt, readOnlyCred);
    expect((await searchWith(token)).status).toBe(200);
    expect((await api("/project", { headers: bearer(token), json: { name: "No" } })).status).toBe(403);
  });
});
