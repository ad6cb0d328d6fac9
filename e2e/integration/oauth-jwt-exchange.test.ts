/**
 * The JWT flow's exchange when everything is right: POST /integrations/oauth2/api/v1/jwt/exchange
 * with a machine-to-machine app's client ID and secret and an RS256 JWT signed by one of its keys
 * answers a one-hour access token acting as the key's creator, which the REST API accepts.
 */
import { calculateJwkThumbprint, exportJWK, importSPKI } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCertificate } from "../../lib/domain/x509-fixtures";
import { addClientSecret } from "../../lib/services/oauth-apps/add-secret";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import { getOAuthApp } from "../../lib/services/oauth-apps/get";
import { updateOAuthApp } from "../../lib/services/oauth-apps/update";
import type { ServiceContext } from "../../lib/services/context";
import { consoleContext, createTestRuntime, oauthApi, type TestRuntime } from "../../lib/testing/runtime";
import {
  assertionFor,
  createAdmin,
  createM2mApp,
  EXCHANGE,
  exchange,
  exchangeForm,
  exchangeOk,
  makeSigners,
  searchWith,
  signAssertion,
  storedToken,
  type Signer,
} from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;

beforeAll(async () => {
  signers = await makeSigners(3);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

const TOKEN_RESPONSE = { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 };

describe("a valid exchange", () => {
  it("answers an urlencoded request with a one-hour Bearer token and no-store, without a refresh token", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const r = await exchange(exchangeForm(app, await assertionFor(rt, app)));
    expect(r.status).toBe(200);
    expect(r.body).toEqual(TOKEN_RESPONSE);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await storedToken(rt, r.body.access_token)).toEqual({
      lookupHash: expect.any(String),
      kind: "access",
      clientId: app.clientId,
      userId: app.sub,
      grant: "jwt_bearer",
      secretId: (await getOAuthApp(ctx, app.clientId)).secrets[0]!.id,
      publicKeyId: app.key.id,
      familyId: null,
      scope: "",
      createdAt: rt.clock.now(),
      expiresAt: rt.clock.now() + 3_600_000,
      lastUsedAt: null,
      rotatedAt: null,
    });
  });

  it("accepts the parameters as multipart form data", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const body = new FormData();
    for (const [name, value] of Object.entries(exchangeForm(app, await assertionFor(rt, app)))) body.append(name, value);
    const r = await oauthApi(EXCHANGE, { body });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: TOKEN_RESPONSE });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("answers on the path with a trailing slash", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const r = await oauthApi(`${EXCHANGE}/`, { form: exchangeForm(app, await assertionFor(rt, app)) });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: TOKEN_RESPONSE });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("accepts a JWT without a jti", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const r = await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { jti: undefined } })));
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: TOKEN_RESPONSE });
  });

  it("answers the app's token type: sessionID when the app says so, Bearer after it is changed", async () => {
    const app = await createM2mApp(ctx, signers[0]!, { tokenType: "sessionID" });
    const first = await exchange(exchangeForm(app, await assertionFor(rt, app)));
    expect(first.body).toEqual({ ...TOKEN_RESPONSE, token_type: "sessionID" });
    expect((await searchWith(first.body.access_token, "sessionID header")).status).toBe(200);
    await updateOAuthApp(ctx, app.clientId, { name: "Integration", tokenType: "Bearer" });
    const second = await exchange(exchangeForm(app, await assertionFor(rt, app)));
    expect(second.body).toEqual(TOKEN_RESPONSE);
  });

  it("authenticates with either of two secrets while one rotates, and the token names the one used", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const added = await addClientSecret(ctx, app.clientId, "next deployment");
    const withFirst = await exchangeOk(rt, app);
    const withSecond = await exchangeOk(rt, { ...app, secret: added.secret });
    const firstId = (await getOAuthApp(ctx, app.clientId)).secrets.find((s) => s.id !== added.view.id)!.id;
    expect((await storedToken(rt, withFirst))?.secretId).toBe(firstId);
    expect((await storedToken(rt, withSecond))?.secretId).toBe(added.view.id);
  });
});

