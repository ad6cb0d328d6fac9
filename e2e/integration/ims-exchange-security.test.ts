/**
 * POST /ims/exchange/jwt refuses everything it must, each with its documented code in the IMS
 * envelope (`{error, error_description}`, `Cache-Control: no-store`) and without issuing anything:
 * client authentication (invalid_client, 401), the JWT's claims (invalid_token), its signature and
 * algorithm (invalid_signature), its metascopes (invalid_scope), the request's shape (bad_request),
 * revoked and migrated credentials, expired certificates and replayed jtis. Failures go through the
 * rate limiter per client ID and per address (a valid exchange is never refused) and are audited once
 * per window with their count, never naming an unknown client ID.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ServiceContext } from "../../lib/services/context";
import {
  migrateServiceCredential,
  refreshServiceCredential,
  removeCredentialKey,
  revokeJwtSide,
  revokeServiceCredential,
} from "../../lib/services/service-credentials/manage";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { consoleContext, createTestRuntime, type TestAnswer, type TestRuntime } from "../../lib/testing/runtime";
import {
  createCredential,
  credentialOf,
  DAY_MS,
  EXCHANGE,
  exchange,
  exchangeForm,
  exchangeMultipart,
  exchangeOk,
  expectDeadToken,
  expectImsError,
  expectLiveToken,
  expectNothingIssued,
  HOUR_S,
  imsApi,
  IMS_BASE,
  issuedCount,
  jwtPart,
  liveTokens,
  multipartBody,
  nowSeconds,
  READ_SCOPE,
  signImsAssertion,
  unsignedJwt,
  WRITE_SCOPE,
  type Credential,
} from "./ims-helpers";

let rt: TestRuntime;
let ctx: ServiceContext;
let cred: Credential;
let other: Credential;

async function start(env: Record<string, string> = {}): Promise<void> {
  rt = await createTestRuntime(env);
  ctx = await consoleContext(rt);
  [cred, other] = await Promise.all([createCredential(ctx, { name: "Main" }), createCredential(ctx, { name: "Other" })]);
}
afterEach(() => rt.cleanup());

/** The exchange is refused with this status and code, and nothing was issued by it. */
async function expectRefused(r: TestAnswer | Promise<TestAnswer>, status: number, error: string): Promise<void> {
  const before = { issued: await issuedCount(rt), live: await liveTokens(rt) };
  expectImsError(await r, status, error);
  expect({ issued: await issuedCount(rt), live: await liveTokens(rt) }).toEqual(before);
}

/** Exchanges `jwt` for `cred` and expects the refusal; nothing may have been issued at all. */
async function expectJwtRefused(jwt: string, status: number, error: string, target: Credential = cred): Promise<void> {
  expectImsError(await exchange(exchangeForm(target, jwt)), status, error);
  expectImsError(await exchangeMultipart(exchangeForm(target, jwt)), status, error);
  await expectNothingIssued(rt);
}

describe("client authentication", () => {
  beforeEach(() => start());

  it("refuses a wrong secret, another credential's secret, an empty and a missing one with 401 invalid_client", async () => {
    const jwt = await signImsAssertion(rt, cred);
    await expectRefused(exchange({ ...exchangeForm(cred, jwt), client_secret: `${cred.secret.slice(0, -1)}x` }), 401, "invalid_client");
    await expectRefused(exchange({ ...exchangeForm(cred, jwt), client_secret: other.secret }), 401, "invalid_client");
    await expectRefused(exchange({ ...exchangeForm(cred, jwt), client_secret: "" }), 401, "invalid_client");
    await expectRefused(exchange({ client_id: cred.clientId, jwt_token: jwt }), 401, "invalid_client");
    await expectRefused(exchangeMultipart({ client_id: cred.clientId, jwt_token: jwt }), 401, "invalid_client");
    await expectRefused(exchange({ ...exchangeForm(cred, jwt), client_secret: "s".repeat(1024) }), 401, "invalid_client");
    await expectNothingIssued(rt);
  });

  it("refuses an unknown client ID, a differently cased one, a 1 KB one and inherited property names with 401 invalid_client", async () => {
    const jwt = await signImsAssertion(rt, cred);
    for (const clientId of ["0123456789abcdef0123456789abcdef", cred.clientId.toUpperCase(), "c".repeat(1024), `${cred.clientId} `, ...INHERITED_NAMES]) {
      await expectRefused(exchange({ ...exchangeForm(cred, jwt), client_id: clientId }), 401, "invalid_client");
    }
    await expectNothingIssued(rt);
  });

  it("refuses the right secret with another credential's client ID", async () => {
    await expectRefused(exchange({ ...exchangeForm(other, await signImsAssertion(rt, cred)), client_secret: cred.secret }), 401, "invalid_client");
  });
});

