/**
 * Revocation (RFC 7009): a refresh token takes its family and the family's access tokens, an access
 * token goes alone, and a token that is unknown or another client's is answered 200 with nothing
 * changed. Introspection (RFC 7662): confidential clients only, each seeing only its own live tokens.
 * The authorization server metadata (RFC 8414) at both well-known paths.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handleMetadataRequest } from "../../lib/oauth/metadata-endpoint";
import { createTestRuntime, OAUTH_BASE, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import { startApiServer } from "../../lib/testing/server";
import { basicHeader, expectTokens, introspectCall, isActive, makeApp, makeUser, refreshCall, revokeCall, tokensFor, type TestApp } from "./oauth-code-helpers";
import { expectDeadToken, expectOAuthError, searchWith } from "./oauth-helpers";

const HOUR = 3_600_000;
const PUBLIC = "https://keyward.example.com";

let rt: TestRuntime;
let web: TestApp;
let spa: TestApp;

const live = async (token: string) => (await searchWith(token)).status === 200;

/** A revocation answer: 200, an empty JSON object, no-store. */
function expectRevoked(r: { status: number; body: unknown; headers: Headers }): void {
  expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: {} });
  expect(r.headers.get("cache-control")).toBe("no-store");
}

describe("revocation and introspection", () => {
  beforeEach(async () => {
    rt = await createTestRuntime({ KEYWARD_PUBLIC_URL: PUBLIC });
    web = await makeApp(rt, "web");
    spa = await makeApp(rt, "single_page");
  });
  afterEach(() => rt.cleanup());

  describe("revocation", () => {
    it("of a refresh token revokes its family: every access token of the sign-in and the refresh tokens", async () => {
      const first = await tokensFor(rt, web);
      const second = expectTokens(await refreshCall(web, first.refresh_token), "sessionID");
      const other = await tokensFor(rt, web);
      expectRevoked(await revokeCall(web, second.refresh_token));
      await expectDeadToken(first.access_token);
      await expectDeadToken(second.access_token);
      expectOAuthError(await refreshCall(web, second.refresh_token), 400, "invalid_grant");
      expect(await isActive(web, second.refresh_token)).toBe(false);
      expect(await live(other.access_token)).toBe(true);
      expect(await rt.store.audit.list({ action: "oauth_token.revoke", limit: 5 })).toMatchObject([
        { subjectType: "oauth_app", subjectId: web.clientId, details: { kind: "refresh", revokedTokens: 4 } },
      ]);
    });

    it("of an access token revokes only that token; the refresh token still works", async () => {
      const tokens = await tokensFor(rt, web);
      expectRevoked(await revokeCall(web, tokens.access_token));
      await expectDeadToken(tokens.access_token);
      const next = expectTokens(await refreshCall(web, tokens.refresh_token), "sessionID");
      expect(await live(next.access_token)).toBe(true);
    });

    it("of another client's token answers 200 and changes nothing", async () => {
      const tokens = await tokensFor(rt, web);
      const other = await makeApp(rt, "web");
      expectRevoked(await revokeCall(other, tokens.refresh_token));
      expectRevoked(await revokeCall(spa, tokens.access_token));
      expect(await live(tokens.access_token)).toBe(true);
      expect(await isActive(web, tokens.refresh_token)).toBe(true);
      expect(await rt.store.audit.list({ action: "oauth_token.revoke", limit: 5 })).toEqual([]);
    });

    it("of an unknown, malformed or already revoked token answers 200", async () => {
      const tokens = await tokensFor(rt, web);
      expectRevoked(await revokeCall(web, "no-such-token"));
      expectRevoked(await revokeCall(web, "x".repeat(300)));
      expectRevoked(await revokeCall(web, tokens.refresh_token));
      expectRevoked(await revokeCall(web, tokens.refresh_token));
      expectRevoked(await revokeCall(web, tokens.access_token));
    });

    it("by a single-page app with its client_id only, and by Basic for a web app", async () => {
      const spaTokens = await tokensFor(rt, spa);
      expectRevoked(await revokeCall(spa, spaTokens.refresh_token));
      await expectDeadToken(spaTokens.access_token);
      const webTokens = await tokensFor(rt, web);
      expectRevoked(await oauthApi("/revoke", { form: { token: webTokens.access_token }, headers: { authorization: basicHeader(web.clientId, web.secret!) } }));
      await expectDeadToken(webTokens.access_token);
    });

    it("refuses a client that does not authenticate, and token_type_hint does not change the outcome", async () => {
      const tokens = await tokensFor(rt, web);
      expectOAuthError(await revokeCall(web, tokens.access_token, { client_secret: "wrong" }), 401, "invalid_client");
      expectOAuthError(await oauthApi("/revoke", { form: { token: tokens.access_token, client_id: web.clientId } }), 401, "invalid_client");
      expectOAuthError(await oauthApi("/revoke", { form: { client_id: spa.clientId } }), 400, "invalid_request");
      expectOAuthError(await oauthApi(`/revoke?token=${tokens.access_token}`, { form: { client_id: web.clientId, client_secret: web.secret! } }), 400, "invalid_request");
      expect(await live(tokens.access_token)).toBe(true);
      expectRevoked(await revokeCall(web, tokens.refresh_token, { token_type_hint: "access_token" }));
      await expectDeadToken(tokens.access_token);
    });

    it("answers a wrong secret sent by Basic with 401 and WWW-Authenticate, and accepts the path with a trailing slash", async () => {
      const tokens = await tokensFor(rt, web);
      for (const path of ["/revoke", "/introspect"]) {
        const r = await oauthApi(path, { form: { token: tokens.access_token }, headers: { authorization: basicHeader(web.clientId, "wrong") } });
        expectOAuthError(r, 401, "invalid_client");
        expect(r.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      }
      expect((await oauthApi(`${OAUTH_BASE}/introspect/`, { form: { token: tokens.access_token, client_id: web.clientId, client_secret: web.secret! } })).body).toMatchObject({ active: true });
      expectRevoked(await oauthApi(`${OAUTH_BASE}/revoke/`, { form: { token: tokens.access_token, client_id: web.clientId, client_secret: web.secret! } }));
      await expectDeadToken(tokens.access_token);
    });
  });

  describe("introspection", () => {
    it("describes the client's own access and refresh tokens", async () => {
      const username = await makeUser(rt, "seen.user");
      const user = (await rt.store.users.byUsername(username))!;
      const issuedAt = rt.clock.now();
      const tokens = await tokensFor(rt, web, { username });
      rt.clock.advance(1000);
      const access = await introspectCall(web, tokens.access_token);
      expect({ status: access.status, body: access.body }).toEqual({
        status: 200,
        body: {
          active: true,
          client_id: web.clientId,
          username,
          sub: user.id,
          token_type: "access_token",
          exp: Math.floor((issuedAt + HOUR) / 1000),
          iat: Math.floor(issuedAt / 1000),
          iss: PUBLIC,
        },
      });
      expect(access.headers.get("cache-control")).toBe("no-store");
      const refresh = await introspectCall(web, tokens.refresh_token);
      expect(refresh.body).toEqual({
        active: true,
        client_id: web.clientId,
        username,
        sub: user.id,
        token_type: "refresh_token",
        exp: Math.floor((issuedAt + 90 * 24 * HOUR) / 1000),
        iat: Math.floor(issuedAt / 1000),
        iss: PUBLIC,
      });
      const basic = await oauthApi("/introspect", { form: { token: tokens.access_token }, headers: { authorization: basicHeader(web.clientId, web.secret!) } });
      expect(basic.body).toEqual(access.body);
    });

    it("answers {active:false} for another client's, an expired, a revoked, a rotated or an unknown token", async () => {
      const other = await makeApp(rt, "web");
      const theirs = await tokensFor(rt, other);
      const inactive = async (token: string) => {
        const r = await introspectCall(web, token);
        expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { active: false } });
      };
      await inactive(theirs.access_token);
      await inactive(theirs.refresh_token);
      const spaTokens = await tokensFor(rt, spa);
      await inactive(spaTokens.access_token);

      const mine = await tokensFor(rt, web);
      const rotated = expectTokens(await refreshCall(web, mine.refresh_token), "sessionID");
      await inactive(mine.refresh_token);
      expect(await isActive(web, rotated.refresh_token)).toBe(true);
      expectRevoked(await revokeCall(web, rotated.access_token));
      await inactive(rotated.access_token);
      await inactive("no-such-token");
      await inactive("x".repeat(300));

      rt.clock.advance(HOUR);
      await inactive(mine.access_token);
      expect(await isActive(web, rotated.refresh_token)).toBe(true);
    });

    it("gives no exp for a refresh token of an app whose refresh tokens never expire", async () => {
      const forever = await makeApp(rt, "web", { refreshAbsoluteExpiry: "none" });
      const tokens = await tokensFor(rt, forever);
      const r = await introspectCall(forever, tokens.refresh_token);
      expect(r.body).toEqual({ active: true, client_id: forever.clientId, username: "admin", sub: expect.any(String), token_type: "refresh_token", iat: expect.any(Number), iss: PUBLIC });
    });

    it("is for confidential clients only: a single-page app gets invalid_client", async () => {
      const tokens = await tokensFor(rt, spa);
      expectOAuthError(await introspectCall(spa, tokens.access_token), 401, "invalid_client");
      expectOAuthError(await introspectCall(web, tokens.access_token, { client_secret: "wrong" }), 401, "invalid_client");
      expectOAuthError(await oauthApi("/introspect", { form: { client_id: web.clientId, client_secret: web.secret! } }), 400, "invalid_request");
      expect(await live(tokens.access_token)).toBe(true);
    });
  });
});

