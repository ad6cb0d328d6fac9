/**
 * IMS access tokens on the REST API cannot be forged or stretched: starting from a real token, every
 * variation an attacker can make (another key under the same kid, alg none, HS256 keyed with the
 * public JWK, RS256, altered claims with the signature kept, an unknown kid, a truncated signature,
 * the high-s twin of the signature) is 401 on `Authorization: Bearer`, even while the real token is
 * cached as verified. A token expires 24 hours after it was issued, survives a signing-key rotation,
 * and dies at once with its credential (cached or not). Local development tokens work as their
 * person until revoked or until that person's password is reset.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateSigningKey, tokenSigner } from "../../lib/crypto/ims-token";
import { decrypt } from "../../lib/crypto/secrets";
import type { ServiceContext } from "../../lib/services/context";
import { issueLocalDevelopmentToken, revokeLocalDevelopmentTokens } from "../../lib/services/ims/local-token";
import { rotateSigningKey } from "../../lib/services/ims/signing-keys";
import { revokeServiceCredential } from "../../lib/services/service-credentials/manage";
import { resetPassword } from "../../lib/services/users/write";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import {
  bearer,
  createCredential,
  DAY_MS,
  exchangeOk,
  expectDeadToken,
  expectLiveToken,
  imsApi,
  jwtPart,
  serverSigner,
  withPayload,
  type Credential,
} from "./ims-helpers";
import { createAdmin } from "./oauth-helpers";

let rt: TestRuntime;
let ctx: ServiceContext;
let cred: Credential;
/** A real token, already used once (so it is cached as verified). */
let real: string;
let header: Record<string, unknown>;
let payload: Record<string, unknown>;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  cred = await createCredential(ctx);
  real = await exchangeOk(rt, cred);
  header = jwtPart(real, 0);
  payload = jwtPart(real, 1);
  await expectLiveToken(real);
});
afterEach(() => rt.cleanup());

const b64u = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const signingInput = (h: unknown, p: unknown) => `${b64u(h)}.${b64u(p)}`;

/** An ES256 compact JWS over any header and payload, with the low-s signature the server writes. */
function es256(h: unknown, p: unknown, key: KeyObject): string {
  const input = signingInput(h, p);
  const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `${input}.${lowS(signature).toString("base64url")}`;
}

/** P-256 group order. */
const ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const toBytes = (n: bigint) => Buffer.from(n.toString(16).padStart(64, "0"), "hex");
const fromBytes = (b: Buffer) => BigInt(`0x${b.toString("hex")}`);

function lowS(signature: Buffer): Buffer {
  const s = fromBytes(signature.subarray(32));
  return s > ORDER >> 1n ? Buffer.concat([signature.subarray(0, 32), toBytes(ORDER - s)]) : signature;
}

/** The other valid spelling of an ECDSA signature: (r, n - s). */
function highSTwin(token: string): string {
  const [h, p, s] = token.split(".") as [string, string, string];
  const sig = Buffer.from(s, "base64url");
  const twin = Buffer.concat([sig.subarray(0, 32), toBytes(ORDER - fromBytes(sig.subarray(32)))]);
  return `${h}.${p}.${twin.toString("base64url")}`;
}

async function publishedKey(kid: unknown): Promise<{ x: string; key: KeyObject }> {
  const jwks = (await imsApi("/keys")).body as { keys: { kid: string; x: string }[] };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  if (!jwk) throw new Error("the token's kid is not published");
  return { x: jwk.x, key: createPublicKey({ key: jwk, format: "jwk" }) };
}

