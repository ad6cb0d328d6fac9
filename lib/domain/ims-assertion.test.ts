/**
 * Service-credential JWTs as @adobe/jwt-auth builds them (jsonwebtoken RS256: header {alg, typ}, an
 * integer iat, no kid, no jti), and as attackers would: hand-built tokens whose header and claims can be anything.
 */
import { createSecretKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { SignJWT, exportJWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ImsAssertionRejected,
  verifyImsAssertion,
  type ImsAssertionReason,
  type ImsCredentialKey,
  type ImsExpectations,
} from "./ims-assertion";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-05-01T12:00:00Z");
const NOW_S = NOW / 1000;
const IMS = "https://ims-na1.adobelogin.com";
const ORG = "12345AB67C89D0E1F2345678@AdobeOrg";
const TECH = "ABCDEF0123456789ABCDEF01@techacct.adobe.com";
const CLIENT_ID = "3f1b6c0e9d2a4b7c8e5f1a2b3c4d5e6f";
const EXPECT: ImsExpectations = { org: ORG, technicalAccountId: TECH, clientId: CLIENT_ID, scopes: ["ent_analytics_bulk_ingest_sdk", "ent_user_sdk"], now: NOW, maxLifetimeMs: 24 * HOUR };

const b64u = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** An RS256 compact JWS built by hand, so header and payload can be anything (a string is used as the raw JSON text). */
function rs256(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

interface Signer {
  privateKey: KeyObject;
  key: ImsCredentialKey;
}

function makeSigner(id: string, notAfter = NOW + 365 * 24 * HOUR): Signer {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, key: { id, spkiPem: publicKey.export({ format: "pem", type: "spki" }).toString(), notAfter } };
}

let current: Signer;
let second: Signer;
let other: Signer;
let keys: ImsCredentialKey[];

/** The payload @adobe/jwt-auth signs, plus the iat jsonwebtoken adds. */
const jwtAuthPayload = (metaScopes = ["ent_analytics_bulk_ingest_sdk"]) => ({
  exp: Math.round(300 + NOW / 1000),
  iss: ORG,
  sub: TECH,
  aud: `${IMS}/c/${CLIENT_ID}`,
  ...Object.fromEntries(metaScopes.map((s) => [s.startsWith("https") ? s : `${IMS}/s/${s}`, true])),
  iat: Math.floor(NOW / 1000),
});
const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = current) =>
  rs256({ alg: "RS256", typ: "JWT", ...header }, { ...jwtAuthPayload(), ...extra }, signer.privateKey);

async function rejection(jwt: string, with_ = keys, at = EXPECT): Promise<ImsAssertionRejected> {
  try {
    await verifyImsAssertion(jwt, with_, at);
  } catch (e) {
    expect(e).toBeInstanceOf(ImsAssertionRejected);
    return e as ImsAssertionRejected;
  }
  throw new Error("expected the JWT to be rejected");
}
const reason = async (jwt: string, with_ = keys, at = EXPECT): Promise<ImsAssertionReason> => (await rejection(jwt, with_, at)).reason;

beforeAll(() => {
  current = makeSigner("cert-current");
  second = makeSigner("cert-second");
  other = makeSigner("cert-other-credential");
  keys = [current.key, second.key];
});