describe("claims", () => {
  beforeEach(() => start());

  it("refuses another credential's aud with invalid_token", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { aud: `${other.ims}/c/${other.clientId}` } }), 400, "invalid_token");
  });

  it("refuses an aud that does not end in /c/<client ID> with invalid_token", async () => {
    const base = `${cred.ims}/c/${cred.clientId}`;
    for (const aud of [`${base}/`, `${base}x`, `${cred.ims}/s/${cred.clientId}`, `${cred.ims}/c/`, cred.clientId, `${base}?x=1`, [base], 5, undefined]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { aud } }), 400, "invalid_token");
    }
  });

  it("refuses a JWT without metascope claims with invalid_scope", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { scopes: [] }), 400, "invalid_scope");
  });

  it("refuses a metascope the credential lacks with invalid_scope, beside a granted one too", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { scopes: [READ_SCOPE] }), 400, "invalid_scope");
    await expectJwtRefused(await signImsAssertion(rt, cred, { scopes: [WRITE_SCOPE, READ_SCOPE] }), 400, "invalid_scope");
    await expectJwtRefused(await signImsAssertion(rt, cred, { scopes: [WRITE_SCOPE, "ent_analytics_bulk_ingest_sdk"] }), 400, "invalid_scope");
  });

  it("does not count a metascope claim whose value is not exactly true", async () => {
    for (const value of ["true", 1, "1", {}, [true], null]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { scopes: [], claims: { [`${cred.ims}/s/${WRITE_SCOPE}`]: value } }), 400, "invalid_scope");
    }
    // Beside a counted one, it neither adds its scope to the token nor fails the exchange.
    const both = await createCredential(ctx, { metascopes: [WRITE_SCOPE, READ_SCOPE] });
    const token = await exchangeOk(rt, both, { scopes: [READ_SCOPE], claims: { [`${both.ims}/s/${WRITE_SCOPE}`]: "true" } });
    expect(jwtPart(token, 1).scope).toBe(READ_SCOPE);
  });

  it("refuses an exp in the past, and one that is now, with invalid_token", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { exp: nowSeconds(rt) - 1 } }), 400, "invalid_token");
    await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { exp: nowSeconds(rt) } }), 400, "invalid_token");
  });

  it("refuses an exp 25 hours ahead, and one a second beyond 24 hours, with invalid_token", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { exp: nowSeconds(rt) + 25 * HOUR_S } }), 400, "invalid_token");
    await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { exp: nowSeconds(rt) + 24 * HOUR_S + 1 } }), 400, "invalid_token");
  });

  it("refuses an exp that is not a whole number of seconds, or missing, with invalid_token", async () => {
    const soon = nowSeconds(rt) + 300;
    for (const exp of [1.5, soon + 0.5, "123", String(soon), null, true, [soon], undefined]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { exp } }), 400, "invalid_token");
    }
  });

  it("refuses a wrong iss with invalid_token: another org, the customer ID, another case, missing", async () => {
    const anotherOrg = cred.org.startsWith("A") ? `B${cred.org.slice(1)}` : `A${cred.org.slice(1)}`;
    for (const iss of [anotherOrg, cred.org.replace("@KeywardOrg", "@AdobeOrg"), rt.customerId, cred.org.toLowerCase(), `${cred.org} `, cred.clientId, [cred.org], undefined]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { iss } }), 400, "invalid_token");
    }
  });

  it("refuses another credential's technical account as sub with invalid_token, and a missing sub", async () => {
    for (const sub of [other.technicalAccountId, cred.technicalAccountId.toLowerCase(), undefined]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { sub } }), 400, "invalid_token");
    }
  });

  it("refuses a jti that is not a non-empty string of at most 255 characters with invalid_token", async () => {
    for (const jti of ["", "j".repeat(256), 5, {}]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { claims: { jti } }), 400, "invalid_token");
    }
  });

  it("refuses JWTs that are not compact JWS with invalid_token", async () => {
    const jwt = await signImsAssertion(rt, cred);
    const [h, p, s] = jwt.split(".");
    for (const bad of ["not-a-jwt", "a.b", `${jwt}.x`, `${jwt}=`, `${h}..${s}`, `.${p}.${s}`, "W10.e30.", "W10.e30.e30", "\u00e9.e30."]) {
      await expectJwtRefused(bad, 400, "invalid_token");
    }
  });
});

