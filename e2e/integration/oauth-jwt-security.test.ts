/**
 * The JWT flow refuses every assertion it must: anything but RS256 (unsigned and HS256-with-the-
 * public-key included), keys the app did not register (a jwk header included), a missing, past or
 * too distant exp, the wrong iss or sub, a deactivated key creator, and a replayed jti. Each refusal
 * is `invalid_grant` (400) in the OAuth envelope, and no token is issued.
 * Client authentication and request shape: oauth-jwt-security-clients.test.ts.
 */
import { exportJWK, importSPKI, SignJWT } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import type { ServiceContext } from "../../lib/services/context";
import { updateUser } from "../../lib/services/users/write";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import {
  assertionFor,
  createAdmin,
  createM2mApp,
  exchange,
  exchangeForm,
  expectOAuthError,
  HOUR_S,
  issuedCount,
  makeSigners,
  nowSeconds,
  signAssertion,
  unsignedJwt,
  type M2mApp,
  type Signer,
} from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;
let app: M2mApp;

beforeAll(async () => {
  signers = await makeSigners(3);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  app = await createM2mApp(ctx, signers[0]!);
});
afterEach(() => rt.cleanup());

/** The assertion is refused as invalid_grant and nothing was issued, now or before. */
async function expectRefusedGrant(jwt: string, target: Pick<M2mApp, "clientId" | "secret"> = app): Promise<void> {
  expectOAuthError(await exchange(exchangeForm(target, jwt)), 400, "invalid_grant");
  expect(await issuedCount(rt)).toBe(0);
  expect(await rt.store.oauthApps.usage(rt.clock.now())).toEqual([]);
}

const claimsOf = (rt: TestRuntime) => ({ iss: rt.customerId, sub: app.sub, exp: nowSeconds(rt) + 300 });

describe("algorithms", () => {
  it("refuses an unsigned JWT (alg none), however none is spelled", async () => {
    for (const alg of ["none", "None", "NONE"]) await expectRefusedGrant(unsignedJwt({ alg, typ: "JWT" }, claimsOf(rt)));
  });

  it("refuses alg none carrying a valid RS256 signature of the same claims", async () => {
    const valid = await assertionFor(rt, app);
    const [, payload, signature] = valid.split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    await expectRefusedGrant(`${header}.${payload}.${signature}`);
  });

  it("refuses a JWT without an alg", async () => {
    await expectRefusedGrant(unsignedJwt({ typ: "JWT" }, claimsOf(rt)));
  });

  it("refuses HS256 signed with the registered public key's PEM as the HMAC secret", async () => {
    const secret = new TextEncoder().encode(signers[0]!.publicPem);
    const jwt = await new SignJWT(claimsOf(rt)).setProtectedHeader({ alg: "HS256" }).sign(secret);
    await expectRefusedGrant(jwt);
  });

  it("refuses RS384, RS512 and PS256 signatures made with the registered key", async () => {
    for (const alg of ["RS384", "RS512", "PS256"]) await expectRefusedGrant(await assertionFor(rt, app, { alg }));
  });
});

describe("keys", () => {
  it("refuses a JWT signed by a key the app has not registered", async () => {
    await expectRefusedGrant(await signAssertion(rt, signers[1]!, app.sub));
  });

  it("refuses an unregistered key that brings itself along in a jwk header", async () => {
    const jwk = await exportJWK(await importSPKI(signers[1]!.publicPem, "RS256", { extractable: true }));
    await expectRefusedGrant(await signAssertion(rt, signers[1]!, app.sub, { header: { jwk } }));
  });

  it("refuses a kid that names the registered key when another key signed", async () => {
    await expectRefusedGrant(await signAssertion(rt, signers[1]!, app.sub, { header: { kid: app.key.id } }));
  });

  it("refuses a kid naming no key of this app (another app's key included) and a kid that is not a string", async () => {
    const other = await createM2mApp(ctx, signers[1]!);
    await expectRefusedGrant(await assertionFor(rt, app, { header: { kid: "no-such-key" } }));
    await expectRefusedGrant(await assertionFor(rt, other, { header: { kid: other.key.id } }));
    for (const kid of [5, {}, [app.key.id]]) await expectRefusedGrant(await assertionFor(rt, app, { header: { kid: kid as unknown as string } }));
  });

  it("refuses a JWT whose signature was altered", async () => {
    const valid = await assertionFor(rt, app);
    const signature = Buffer.from(valid.split(".")[2]!, "base64url");
    signature[10] = signature[10]! ^ 0x01;
    await expectRefusedGrant(`${valid.split(".").slice(0, 2).join(".")}.${signature.toString("base64url")}`);
  });
});