describe("authorization server metadata", () => {
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    server = await startApiServer();
    rt = await createTestRuntime({ KEYWARD_PUBLIC_URL: `${PUBLIC}/` });
  });
  afterAll(async () => {
    await server.close();
    await rt.cleanup();
  });

  const expected = {
    issuer: PUBLIC,
    authorization_endpoint: `${PUBLIC}/integrations/oauth2/authorize`,
    token_endpoint: `${PUBLIC}/integrations/oauth2/api/v1/token`,
    revocation_endpoint: `${PUBLIC}/integrations/oauth2/api/v1/revoke`,
    introspection_endpoint: `${PUBLIC}/integrations/oauth2/api/v1/introspect`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${PUBLIC}/`,
  };

  it.each(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"])("GET %s serves the whole document, issuer = the public URL", async (path) => {
    const r = await fetch(`${server.url}${path}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await r.json()).toEqual(expected);
    const inProcess = await handleMetadataRequest(new Request(`http://localhost:3000${path}`));
    expect(await inProcess.json()).toEqual(expected);
  });

  it.each(["POST", "PUT", "DELETE"])("%s on the metadata paths is refused in the OAuth envelope", async (method) => {
    for (const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]) {
      const r = await fetch(`${server.url}${path}`, { method, body: method === "DELETE" ? undefined : "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
      expect([404, 405], `${method} ${path}`).toContain(r.status);
      expect(await r.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
    }
  });

  it("the token endpoint it names answers on the real port", async () => {
    const r = await fetch(`${server.url}${new URL(OAUTH_BASE).pathname}/token`, { method: "POST", body: "grant_type=password&client_id=anyone", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: "unsupported_grant_type", error_description: expect.any(String) });
  });
});