describe("signatures and algorithms", () => {
  beforeEach(() => start());

  it("refuses an unsigned JWT (alg none, however spelled), with or without a valid signature kept, with invalid_signature", async () => {
    const claims = jwtPart(await signImsAssertion(rt, cred), 1);
    for (const alg of ["none", "None", "NONE"]) await expectJwtRefused(unsignedJwt({ alg, typ: "JWT" }, claims), 400, "invalid_signature");
    const valid = await signImsAssertion(rt, cred);
    await expectJwtRefused(unsignedJwt({ alg: "none", typ: "JWT" }, claims, valid.split(".")[2]), 400, "invalid_signature");
    // A header without alg names no algorithm, so neither RS256.
    await expectJwtRefused(unsignedJwt({ typ: "JWT" }, claims), 400, "invalid_signature");
    await expectJwtRefused("e30.e30.", 400, "invalid_signature");
  });

  it("refuses HS256 signed with the client secret, and with the certificate PEM, as the HMAC key", async () => {
    const enc = new TextEncoder();
    for (const secret of [cred.secret, cred.certificatePem]) {
      await expectJwtRefused(await signImsAssertion(rt, cred, { alg: "HS256", key: enc.encode(secret) }), 400, "invalid_signature");
    }
  });

  it("refuses RS384, RS512, PS256 and PS512 signatures made with the credential's own key", async () => {
    for (const alg of ["RS384", "RS512", "PS256", "PS512"]) await expectJwtRefused(await signImsAssertion(rt, cred, { alg }), 400, "invalid_signature");
  });

  it("refuses a JWT signed by another credential's private key, even naming it in a jwk header", async () => {
    await expectJwtRefused(await signImsAssertion(rt, cred, { key: other.privateKey }), 400, "invalid_signature");
    const jwk = await exportJWK(createPublicKey(other.privateKey));
    await expectJwtRefused(await signImsAssertion(rt, cred, { key: other.privateKey, header: { jwk } }), 400, "invalid_signature");
  });

  it("refuses a JWT signed by a fresh RSA key, and ES256 with a P-256 key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await expectJwtRefused(await signImsAssertion(rt, cred, { key: privateKey }), 400, "invalid_signature");
    const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    await expectJwtRefused(await signImsAssertion(rt, cred, { key: ec.privateKey, alg: "ES256" }), 400, "invalid_signature");
  });

  it("refuses a JWT whose signature or claims were altered after signing", async () => {
    const valid = await signImsAssertion(rt, cred);
    const [h, p, s] = valid.split(".") as [string, string, string];
    const signature = Buffer.from(s, "base64url");
    signature[10] = signature[10]! ^ 0x01;
    await expectJwtRefused(`${h}.${p}.${signature.toString("base64url")}`, 400, "invalid_signature");
    const claims = { ...jwtPart(valid, 1), sub: other.technicalAccountId };
    await expectJwtRefused(`${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`, 400, "invalid_signature");
  });

  it("refuses a crit header with invalid_token", async () => {
    const jwt = await new SignJWT(jwtPart(await signImsAssertion(rt, cred), 1)).setProtectedHeader({ alg: "RS256", crit: ["b64"], b64: true }).sign(cred.privateKey);
    await expectJwtRefused(jwt, 400, "invalid_token");
  });
});