describe("verifyImsAssertion: accepted", () => {
  it("accepts a JWT built like @adobe/jwt-auth's and returns the key, scopes, expiry and no jti", async () => {
    const jwt = await new SignJWT(jwtAuthPayload()).setProtectedHeader({ alg: "RS256", typ: "JWT" }).sign(current.privateKey);
    expect(await verifyImsAssertion(jwt, keys, EXPECT)).toEqual({
      key: current.key,
      scopes: ["ent_analytics_bulk_ingest_sdk"],
      expiresAt: (NOW_S + 300) * 1000,
      jti: null,
    });
  });

  it("is stateless: two byte-identical tokens both verify", async () => {
    const jwt = token();
    const [a, b] = [await verifyImsAssertion(jwt, keys, EXPECT), await verifyImsAssertion(jwt, keys, EXPECT)];
    expect(a).toEqual(b);
  });

  it("accepts exp exactly 24 hours ahead, several metascopes under any base URL, and a jti", async () => {
    expect((await verifyImsAssertion(token({ exp: NOW_S + 24 * 3600 }), keys, EXPECT)).expiresAt).toBe(NOW + 24 * HOUR);
    const scopes = jwtAuthPayload(["ent_user_sdk", "https://ims-na1-stg1.adobelogin.com/s/ent_analytics_bulk_ingest_sdk", `${IMS}/s/ent_user_sdk/`]);
    const both = await verifyImsAssertion(token({ ...scopes, [`${IMS}/s/ent_user_sdk`]: true, [`${IMS}/s/ent_other_sdk`]: false }), keys, EXPECT);
    expect(both.scopes).toEqual(["ent_analytics_bulk_ingest_sdk", "ent_user_sdk"]);
    expect((await verifyImsAssertion(token({ jti: "j".repeat(255) }), keys, EXPECT)).jti).toBe("j".repeat(255));
  });

  it("tries every current key of the credential, and accepts aud under any IMS base URL", async () => {
    expect((await verifyImsAssertion(token({}, {}, second), keys, EXPECT)).key).toBe(second.key);
    expect((await verifyImsAssertion(token({}, {}, second), [{ ...current.key, spkiPem: "not a key" }, second.key], EXPECT)).key).toBe(second.key);
    expect((await verifyImsAssertion(token({ aud: `https://ims-na1-stg1.adobelogin.com/c/${CLIENT_ID}` }), keys, EXPECT)).key).toBe(current.key);
    // A certificate is valid through its notAfter instant.
    expect((await verifyImsAssertion(token(), [{ ...current.key, notAfter: NOW }], EXPECT)).key.id).toBe("cert-current");
  });
});

describe("verifyImsAssertion: algorithm, key and certificate", () => {
  it("refuses alg none, with an empty signature or any other", async () => {
    const payload = b64u(jwtAuthPayload());
    for (const alg of ["none", "None", "NONE"]) {
      expect(await reason(`${b64u({ alg })}.${payload}.`)).toBe("algorithm");
      expect(await reason(`${b64u({ alg, typ: "JWT" })}.${payload}.${b64u("x")}`)).toBe("algorithm");
    }
    expect((await rejection(`${b64u({ alg: "none" })}.${payload}.`)).message).toBe("The JWT is unsigned (alg none). Only RS256 is accepted.");
    expect(await reason(`${b64u({ typ: "JWT" })}.${payload}.`)).toBe("algorithm");
  });

  it("refuses HS256 signed with the public key PEM as the HMAC secret, and other algorithms", async () => {
    const jwt = await new SignJWT(jwtAuthPayload()).setProtectedHeader({ alg: "HS256" }).sign(createSecretKey(Buffer.from(current.key.spkiPem)));
    const refused = await rejection(jwt);
    expect([refused.reason, refused.message]).toEqual(["algorithm", "The JWT is signed with HS256. Only RS256 is accepted."]);
    for (const alg of ["RS384", "PS256"]) expect(await reason(await new SignJWT(jwtAuthPayload()).setProtectedHeader({ alg }).sign(current.privateKey))).toBe("algorithm");
    expect(await reason(token({}, { alg: "rs256" }))).toBe("algorithm");
  });

  it("refuses a JWT signed by another credential's key, before looking at any claim", async () => {
    const refused = await rejection(token({}, {}, other));
    expect([refused.reason, refused.message]).toEqual(["signature", "The JWT's signature does not match any current certificate of this credential."]);
    expect(await reason(token({ exp: NOW_S - 600, iss: "someone else", aud: undefined }, {}, other))).toBe("signature");
    expect(await reason(token(), [])).toBe("signature");
  });

  it("never trusts a key the JWT brings along (jwk, jku, x5c headers)", async () => {
    const jwk = await exportJWK(other.privateKey);
    const embedded = { jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e }, jku: "https://attacker.example/jwks.json", x5c: ["MIIB"] };
    expect(await reason(token({}, embedded, other))).toBe("signature");
    expect((await verifyImsAssertion(token({}, embedded), keys, EXPECT)).key).toBe(current.key);
  });

  it("skips keys whose certificate expired, and says so when only such a key verifies", async () => {
    const expired = { ...current.key, notAfter: NOW - 1 };
    const refused = await rejection(token(), [expired, second.key]);
    expect([refused.reason, refused.message]).toEqual([
      "certificate_expired",
      "The JWT is signed with a key whose certificate has expired. Upload a new certificate for this credential.",
    ]);
    expect(await reason(token(), [{ ...current.key, notAfter: Number.NaN }])).toBe("certificate_expired");
    // Even with bad claims: the signature is genuine, the certificate is the problem.
    expect(await reason(token({ exp: NOW_S - 600 }), [expired])).toBe("certificate_expired");
    expect(await reason(token({}, {}, other), [expired])).toBe("signature");
  });
});

