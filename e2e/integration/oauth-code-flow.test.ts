/**
 * The authorization code flow with real standards clients: openid-client v6 (discovery and
 * hand-written metadata) and oauth4webapi v3 against the API on a real port. The user's part (sign
 * in, consent) is the consent service the authorize page calls; e2e/ui covers the page itself.
 */
import * as oauth from "oauth4webapi";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { readAuthorizationRequest } from "../../lib/services/oauth/authorize-request";
import { approveAuthorization } from "../../lib/services/oauth/consent";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { startApiServer } from "../../lib/testing/server";

let rt: TestRuntime;
let server: { url: string; close(): Promise<void> };
const REDIRECT = "http://127.0.0.1:8765/callback";

beforeAll(async () => {
  server = await startApiServer();
  rt = await createTestRuntime({ KEYWARD_PUBLIC_URL: server.url });
});
afterAll(async () => {
  await server.close();
  await rt.cleanup();
});

/** What the browser does: the authorize URL, the signed-in user allowing it, the redirect back. */
async function userAllows(authorizeUrl: URL): Promise<URL> {
  const outcome = await readAuthorizationRequest(rt, authorizeUrl.searchParams);
  if (outcome.kind !== "ok") throw new Error(JSON.stringify(outcome));
  return new URL(await approveAuthorization(await consoleContext(rt), outcome.request));
}

async function searchWith(token: string): Promise<number> {
  const r = await fetch(`${server.url}/attask/api/v20.0/proj/search`, { headers: { authorization: `Bearer ${token}` } });
  return r.status;
}

describe("openid-client v6", () => {
  it("runs authorization code + PKCE for a single-page app found by discovery, refreshes with rotation, and detects reuse", async () => {
    const { app } = await createOAuthApp(await consoleContext(rt), { type: "single_page", name: "SPA", redirectUris: [REDIRECT] });
    const config = await client.discovery(new URL(server.url), app.clientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
      algorithm: "oauth2",
    });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    const callback = await userAllows(url);
    expect(callback.searchParams.get("iss")).toBe(server.url);
    expect(callback.searchParams.get("state")).toBe(state);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(3600);
    expect(await searchWith(tokens.access_token)).toBe(200);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await searchWith(refreshed.access_token)).toBe(200);
    // The first refresh token was rotated: using it again revokes the whole family.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await searchWith(refreshed.access_token)).toBe(401);
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("runs code + client secret for a web app set to Bearer with hand-written metadata, introspects and revokes", async () => {
    const { app, secret } = await createOAuthApp(await consoleContext(rt), { type: "web", name: "Web", redirectUris: [REDIRECT], tokenType: "Bearer" });
    const config = new client.Configuration(
      {
        issuer: server.url,
        authorization_endpoint: `${server.url}/integrations/oauth2/authorize`,
        token_endpoint: `${server.url}/integrations/oauth2/api/v1/token`,
        revocation_endpoint: `${server.url}/integrations/oauth2/api/v1/revoke`,
        introspection_endpoint: `${server.url}/integrations/oauth2/api/v1/introspect`,
        authorization_response_iss_parameter_supported: true,
      },
      app.clientId,
      undefined,
      client.ClientSecretBasic(secret!),
    );
    client.allowInsecureRequests(config);
    const state = client.randomState();
    const callback = await userAllows(client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, state }));
    const tokens = await client.authorizationCodeGrant(config, callback, { expectedState: state });
    expect(await searchWith(tokens.access_token)).toBe(200);
    const seen = await client.tokenIntrospection(config, tokens.access_token);
    expect(seen).toMatchObject({ active: true, client_id: app.clientId, token_type: "access_token", iss: server.url });
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect(await searchWith(tokens.access_token)).toBe(401);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });
});

describe("oauth4webapi v3", () => {
  it("runs code + PKCE and a refresh for a single-page app", async () => {
    const { app } = await createOAuthApp(await consoleContext(rt), { type: "single_page", name: "SPA 2", redirectUris: [REDIRECT] });
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", [oauth.allowInsecureRequests]: true }));
    const c: oauth.Client = { client_id: app.clientId };
    const auth = oauth.None();
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.searchParams.set("client_id", app.clientId);
    url.searchParams.set("redirect_uri", REDIRECT);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set("code_challenge_method", "S256");
    const callback = await userAllows(url);
    const params = oauth.validateAuthResponse(as, c, callback);
    const insecure = { [oauth.allowInsecureRequests]: true };
    const tokens = await oauth.processAuthorizationCodeResponse(as, c, await oauth.authorizationCodeGrantRequest(as, c, auth, params, REDIRECT, verifier, insecure));
    expect(await searchWith(tokens.access_token)).toBe(200);
    const refreshed = await oauth.processRefreshTokenResponse(as, c, await oauth.refreshTokenGrantRequest(as, c, auth, tokens.refresh_token!, insecure));
    expect(await searchWith(refreshed.access_token)).toBe(200);
  });
});