describe("certificates", () => {
  beforeEach(() => start());

  it("after Refresh the old key works until its certificate's notAfter, then only the new key works", async () => {
    const [oldKey] = (await rt.store.serviceCredentials.withKeys(cred.clientId))!.keys;
    rt.clock.advance(300 * DAY_MS);
    const refreshed = credentialOf(await refreshServiceCredential(ctx, cred.clientId));
    expect(refreshed.secret).toBe(cred.secret);

    rt.clock.set(oldKey!.notAfter);
    await exchangeOk(rt, cred);
    await exchangeOk(rt, refreshed);
    const issued = await issuedCount(rt);

    rt.clock.set(oldKey!.notAfter + 1);
    const oldJwt = await signImsAssertion(rt, cred);
    expect(jwtPart(oldJwt, 1).exp).toBeGreaterThan(nowSeconds(rt));
    await expectRefused(exchange(exchangeForm(cred, oldJwt)), 400, "invalid_signature");
    expect(await issuedCount(rt)).toBe(issued);
    await exchangeOk(rt, refreshed);
  });

  it("refuses the only certificate after it expires, with invalid_signature", async () => {
    const [key] = (await rt.store.serviceCredentials.withKeys(cred.clientId))!.keys;
    rt.clock.set(key!.notAfter + 1000);
    await expectJwtRefused(await signImsAssertion(rt, cred), 400, "invalid_signature");
  });

  it("refuses a removed certificate's JWTs with invalid_signature, and its tokens stop working", async () => {
    const token = await exchangeOk(rt, cred);
    const [oldKey] = (await rt.store.serviceCredentials.withKeys(cred.clientId))!.keys;
    const refreshed = credentialOf(await refreshServiceCredential(ctx, cred.clientId));
    await removeCredentialKey(ctx, cred.clientId, oldKey!.id);
    await expectDeadToken(token);
    await expectRefused(exchange(exchangeForm(cred, await signImsAssertion(rt, cred))), 400, "invalid_signature");
    await expectLiveToken(await exchangeOk(rt, refreshed));
  });
});

