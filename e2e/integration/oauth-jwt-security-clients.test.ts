/**
 * The JWT exchange authenticates the client before it looks at the assertion: unknown clients and
 * wrong, missing or deleted secrets are `invalid_client` (401), a single-page app (no secret) too, a
 * web app's valid credentials `unauthorized_client` (400). Parameters are read exactly once, from the
 * body; inherited property names and oversize values are plain unknowns, never a 5xx. No token issued.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { deleteOAuthApp } from "../../lib/services/oauth-apps/remove";
import { deleteClientSecret } from "../../lib/services/oauth-apps/remove-secret";
import { getOAuthApp } from "../../lib/services/oauth-apps/get";
import type { ServiceContext } from "../../lib/services/context";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { consoleContext, createTestRuntime, OAUTH_BASE, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import {
  assertionFor,
  createM2mApp,
  EXCHANGE,
  exchange,
  exchangeForm,
  expectOAuthError,
  issuedCount,
  makeSigners,
  type M2mApp,
  type Signer,
} from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;
let app: M2mApp;
let jwt: string;

beforeAll(async () => {
  signers = await makeSigners(1);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  app = await createM2mApp(ctx, signers[0]!);
  jwt = await assertionFor(rt, app);
});
afterEach(async () => {
  // Every case here is a refusal: nothing may have been issued.
  expect(await issuedCount(rt)).toBe(0);
  expect(await rt.store.oauthApps.usage(rt.clock.now())).toEqual([]);
  await rt.cleanup();
});

describe("client authentication", () => {
  it("refuses a wrong secret, an empty one and a missing one with invalid_client", async () => {
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_secret: `${app.secret.slice(0, -1)}x` }), 401, "invalid_client");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_secret: "" }), 401, "invalid_client");
    expectOAuthError(await exchange({ client_id: app.clientId, jwt_token: jwt }), 401, "invalid_client");
  });

  it("refuses another app's secret", async () => {
    const other = await createM2mApp(ctx, signers[0]!);
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_secret: other.secret }), 401, "invalid_client");
  });

  it("refuses a deleted secret at once", async () => {
    const [secret] = (await getOAuthApp(ctx, app.clientId)).secrets;
    await deleteClientSecret(ctx, app.clientId, secret!.id);
    expectOAuthError(await exchange(exchangeForm(app, jwt)), 401, "invalid_client");
  });

  it("refuses an unknown client ID, a differently cased one, and the client ID of a deleted app", async () => {
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_id: "0123456789abcdef0123456789abcdef" }), 401, "invalid_client");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_id: app.clientId.toUpperCase() }), 401, "invalid_client");
    const gone = await createM2mApp(ctx, signers[0]!);
    await deleteOAuthApp(ctx, gone.clientId);
    expectOAuthError(await exchange(exchangeForm(gone, await assertionFor(rt, gone))), 401, "invalid_client");
  });

  it("refuses inherited property names as the client ID, with 401 and never a 5xx", async () => {
    for (const name of INHERITED_NAMES) {
      const r = await exchange({ ...exchangeForm(app, jwt), client_id: name });
      expect({ name, status: r.status, error: r.body.error }).toEqual({ name, status: 401, error: "invalid_client" });
    }
  });

  it("refuses inherited property names as the secret with invalid_client", async () => {
    for (const name of INHERITED_NAMES) expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_secret: name }), 401, "invalid_client");
  });

  it("refuses inherited property names as the JWT's kid with invalid_grant", async () => {
    for (const name of INHERITED_NAMES) {
      expectOAuthError(await exchange(exchangeForm(app, await assertionFor(rt, app, { header: { kid: name } }))), 400, "invalid_grant");
    }
  });

  it("answers a web app's valid client ID and secret with unauthorized_client", async () => {
    const web = await createOAuthApp(ctx, { type: "web", name: "Portal", redirectUris: ["https://portal.example/cb"] });
    const r = await exchange({ client_id: web.app.clientId, client_secret: web.secret!, jwt_token: jwt });
    expectOAuthError(r, 400, "unauthorized_client");
  });

  it("answers a web app's client ID with a wrong secret with invalid_client, not unauthorized_client", async () => {
    const web = await createOAuthApp(ctx, { type: "web", name: "Portal", redirectUris: ["https://portal.example/cb"] });
    expectOAuthError(await exchange({ client_id: web.app.clientId, client_secret: app.secret, jwt_token: jwt }), 401, "invalid_client");
  });

  it("answers a single-page app's client ID with invalid_client: it has no secret", async () => {
    const spa = await createOAuthApp(ctx, { type: "single_page", name: "Dashboard", redirectUris: ["https://dash.example/cb"] });
    expect(spa.secret).toBeNull();
    expectOAuthError(await exchange({ client_id: spa.app.clientId, client_secret: app.secret, jwt_token: jwt }), 401, "invalid_client");
    expectOAuthError(await exchange({ client_id: spa.app.clientId, jwt_token: jwt }), 401, "invalid_client");
  });
});

describe("parameters", () => {
  it("refuses the secret or the JWT in the query string with invalid_request, even when the body has them too", async () => {
    for (const name of ["client_secret", "jwt_token"] as const) {
      const inUrl = `${EXCHANGE}?${new URLSearchParams({ [name]: exchangeForm(app, jwt)[name] })}`;
      const { [name]: _moved, ...rest } = exchangeForm(app, jwt);
      expectOAuthError(await oauthApi(inUrl, { form: rest }), 400, "invalid_request");
      expectOAuthError(await oauthApi(inUrl, { form: exchangeForm(app, jwt) }), 400, "invalid_request");
    }
  });

  it("refuses every credential in the query string with an empty body", async () => {
    const r = await oauthApi(`${OAUTH_BASE}${EXCHANGE}?${new URLSearchParams(exchangeForm(app, jwt))}`, { body: "", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectOAuthError(r, 400, "invalid_request");
  });

  it("refuses each parameter sent twice with invalid_request", async () => {
    const form = exchangeForm(app, jwt);
    for (const name of ["client_id", "client_secret", "jwt_token"] as const) {
      const body = new URLSearchParams(form);
      body.append(name, form[name]);
      const r = await oauthApi(EXCHANGE, { body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
      expectOAuthError(r, 400, "invalid_request");
    }
  });

  it("refuses a client ID sent in the query string and again in the body", async () => {
    expectOAuthError(await oauthApi(`${EXCHANGE}?client_id=${app.clientId}`, { form: exchangeForm(app, jwt) }), 400, "invalid_request");
  });

  it("refuses a missing client ID or JWT with invalid_request", async () => {
    const { client_id: _c, ...noClient } = exchangeForm(app, jwt);
    const { jwt_token: _j, ...noJwt } = exchangeForm(app, jwt);
    expectOAuthError(await exchange(noClient), 400, "invalid_request");
    expectOAuthError(await exchange(noJwt), 400, "invalid_request");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), jwt_token: "" }), 400, "invalid_request");
  });

  it("answers a GET of the exchange with 405 invalid_request and Allow: POST", async () => {
    const r = await oauthApi(`${EXCHANGE}?client_id=${app.clientId}`, { method: "GET" });
    expectOAuthError(r, 405, "invalid_request");
    expect(r.headers.get("allow")).toBe("POST");
  });
});

describe("oversize and malformed inputs", () => {
  it("answers a 20 KB jwt_token with invalid_grant", async () => {
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), jwt_token: `${jwt}${"A".repeat(20 * 1024)}` }), 400, "invalid_grant");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), jwt_token: "a".repeat(20 * 1024) }), 400, "invalid_grant");
  });

  it("answers a 1 KB client ID and a 1 KB secret with invalid_client", async () => {
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_id: "c".repeat(1024) }), 401, "invalid_client");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_id: `${app.clientId}${"0".repeat(1000)}` }), 401, "invalid_client");
    expectOAuthError(await exchange({ ...exchangeForm(app, jwt), client_secret: "s".repeat(1024) }), 401, "invalid_client");
  });

  it("answers JWTs that are not compact JWS with invalid_grant", async () => {
    for (const bad of ["not-a-jwt", "a.b", "a.b.c.d", `${jwt}=`, `${jwt.split(".")[0]}..${jwt.split(".")[2]}`, "e30.e30.", "W10.e30.", "\u00e9.e30."]) {
      expectOAuthError(await exchange({ ...exchangeForm(app, jwt), jwt_token: bad }), 400, "invalid_grant");
    }
  });
});