describe("verifyImsAssertion: claims", () => {
  it("refuses expired, too far ahead, missing and non-integer exp", async () => {
    const expired = await rejection(token({ exp: NOW_S - 1 }));
    expect([expired.reason, expired.message]).toEqual(["expired", "The JWT's exp is in the past."]);
    expect(await reason(token({ exp: NOW_S }))).toBe("expired");
    const ahead = await rejection(token({ exp: NOW_S + 25 * 3600 }));
    expect([ahead.reason, ahead.message]).toEqual(["too_far_ahead", "The JWT's exp is more than 24 hours in the future."]);
    expect(await reason(token({ exp: NOW_S + 24 * 3600 + 1 }))).toBe("too_far_ahead");
    for (const exp of [1.5, NOW_S + 0.5, "123", String(NOW_S + 60), undefined, null, true, [NOW_S + 60]]) {
      const refused = await rejection(token({ exp }));
      expect([refused.reason, refused.message]).toEqual(["missing_exp", "The JWT must have an exp claim: a whole number of seconds since the epoch."]);
    }
  });

  it("refuses an iss other than the organization ID and a sub other than the technical account ID", async () => {
    for (const iss of ["OTHER@AdobeOrg", ORG.toLowerCase(), undefined, [ORG]]) {
      const refused = await rejection(token({ iss }));
      expect([refused.reason, refused.message]).toEqual(["issuer", "The JWT's iss must be the credential's organization ID."]);
    }
    for (const sub of ["OTHER@techacct.adobe.com", ` ${TECH}`, undefined, 7]) {
      const refused = await rejection(token({ sub }));
      expect([refused.reason, refused.message]).toEqual(["subject", "The JWT's sub must be the credential's technical account ID."]);
    }
  });

  it("refuses an aud that does not end with /c/ and the client ID", async () => {
    const wrong = [`${IMS}/c/0000aaaa1111bbbb2222cccc3333dddd`, undefined, `${IMS}/c/${CLIENT_ID}/x`, `${IMS}/c/x${CLIENT_ID}`, `${IMS}/s/${CLIENT_ID}`, [`${IMS}/c/${CLIENT_ID}`], CLIENT_ID];
    for (const aud of wrong) {
      const refused = await rejection(token({ aud }));
      expect([refused.reason, refused.message]).toEqual(["audience", "The JWT's aud must be the IMS base URL followed by /c/ and the credential's client ID."]);
    }
  });

  it("requires at least one metascope claim whose value is true", async () => {
    const none = { [`${IMS}/s/ent_analytics_bulk_ingest_sdk`]: undefined };
    const refused = await rejection(token(none));
    expect(refused.reason).toBe("no_scope");
    expect(refused.message).toBe('The JWT must name at least one metascope, as a claim "<IMS base URL>/s/<metascope>": true.');
    for (const value of ["true", 1, false, null, { granted: true }]) {
      expect(await reason(token({ [`${IMS}/s/ent_analytics_bulk_ingest_sdk`]: value }))).toBe("no_scope");
    }
    expect(await reason(token({ ...none, [`${IMS}/s/`]: true, "ent_user_sdk": true }))).toBe("no_scope");
  });

  it("refuses a metascope the credential lacks, naming it", async () => {
    const refused = await rejection(token({ [`${IMS}/s/ent_reactor_admin_sdk`]: true }));
    expect([refused.reason, refused.message]).toEqual(["scope_not_granted", "The JWT names metascope ent_reactor_admin_sdk that is not granted to this credential."]);
    expect(await reason(token({ [`${IMS}/s/ENT_USER_SDK`]: true }))).toBe("scope_not_granted");
    const long = await rejection(token({ [`${IMS}/s/${"x".repeat(500)}`]: true }));
    expect([long.reason, long.message]).toEqual(["scope_not_granted", "The JWT names a metascope that is not granted to this credential."]);
  });

  it("refuses a jti that is not a string of 1 to 255 characters", async () => {
    for (const jti of ["", "j".repeat(256), 42, null]) {
      const refused = await rejection(token({ jti }));
      expect([refused.reason, refused.message]).toEqual(["jti", "The JWT's jti must be a non-empty string of at most 255 characters."]);
    }
  });
});