describe("replays", () => {
  beforeEach(() => start());

  it("refuses a JWT with a jti the second time with invalid_token, multipart or urlencoded, and keeps the first token", async () => {
    const jwt = await signImsAssertion(rt, cred, { jti: true });
    const first = await exchange(exchangeForm(cred, jwt));
    expect(first.status).toBe(200);
    await expectRefused(exchange(exchangeForm(cred, jwt)), 400, "invalid_token");
    await expectRefused(exchangeMultipart(exchangeForm(cred, jwt)), 400, "invalid_token");
    rt.clock.advance(60_000);
    await expectRefused(exchange(exchangeForm(cred, jwt)), 400, "invalid_token");
    expect(await issuedCount(rt)).toBe(1);
    await expectLiveToken(first.body.access_token);
  });

  it("of two parallel exchanges of one jti, exactly one wins", async () => {
    const jwt = await signImsAssertion(rt, cred, { jti: true });
    const answers = await Promise.all([exchange(exchangeForm(cred, jwt)), exchange(exchangeForm(cred, jwt)), exchange(exchangeForm(cred, jwt))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    for (const a of answers.filter((x) => x.status !== 200)) expectImsError(a, 400, "invalid_token");
    expect(await issuedCount(rt)).toBe(1);
  });

  it("the same jti is another credential's own", async () => {
    const jti = "shared-jti-1";
    await exchangeOk(rt, cred, { claims: { jti } });
    await exchangeOk(rt, other, { claims: { jti } });
  });
});

describe("request shape", () => {
  beforeEach(() => start());

  const raw = (body: string, contentType: string, path = EXCHANGE) => imsApi(path, { body, headers: { "content-type": contentType } });

  it("refuses a multipart body whose boundary does not match, or is missing, with bad_request", async () => {
    const m = multipartBody(exchangeForm(cred, await signImsAssertion(rt, cred)), "real-boundary");
    await expectRefused(raw(m.body, "multipart/form-data; boundary=other-boundary"), 400, "bad_request");
    await expectRefused(raw(m.body, "multipart/form-data"), 400, "bad_request");
    await expectRefused(raw(m.body, "multipart/form-data; boundary="), 400, "bad_request");
  });

  it("refuses a truncated multipart body with bad_request", async () => {
    const m = multipartBody(exchangeForm(cred, await signImsAssertion(rt, cred)));
    for (const cut of [m.body.length - 10, Math.floor(m.body.length / 2), 20]) {
      await expectRefused(raw(m.body.slice(0, cut), m.contentType), 400, "bad_request");
    }
  });

  it("refuses a multipart body with too many parts with bad_request", async () => {
    const form = exchangeForm(cred, await signImsAssertion(rt, cred));
    const fields: [string, string][] = [...Object.entries(form), ...Array.from({ length: 250 }, (_, i) => [`x${i}`, "1"] as [string, string])];
    await expectRefused(imsApi(EXCHANGE, { multipart: fields }), 400, "bad_request");
  });

  it("refuses a body over 1 MiB with bad_request", async () => {
    const form = exchangeForm(cred, await signImsAssertion(rt, cred));
    await expectRefused(raw(`${new URLSearchParams(form).toString()}&pad=${"a".repeat(1024 * 1024)}`, "application/x-www-form-urlencoded"), 400, "bad_request");
  });

  it("refuses each parameter sent twice, in the body or in the query and the body, with bad_request", async () => {
    const form = exchangeForm(cred, await signImsAssertion(rt, cred));
    for (const name of ["client_id", "client_secret", "jwt_token"] as const) {
      const body = new URLSearchParams(form);
      body.append(name, form[name]);
      await expectRefused(raw(body.toString(), "application/x-www-form-urlencoded"), 400, "bad_request");
      await expectRefused(imsApi(EXCHANGE, { multipart: [...Object.entries(form), [name, form[name]]] }), 400, "bad_request");
    }
    await expectRefused(imsApi(`${EXCHANGE}?client_id=${cred.clientId}`, { form }), 400, "bad_request");
  });

  it("refuses client_secret or jwt_token in the query string with bad_request, even when the body has them too", async () => {
    const form = exchangeForm(cred, await signImsAssertion(rt, cred));
    for (const name of ["client_secret", "jwt_token"] as const) {
      const inUrl = `${EXCHANGE}?${new URLSearchParams({ [name]: form[name] })}`;
      const { [name]: _moved, ...rest } = form;
      await expectRefused(imsApi(inUrl, { form: rest }), 400, "bad_request");
      await expectRefused(imsApi(inUrl, { form }), 400, "bad_request");
      await expectRefused(imsApi(`${EXCHANGE}/?${new URLSearchParams({ [name]: "" })}`, { form }), 400, "bad_request");
    }
    await expectRefused(imsApi(`${IMS_BASE}${EXCHANGE}?${new URLSearchParams(form)}`, { method: "POST" }), 400, "bad_request");
  });

  it("refuses a missing client ID or JWT with bad_request", async () => {
    const form = exchangeForm(cred, await signImsAssertion(rt, cred));
    const { client_id: _c, ...noClient } = form;
    const { jwt_token: _j, ...noJwt } = form;
    await expectRefused(exchange(noClient), 400, "bad_request");
    await expectRefused(exchange(noJwt), 400, "bad_request");
    await expectRefused(exchange({ ...form, jwt_token: "" }), 400, "bad_request");
    await expectRefused(exchangeMultipart(noJwt), 400, "bad_request");
    await expectRefused(imsApi(EXCHANGE, { method: "POST" }), 400, "bad_request");
  });

  it("answers a 20 KB jwt_token with a 4xx (invalid_token), never a 5xx", async () => {
    const big = await signImsAssertion(rt, cred, { claims: { pad: "x".repeat(20 * 1024) } });
    expect(big.length).toBeGreaterThan(20 * 1024);
    for (const jwt of [big, "a".repeat(20 * 1024), `${await signImsAssertion(rt, cred)}${"A".repeat(20 * 1024)}`]) {
      await expectRefused(exchange(exchangeForm(cred, jwt)), 400, "invalid_token");
      await expectRefused(exchangeMultipart(exchangeForm(cred, jwt)), 400, "invalid_token");
    }
  });
});

describe("revocation and migration", () => {
  beforeEach(() => start());

  it("a revoked credential's exchanges are invalid_client and its tokens are refused on the REST API at once", async () => {
    const token = await exchangeOk(rt, cred);
    await expectLiveToken(token);
    const otherToken = await exchangeOk(rt, other);
    await revokeServiceCredential(ctx, cred.clientId);
    await expectDeadToken(token);
    await expectRefused(exchange(exchangeForm(cred, await signImsAssertion(rt, cred))), 401, "invalid_client");
    await expectRefused(exchangeMultipart(exchangeForm(cred, await signImsAssertion(rt, cred, { jti: true }))), 401, "invalid_client");
    // The other credential is untouched.
    await expectLiveToken(otherToken);
    expect(await liveTokens(rt)).toEqual([{ clientId: other.clientId, liveTokens: 1 }]);
  });

  it("a migrated credential still exchanges JWTs until its JWT side is revoked; then invalid_client, and its JWT tokens die", async () => {
    await migrateServiceCredential(ctx, cred.clientId);
    const token = await exchangeOk(rt, cred);
    await expectLiveToken(token);
    await revokeJwtSide(ctx, cred.clientId);
    await expectDeadToken(token);
    await expectRefused(exchange(exchangeForm(cred, await signImsAssertion(rt, cred))), 401, "invalid_client");
    // The server-to-server side works with the same client ID and secret.
    const s2s = await imsApi("/token/v3", { form: { grant_type: "client_credentials", client_id: cred.clientId, client_secret: cred.secret } });
    expect(s2s.status, JSON.stringify(s2s.body)).toBe(200);
    await expectLiveToken(s2s.body.access_token);
  });
});

describe("rate limits", () => {
  const ATTACKER = "203.0.113.9";
  const NEIGHBOUR = "198.51.100.20";

  const wrongSecret = async (target: Credential = cred, ip = ATTACKER) =>
    exchange({ ...exchangeForm(target, await signImsAssertion(rt, target)), client_secret: "kwsc_wrong" }, ip);
  const foreignKey = async (target: Credential = cred, ip = ATTACKER) => exchange(exchangeForm(target, await signImsAssertion(rt, target, { key: other.privateKey })), ip);

  function expectLimited(r: TestAnswer): void {
    expectImsError(r, 429, "too_many_requests");
    const retry = Number(r.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
  }
  const failedEvents = () => rt.store.audit.list({ action: "ims.exchange_failed", limit: 100 });

  it("answers three failures for one client ID as such and the next with 429 too_many_requests and Retry-After", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    expectImsError(await wrongSecret(), 401, "invalid_client");
    expectImsError(await foreignKey(), 400, "invalid_signature");
    expectImsError(await wrongSecret(), 401, "invalid_client");
    expectLimited(await foreignKey());
    expectLimited(await wrongSecret());
    expectLimited(await wrongSecret(cred, NEIGHBOUR));
    await expectNothingIssued(rt);
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 100 })).toMatchObject([{ details: { limit: "ims.client", key: cred.clientId } }]);
  });

  it("never refuses a correct exchange for the limited client ID, from the attacker's address or another", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    for (let i = 0; i < 5; i++) await wrongSecret();
    expectLimited(await wrongSecret());
    for (const ip of [NEIGHBOUR, ATTACKER]) {
      const r = await exchange(exchangeForm(cred, await signImsAssertion(rt, cred)), ip);
      expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { token_type: "bearer", access_token: expect.any(String), expires_in: 86_400_000 } });
    }
    // Another credential is limited on its own.
    expectImsError(await wrongSecret(other), 401, "invalid_client");
  });

  it("lets the client ID fail again as the window refills", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    for (let i = 0; i < 3; i++) await wrongSecret();
    expectLimited(await wrongSecret());
    rt.clock.advance(20_000);
    expectImsError(await wrongSecret(), 401, "invalid_client");
    expectLimited(await wrongSecret());
  });

  it("limits failures from one address across client IDs (unknown ones included); another address is unaffected", async () => {
    await start({ KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "3" });
    expectImsError(await wrongSecret(cred), 401, "invalid_client");
    expectImsError(await wrongSecret(other), 401, "invalid_client");
    expectImsError(await wrongSecret({ ...cred, clientId: "0123456789abcdef0123456789abcdef" }), 401, "invalid_client");
    expectLimited(await wrongSecret(cred));
    expectLimited(await wrongSecret({ ...cred, clientId: "fedcba9876543210fedcba9876543210" }));
    expectImsError(await wrongSecret(cred, NEIGHBOUR), 401, "invalid_client");
    const valid = await exchange(exchangeForm(cred, await signImsAssertion(rt, cred)), ATTACKER);
    expect(valid.status).toBe(200);
  });

  it("a limited address spraying fresh client IDs writes no audit row per refused request", async () => {
    await start({ KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "3" });
    const jwt = await signImsAssertion(rt, cred);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await exchange({ ...exchangeForm(cred, jwt), client_id: `spray-${i}` }, ATTACKER)).status);
    expect(statuses).toEqual([...Array<number>(3).fill(401), ...Array<number>(37).fill(429)]);
    expect((await failedEvents()).length).toBeLessThanOrEqual(2);
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 100 })).toMatchObject([{ details: { limit: "ims.address", key: ATTACKER } }]);
  });

  it("audits the failures of a client ID once per window, with their count", async () => {
    await start({});
    for (let i = 0; i < 5; i++) expectImsError(await wrongSecret(), 401, "invalid_client");
    const first = await failedEvents();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      actorId: null,
      actorName: "anonymous",
      subjectType: "service_credential",
      subjectId: cred.clientId,
      ip: ATTACKER,
      details: { reason: "wrong_secret", count: 1 },
    });
    rt.clock.advance(61_000);
    expectImsError(await foreignKey(), 400, "invalid_signature");
    const [latest, ...rest] = await failedEvents();
    expect(rest).toHaveLength(1);
    // Four unreported failures of the first window, plus this one.
    expect(latest).toMatchObject({ subjectId: cred.clientId, details: { reason: "assertion", count: 5, detail: "signature" } });
  });

  it("never writes an unknown client ID to the audit log, even once it is rate limited", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    // A secret pasted into the client ID field.
    const pasted = `kwsc_${"Q".repeat(40)}`;
    const jwt = await signImsAssertion(rt, cred);
    for (let i = 0; i < 3; i++) expectImsError(await exchange({ ...exchangeForm(cred, jwt), client_id: pasted }, ATTACKER), 401, "invalid_client");
    expectLimited(await exchange({ ...exchangeForm(cred, jwt), client_id: pasted }, NEIGHBOUR));
    rt.clock.advance(61_000);
    expectImsError(await exchange({ ...exchangeForm(cred, jwt), client_id: pasted }, ATTACKER), 401, "invalid_client");
    const events = await rt.store.audit.list({ limit: 1000 });
    const failed = events.filter((e) => e.action === "ims.exchange_failed");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const e of failed) expect(e).toMatchObject({ subjectId: null, details: { reason: "unknown_client", clientIdLength: pasted.length } });
    // The same unknown ID is still limited as one, from any address; the limiter's report names it only by a keyed hash.
    expect(events.filter((e) => e.action === "security.rate_limited")).toMatchObject([{ details: { limit: "ims.client", key: expect.stringMatching(/^unknown-client:[\w-]{22}$/) } }]);
    expect(JSON.stringify(events)).not.toContain("QQQQQQQQ");
  });
});