describe("forgeries of a real token", () => {
  it("refuses a signature by another P-256 key under the real kid", async () => {
    const forger = generateSigningKey();
    const forged = tokenSigner({ kid: header.kid as string, privateKeyPem: forger.privateKeyPem }).sign(payload);
    expect(jwtPart(forged, 0)).toEqual(header);
    await expectDeadToken(forged);
  });

  it("refuses alg none with the same payload, with an empty or the real signature, however none is spelled", async () => {
    const signature = real.split(".")[2]!;
    for (const alg of ["none", "None", "NONE"]) {
      await expectDeadToken(`${signingInput({ ...header, alg }, payload)}.`);
      await expectDeadToken(`${signingInput({ ...header, alg }, payload)}.${signature}`);
    }
    await expectDeadToken(`${signingInput({ typ: "JWT", kid: header.kid }, payload)}.`);
  });

  it("refuses HS256 keyed with the published JWK's x (as text and as bytes)", async () => {
    const { x } = await publishedKey(header.kid);
    for (const secret of [Buffer.from(x), Buffer.from(x, "base64url")]) {
      const input = signingInput({ ...header, alg: "HS256" }, payload);
      await expectDeadToken(`${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`);
    }
  });

  it("refuses RS256 with an attacker's RSA key", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const input = signingInput({ ...header, alg: "RS256" }, payload);
    await expectDeadToken(`${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`);
  });

  it("refuses the payload altered with the signature kept: user_id the admin's, another client_id, another type", async () => {
    const adminId = ctx.actor!.userId;
    await expectDeadToken(withPayload(real, { ...payload, user_id: adminId }));
    await expectDeadToken(withPayload(real, { ...payload, client_id: "keyward-developer-console" }));
    await expectDeadToken(withPayload(real, { ...payload, scope: "ent_keyward_api,ent_keyward_readonly_api" }));
    // The same JSON re-encoded with other whitespace is another signing input too.
    const respaced = `${real.split(".")[0]}.${Buffer.from(JSON.stringify(payload, null, 1)).toString("base64url")}.${real.split(".")[2]}`;
    await expectDeadToken(respaced);
  });

  it("refuses created_at or expires_in altered to extend the token's life", async () => {
    await expectDeadToken(withPayload(real, { ...payload, expires_in: String(365 * DAY_MS) }));
    await expectDeadToken(withPayload(real, { ...payload, created_at: String(rt.clock.now() + 30 * DAY_MS) }));
    await expectDeadToken(withPayload(real, { ...payload, exp: (payload.exp as number) + 365 * 86_400 }));
  });

  it("refuses a kid the server does not have, even over a signature by the real key", async () => {
    await expectDeadToken(`${signingInput({ ...header, kid: "no-such-kid" }, payload)}.${real.split(".")[2]}`);
    await expectDeadToken((await serverSigner(rt, "no-such-kid")).sign(payload));
    const { kid: _kid, ...noKid } = header;
    await expectDeadToken(`${signingInput(noKid, payload)}.${real.split(".")[2]}`);
  });

  it("refuses a truncated or padded signature", async () => {
    for (const cut of [1, 2, 4, 43]) await expectDeadToken(real.slice(0, -cut));
    await expectDeadToken(`${real}A`);
    await expectDeadToken(`${real}=`);
    await expectDeadToken(`${real}.`);
    await expectDeadToken(real.split(".").slice(0, 2).join("."));
  });

  it("refuses the high-s twin of the real signature, although it is a valid ECDSA signature", async () => {
    const twin = highSTwin(real);
    expect(twin).not.toBe(real);
    const { key } = await publishedKey(header.kid);
    const [h, p, s] = twin.split(".") as [string, string, string];
    // The twin verifies as plain ECDSA: only the server's low-s rule refuses it.
    expect(verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"))).toBe(true);
    await expectDeadToken(twin);
    await expectLiveToken(real);
  });

  it("refuses tokens signed by the real key that carry a key header or crit", async () => {
    const current = (await rt.store.signingKeys.list()).find((k) => k.retiredAt === null)!;
    const key = createPrivateKey(decrypt(rt.keys, current.privateKeyCiphertext, `signing-key:${current.kid}`));
    // The control: the same signing code with the real header makes a token that works.
    await expectLiveToken(es256(header, payload, key));
    const jwk = createPublicKey(key).export({ format: "jwk" });
    for (const extra of [{ jwk }, { jku: "https://attacker.example/jwks" }, { x5u: "https://attacker.example/cert" }, { crit: ["exp"] }]) {
      await expectDeadToken(es256({ ...header, ...extra }, payload, key));
    }
  });
});