describe("verifyImsAssertion: malformed input", () => {
  it("refuses anything but three strict base64url parts within 16 KiB", async () => {
    const good = token();
    const [h, p, s] = good.split(".") as [string, string, string];
    const forms = [
      "",
      `${h}.${p}`,
      `${good}.${s}`,
      `.${p}.${s}`,
      `${good}\n`,
      `${h}=.${p}.${s}`,
      `${h}.${p}.${s.slice(0, -2)}/${s.slice(-1)}`,
      `${h}.${p}.A`,
      `${b64u("not json")}.${p}.${s}`,
      rs256({ alg: "RS256" }, "[1,2]", current.privateKey),
      token({}, { crit: ["exp"] }),
      token({ padding: "x".repeat(16 * 1024) }),
    ];
    for (const form of forms) expect(await reason(form), form.slice(0, 60)).toBe("malformed");
    expect((await rejection("x".repeat(16 * 1024 + 1))).message).toBe("The JWT is longer than 16384 characters.");
  });

  it("only ever throws ImsAssertionRejected for arbitrary or damaged tokens", async () => {
    const good = token();
    const damaged = fc
      .tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 4 }))
      .map(([at, insert, remove]) => good.slice(0, at % good.length) + insert + good.slice((at % good.length) + remove))
      .filter((t) => t !== good);
    const jwtish = fc.string({ unit: fc.constantFrom(..."eyJhbGciOiJSUzI1NiJ9.-_AQ="), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 500 }), jwtish, damaged, fc.string({ unit: "binary", maxLength: 200 })), async (value) => {
        await expect(verifyImsAssertion(value, keys, EXPECT)).rejects.toBeInstanceOf(ImsAssertionRejected);
      }),
      { numRuns: 300 },
    );
    await expect(verifyImsAssertion(null as unknown as string, keys, EXPECT)).rejects.toBeInstanceOf(ImsAssertionRejected);
  });

  it("never echoes the token in its messages", async () => {
    const m = "ZZMARKERZZ";
    const forms = [`${m}.${m}.${m}`, token({}, { alg: m }), token({ iss: m }), token({ sub: m }), token({ aud: `${m}/c/${m}` }), token({ [`${IMS}/s/${m}-${"z".repeat(80)}`]: true }), token({ jti: m.repeat(30) })];
    for (const form of forms) expect((await rejection(form)).message).not.toContain(m);
  });
});