describe("exp", () => {
  it("refuses an exp in the past, and one that is now", async () => {
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: nowSeconds(rt) - 1 } }));
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: nowSeconds(rt) } }));
  });

  it("refuses a JWT without exp, or with exp that is not a number", async () => {
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: undefined } }));
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: String(nowSeconds(rt) + 300) } }));
  });

  it("refuses an exp 25 hours ahead, and one a second beyond 24 hours", async () => {
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: nowSeconds(rt) + 25 * HOUR_S } }));
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { exp: nowSeconds(rt) + 24 * HOUR_S + 1 } }));
  });

  it("accepts an exp exactly 24 hours ahead", async () => {
    const r = await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { exp: nowSeconds(rt) + 24 * HOUR_S } })));
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 } });
    expect(await issuedCount(rt)).toBe(1);
  });
});

describe("iss and sub", () => {
  it("refuses an iss that is not the Customer ID: another value, the client ID, none", async () => {
    for (const iss of ["another-customer", app.clientId, rt.customerId.toUpperCase(), undefined]) {
      await expectRefusedGrant(await assertionFor(rt, app, { claims: { iss } }));
    }
  });

  it("a wrong iss is described as having to be the Customer ID, not the client ID", async () => {
    const r = await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { iss: app.clientId } })));
    expectOAuthError(r, 400, "invalid_grant");
    expect(r.body.error_description).toMatch(/Customer ID/i);
  });

  it("refuses the sub of another administrator who exists, signed with this admin's key", async () => {
    const other = await createAdmin(ctx, "other.admin");
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { sub: other.id } }));
  });

  it("refuses a sub of nobody, and a JWT without sub", async () => {
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { sub: "0123456789abcdef0123456789abcdef" } }));
    await expectRefusedGrant(await assertionFor(rt, app, { claims: { sub: undefined } }));
  });

  it("refuses the key of an administrator who has since been deactivated", async () => {
    const other = await createAdmin(ctx, "leaver");
    await addPublicKey(other.ctx, app.clientId, { bytes: signers[1]!.publicPem });
    await updateUser(ctx, other.id, { isActive: false }, { apiFieldNames: false });
    await expectRefusedGrant(await signAssertion(rt, signers[1]!, other.id));
  });
});

describe("jti", () => {
  it("refuses a JWT whose jti was exchanged before; the first exchange alone issued a token", async () => {
    const jwt = await assertionFor(rt, app, { claims: { jti: "once-only" } });
    expect((await exchange(exchangeForm(app, jwt))).status).toBe(200);
    expectOAuthError(await exchange(exchangeForm(app, jwt)), 400, "invalid_grant");
    expectOAuthError(await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { jti: "once-only" } }))), 400, "invalid_grant");
    expect(await issuedCount(rt)).toBe(1);
  });

  it("of three concurrent exchanges of one JWT, exactly one gets a token", async () => {
    const jwt = await assertionFor(rt, app, { claims: { jti: "raced" } });
    const answers = await Promise.all([1, 2, 3].map(() => exchange(exchangeForm(app, jwt))));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    for (const r of answers.filter((x) => x.status === 400)) expectOAuthError(r, 400, "invalid_grant");
    expect(await issuedCount(rt)).toBe(1);
  });

  it("accepts a jti again once the JWT that first carried it has expired", async () => {
    expect((await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { jti: "reused", exp: nowSeconds(rt) + 60 } })))).status).toBe(200);
    rt.clock.advance(61_000);
    expect((await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { jti: "reused" } })))).status).toBe(200);
    expect(await issuedCount(rt)).toBe(2);
  });

  it("accepts the same jti for another app", async () => {
    const other = await createM2mApp(ctx, signers[1]!);
    expect((await exchange(exchangeForm(app, await assertionFor(rt, app, { claims: { jti: "shared" } })))).status).toBe(200);
    expect((await exchange(exchangeForm(other, await assertionFor(rt, other, { claims: { jti: "shared" } })))).status).toBe(200);
    expect(await issuedCount(rt)).toBe(2);
  });

  it("treats inherited property names as jti like any other: accepted once, then refused", async () => {
    for (const jti of INHERITED_NAMES.slice(0, 6)) {
      const jwt = await assertionFor(rt, app, { claims: { jti } });
      expect((await exchange(exchangeForm(app, jwt))).status, jti).toBe(200);
      expectOAuthError(await exchange(exchangeForm(app, jwt)), 400, "invalid_grant");
    }
    expect(await issuedCount(rt)).toBe(6);
  });

  it("refuses a jti that is not a non-empty string", async () => {
    for (const jti of ["", 42, "x".repeat(256)]) await expectRefusedGrant(await assertionFor(rt, app, { claims: { jti } }));
  });
});