describe("claims and rows behind correctly signed tokens", () => {
  // Tokens no outsider can sign: they prove the row, not only the signature, decides.
  it("refuses a signed token whose id names no row, or whose user_id is not its row's", async () => {
    const signer = await serverSigner(rt);
    await expectDeadToken(signer.sign({ ...payload, id: "0".repeat(32) }));
    await expectDeadToken(signer.sign({ ...payload, user_id: ctx.actor!.userId }));
    await expectDeadToken(signer.sign({ ...payload, type: "refresh_token" }));
    await expectDeadToken(signer.sign({ ...payload, created_at: Number(payload.created_at) }));
  });

  it("ends a signed token at its row's expiry, whatever expires_in it claims", async () => {
    const stretched = (await serverSigner(rt)).sign({ ...payload, expires_in: String(365 * DAY_MS) });
    await expectLiveToken(stretched);
    rt.clock.advance(DAY_MS + 1);
    await expectDeadToken(stretched);
  });
});

describe("lifetime", () => {
  it("works until 24 hours after issue and is refused 1 ms later, cached or not", async () => {
    const unused = await exchangeOk(rt, cred);
    rt.clock.advance(DAY_MS - 1);
    await expectLiveToken(real);
    rt.clock.advance(1);
    await expectDeadToken(real);
    await expectDeadToken(unused);
    rt.clock.advance(1);
    await expectDeadToken(real);
  });

  it("keeps working after the signing key is rotated; new tokens carry the new kid and both keys are published", async () => {
    const rotated = await rotateSigningKey(ctx);
    expect(rotated.kid).not.toBe(header.kid);
    await expectLiveToken(real);
    const fresh = await exchangeOk(rt, cred);
    expect(jwtPart(fresh, 0).kid).toBe(rotated.kid);
    await expectLiveToken(fresh);
    const kids = ((await imsApi("/keys")).body as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(kids.sort()).toEqual([header.kid as string, rotated.kid].sort());
    // Once every token the old key signed has expired, it leaves the JWKS.
    rt.clock.advance(DAY_MS + 1);
    await expectDeadToken(real);
    expect(((await imsApi("/keys")).body as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual([rotated.kid]);
  });

  it("still refuses a forgery under the old kid after a rotation", async () => {
    await rotateSigningKey(ctx);
    await expectDeadToken(highSTwin(real));
    await expectDeadToken(withPayload(real, { ...payload, user_id: ctx.actor!.userId }));
  });
});

describe("revocation", () => {
  it("refuses a revoked credential's tokens at once, the cached one and one never used", async () => {
    const unused = await exchangeOk(rt, cred);
    const other = await createCredential(ctx, { name: "Other" });
    const otherToken = await exchangeOk(rt, other);
    await revokeServiceCredential(ctx, cred.clientId);
    await expectDeadToken(real);
    await expectDeadToken(unused);
    await expectLiveToken(otherToken);
    // No write either.
    expect((await api("/project", { headers: bearer(real), json: { name: "After revoke" } })).status).toBe(401);
  });
});

describe("local development tokens", () => {
  it("acts as the signed-in person, and stops after revokeLocalDevelopmentTokens", async () => {
    const issued = await issueLocalDevelopmentToken(ctx);
    expect(issued).toMatchObject({ ok: true, statusCode: 200, accessToken: expect.any(String) });
    const token = issued.accessToken;
    expect(jwtPart(token, 1)).toMatchObject({ type: "access_token", user_id: ctx.actor!.userId, expires_in: String(DAY_MS) });
    await expectLiveToken(token);
    const created = await api("/project", { headers: bearer(token), json: { name: "Mine" } });
    expect(created.status).toBe(200);
    expect((await api(`/project/${created.body.data.ID}?fields=ownerID`, { headers: bearer(token) })).body.data.ownerID).toBe(ctx.actor!.userId);

    expect(await revokeLocalDevelopmentTokens(ctx)).toBe(1);
    await expectDeadToken(token);
    // The service credential's token is not a local development token.
    await expectLiveToken(real);
  });

  it("stops after an administrator resets that person's password", async () => {
    const dev = await createAdmin(ctx, "dev.admin");
    const token = (await issueLocalDevelopmentToken(dev.ctx)).accessToken;
    const mine = (await issueLocalDevelopmentToken(ctx)).accessToken;
    await expectLiveToken(token);
    await resetPassword(ctx, dev.id, "a-brand-new-password-1");
    await expectDeadToken(token);
    await expectLiveToken(mine);
  });

  it("cannot be stretched past 24 hours", async () => {
    const token = (await issueLocalDevelopmentToken(ctx)).accessToken;
    rt.clock.advance(DAY_MS);
    await expectDeadToken(token);
  });
});