describe("choosing the key", () => {
  it("uses the key whose ID is the JWT's kid", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const second = await addPublicKey(ctx, app.clientId, { bytes: signers[1]!.publicPem });
    const token = await exchangeOk(rt, { ...app, signer: signers[1]! }, { header: { kid: second.id } });
    expect((await storedToken(rt, token))?.publicKeyId).toBe(second.id);
  });

  it("uses the key whose RFC 7638 thumbprint is the JWT's kid", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const second = await addPublicKey(ctx, app.clientId, { bytes: signers[1]!.publicPem });
    const thumbprint = await calculateJwkThumbprint(await exportJWK(await importSPKI(signers[1]!.publicPem, "RS256", { extractable: true })));
    expect(second.thumbprint).toBe(thumbprint);
    const token = await exchangeOk(rt, { ...app, signer: signers[1]! }, { header: { kid: thumbprint } });
    expect((await storedToken(rt, token))?.publicKeyId).toBe(second.id);
  });

  it("without a kid, tries each of the app's keys and records the one that verified", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const second = await addPublicKey(ctx, app.clientId, { bytes: signers[1]!.publicPem });
    const token = await exchangeOk(rt, { ...app, signer: signers[1]! });
    expect((await storedToken(rt, token))?.publicKeyId).toBe(second.id);
    expect((await storedToken(rt, await exchangeOk(rt, app)))?.publicKeyId).toBe(app.key.id);
  });

  it("verifies with the key of an uploaded certificate_pub.crt, signed with that certificate's private key", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const cert = await makeCertificate({ subject: "CN=billing-bot", keyAlgorithm: "RSA" });
    const key = await addPublicKey(ctx, app.clientId, { bytes: new TextEncoder().encode(cert.pem), fileName: "certificate_pub.crt" });
    expect(key.source).toBe("certificate");
    const token = await exchangeOk(rt, { ...app, signer: { privatePem: cert.privateKeyPem, publicPem: "" } });
    expect((await storedToken(rt, token))?.publicKeyId).toBe(key.id);
  });

  it("two keys added by two administrators: each JWT carries its key's creator as sub and acts as that user", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const other = await createAdmin(ctx, "second.admin");
    const otherKey = await addPublicKey(other.ctx, app.clientId, { bytes: signers[1]!.publicPem });
    expect(otherKey.createdBy).toBe(other.id);
    expect(app.sub).toBe(ctx.actor!.userId);

    const mine = await exchangeOk(rt, app);
    const theirs = await exchangeOk(rt, { ...app, signer: signers[1]!, sub: other.id });
    expect(await storedToken(rt, mine)).toMatchObject({ userId: app.sub, publicKeyId: app.key.id });
    expect(await storedToken(rt, theirs)).toMatchObject({ userId: other.id, publicKeyId: otherKey.id });
    const issued = await rt.store.audit.list({ action: "oauth_token.issue", limit: 10 });
    expect(issued.map((e) => e.actorId).sort()).toEqual([app.sub, other.id].sort());
  });
});

describe("the access token", () => {
  it("authenticates REST calls as Bearer, in the sessionID header and as the sessionID parameter", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const token = await exchangeOk(rt, app);
    for (const via of ["bearer", "sessionID header", "sessionID param"] as const) {
      const r = await searchWith(token, via);
      expect({ via, status: r.status, body: r.body }).toEqual({ via, status: 200, body: { data: [] } });
    }
  });

  it("each exchange is audited as oauth_token.issue by the key's creator, with the key, secret and jti", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const jwt = await assertionFor(rt, app, { claims: { jti: "audit-jti-1" } });
    expect((await exchange(exchangeForm(app, jwt))).status).toBe(200);
    const [event] = await rt.store.audit.list({ action: "oauth_token.issue", limit: 10 });
    const secretId = (await getOAuthApp(ctx, app.clientId)).secrets[0]!.id;
    expect(event).toMatchObject({
      actorId: app.sub,
      actorName: "admin",
      subjectType: "oauth_app",
      subjectId: app.clientId,
      details: { grant: "jwt_bearer", keyId: app.key.id, secretId, jti: "audit-jti-1" },
    });
  });
});

describe("last-used stamps", () => {
  it("an exchange stamps the app, the secret and the key used; another key and secret stay unstamped", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    rt.clock.advance(1_000);
    const unused = await addPublicKey(ctx, app.clientId, { bytes: signers[2]!.publicPem });
    const spare = await addClientSecret(ctx, app.clientId);
    const before = await getOAuthApp(ctx, app.clientId);
    expect([before.lastUsedAt, ...before.secrets.map((s) => s.lastUsedAt), ...before.keys.map((k) => k.lastUsedAt)]).toEqual([null, null, null, null, null]);
    rt.clock.advance(5_000);
    const at = rt.clock.now();
    await exchangeOk(rt, app);
    const after = await getOAuthApp(ctx, app.clientId);
    expect(after.lastUsedAt).toBe(at);
    expect(after.secrets.map((s) => [s.id === spare.view.id ? "spare" : "used", s.lastUsedAt])).toEqual([
      ["used", at],
      ["spare", null],
    ]);
    expect(after.keys.map((k) => [k.id === unused.id ? "unused" : "used", k.lastUsedAt])).toEqual([
      ["used", at],
      ["unused", null],
    ]);
    expect(after.liveTokens).toEqual({ access: 1, refresh: 0 });
  });

  it("stamps again once a minute has passed, not on every exchange", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const first = rt.clock.now();
    await exchangeOk(rt, app);
    rt.clock.advance(20_000);
    await exchangeOk(rt, app);
    const soon = await getOAuthApp(ctx, app.clientId);
    expect([soon.lastUsedAt, soon.secrets[0]!.lastUsedAt, soon.keys[0]!.lastUsedAt]).toEqual([first, first, first]);
    rt.clock.advance(60_000);
    await exchangeOk(rt, app);
    const later = await getOAuthApp(ctx, app.clientId);
    const now = rt.clock.now();
    expect([later.lastUsedAt, later.secrets[0]!.lastUsedAt, later.keys[0]!.lastUsedAt]).toEqual([now, now, now]);
  });

  it("a refused exchange stamps nothing", async () => {
    const app = await createM2mApp(ctx, signers[0]!);
    const r = await exchange(exchangeForm(app, await signAssertion(rt, signers[1]!, app.sub)));
    expect(r.status).toBe(400);
    const details = await getOAuthApp(ctx, app.clientId);
    expect([details.lastUsedAt, details.secrets[0]!.lastUsedAt, details.keys[0]!.lastUsedAt]).toEqual([null, null, null]);
  });
});
