/**
 * JWT assertions as honest clients and attackers build them: tokens signed with jose or by hand, so
 * headers and claims can be anything, including the classic alg-confusion and embedded-key forgeries.
 */
import { createSecretKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWTHeaderParameters } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AssertionRejected,
  MAX_ASSERTION_CHARS,
  verifyJwtAssertion,
  type AssertionExpectations,
  type AssertionKey,
  type AssertionReason,
} from "./jwt-assertion";
import { readPublicKeyUpload } from "./public-key";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-05-01T12:00:00Z");
const NOW_S = NOW / 1000;
const CLIENT_ID = "8f2c0d6a1b7e4c3f9a5d2e1f0b6c7d8e";
const EXPECT: AssertionExpectations = { issuer: CLIENT_ID, now: NOW, maxLifetimeMs: 24 * HOUR };

const b64u = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** An RS256 compact JWS built by hand, so header and payload can be anything (a string is used as the raw JSON text). */
function rs256(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

interface Signer {
  privateKey: KeyObject;
  key: AssertionKey;
}

function makeSigner(id: string, createdBy: string): Signer {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const parsed = readPublicKeyUpload(publicKey.export({ format: "pem", type: "spki" }));
  return { privateKey, key: { id, spkiPem: parsed.spkiPem, thumbprint: parsed.thumbprint, createdBy } };
}

let alice: Signer;
let bob: Signer;
let stranger: Signer;
let keys: AssertionKey[];

const claims = (extra: Record<string, unknown> = {}) => ({ iss: CLIENT_ID, sub: "user-alice", exp: NOW_S + 600, ...extra });
const token = (extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = alice) => rs256({ alg: "RS256", ...header }, claims(extra), signer.privateKey);

async function rejection(jwt: string, with_ = keys, at = EXPECT): Promise<AssertionRejected> {
  try {
    await verifyJwtAssertion(jwt, with_, at);
  } catch (e) {
    expect(e).toBeInstanceOf(AssertionRejected);
    return e as AssertionRejected;
  }
  throw new Error("expected the JWT to be rejected");
}
const reason = async (jwt: string, with_ = keys, at = EXPECT): Promise<AssertionReason> => (await rejection(jwt, with_, at)).reason;

beforeAll(() => {
  alice = makeSigner("key-alice", "user-alice");
  bob = makeSigner("key-bob", "user-bob");
  stranger = makeSigner("key-stranger", "user-alice");
  keys = [alice.key, bob.key];
});

describe("verifyJwtAssertion: accepted", () => {
  it("accepts a correct JWT signed with jose and returns the key, subject, issuer, expiry, jti and claims", async () => {
    const jwt = await new SignJWT({ scope: "api" })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(CLIENT_ID)
      .setSubject("user-alice")
      .setExpirationTime(NOW_S + 300)
      .setIssuedAt(NOW_S)
      .setJti("7d9c1e1a")
      .sign(alice.privateKey);
    expect(await verifyJwtAssertion(jwt, keys, EXPECT)).toEqual({
      key: alice.key,
      subject: "user-alice",
      issuer: CLIENT_ID,
      expiresAt: (NOW_S + 300) * 1000,
      jti: "7d9c1e1a",
      claims: { scope: "api", iss: CLIENT_ID, sub: "user-alice", exp: NOW_S + 300, iat: NOW_S, jti: "7d9c1e1a" },
    });
  });

  it("needs no aud, iat or jti, and ignores aud and typ when present", async () => {
    expect((await verifyJwtAssertion(token(), keys, EXPECT)).jti).toBeNull();
    expect((await verifyJwtAssertion(token({ aud: "https://elsewhere.example" }, { typ: "at+jwt" }), keys, EXPECT)).subject).toBe("user-alice");
  });

  it("accepts exp exactly 24 hours ahead, and nbf up to 60 seconds ahead", async () => {
    const at24h = await verifyJwtAssertion(token({ exp: NOW_S + 24 * 3600 }), keys, EXPECT);
    expect(at24h.expiresAt).toBe(NOW + 24 * HOUR);
    expect((await verifyJwtAssertion(token({ exp: NOW_S + 1 }), keys, EXPECT)).expiresAt).toBe(NOW + 1000);
    await verifyJwtAssertion(token({ nbf: NOW_S + 60 }), keys, EXPECT);
    await verifyJwtAssertion(token({ nbf: 0 }), keys, EXPECT);
  });

  it("selects the key by kid (its id or its thumbprint) and, without kid, tries every key", async () => {
    expect((await verifyJwtAssertion(token({}, { kid: "key-alice" }), keys, EXPECT)).key).toBe(alice.key);
    expect((await verifyJwtAssertion(token({}, { kid: alice.key.thumbprint }), keys, EXPECT)).key).toBe(alice.key);
    // No kid, two keys: the first does not verify, the second does.
    const bobs = token({ sub: "user-bob" }, {}, bob);
    expect((await verifyJwtAssertion(bobs, keys, EXPECT)).key).toBe(bob.key);
    expect((await verifyJwtAssertion(bobs, [{ ...alice.key, spkiPem: "not a key" }, bob.key], EXPECT)).key).toBe(bob.key);
  });
});

describe("verifyJwtAssertion: algorithm and key", () => {
  it("refuses alg none, with an empty signature or any other", async () => {
    const payload = b64u(claims());
    for (const alg of ["none", "None", "NONE"]) {
      expect(await reason(`${b64u({ alg })}.${payload}.`)).toBe("algorithm");
      expect(await reason(`${b64u({ alg, kid: "key-alice" })}.${payload}.${b64u("x")}`)).toBe("algorithm");
    }
    expect((await rejection(`${b64u({ alg: "none" })}.${payload}.`)).message).toBe("The JWT is unsigned (alg none). Only RS256 is accepted.");
    expect(await reason(`${b64u({ typ: "JWT" })}.${payload}.`)).toBe("algorithm");
  });

  it("refuses HS256 signed with the public key PEM as the HMAC secret", async () => {
    const secret = createSecretKey(Buffer.from(alice.key.spkiPem));
    for (const header of [{ alg: "HS256" }, { alg: "HS256", kid: "key-alice" }] as JWTHeaderParameters[]) {
      const jwt = await new SignJWT(claims()).setProtectedHeader(header).sign(secret);
      const refused = await rejection(jwt);
      expect([refused.reason, refused.message]).toEqual(["algorithm", "The JWT is signed with HS256. Only RS256 is accepted."]);
    }
  });

  it("refuses every other algorithm, including RS384, PS256, ES256 and a lower-case rs256", async () => {
    for (const alg of ["RS384", "RS512", "PS256"]) {
      expect(await reason(await new SignJWT(claims()).setProtectedHeader({ alg }).sign(alice.privateKey))).toBe("algorithm");
    }
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    expect(await reason(await new SignJWT(claims()).setProtectedHeader({ alg: "ES256" }).sign(ec))).toBe("algorithm");
    expect(await reason(rs256({ alg: "rs256" }, claims(), alice.privateKey))).toBe("algorithm");
    expect(await reason(rs256({ alg: "RS256 " }, claims(), alice.privateKey))).toBe("algorithm");
    expect(await reason(rs256({ alg: ["RS256"] }, claims(), alice.privateKey))).toBe("algorithm");
    expect((await rejection(rs256({ alg: "x".repeat(5000) }, claims(), alice.privateKey))).message).toBe(
      "The JWT header's alg is not a known algorithm. Only RS256 is accepted.",
    );
  });

  it("refuses a JWT signed by a key that is not registered, whatever its claims", async () => {
    const refused = await rejection(token({}, {}, stranger));
    expect([refused.reason, refused.message]).toEqual(["signature", "The JWT's signature does not match any public key registered for this client."]);
    // Claims are only looked at after the signature verifies: an expired forgery is still just a forgery.
    expect(await reason(token({ exp: NOW_S - 600, iss: "someone else" }, {}, stranger))).toBe("signature");
    expect(await reason(token({}, {}, alice), [])).toBe("unknown_key");
  });

  it("never trusts a key the JWT brings along (jwk, jku, x5u, x5c headers)", async () => {
    const jwk = await exportJWK(stranger.privateKey);
    const publicJwk = { kty: jwk.kty, n: jwk.n, e: jwk.e };
    expect(await reason(token({}, { jwk: publicJwk }, stranger))).toBe("signature");
    expect(await reason(token({}, { jwk: publicJwk, kid: await calculateJwkThumbprint(publicJwk) }, stranger))).toBe("unknown_key");
    expect(await reason(token({}, { jku: "https://attacker.example/jwks.json", x5u: "https://attacker.example/cert.pem" }, stranger))).toBe("signature");
    // The headers are ignored, not refused: a registered key's JWT that carries them still verifies.
    expect((await verifyJwtAssertion(token({}, { jwk: publicJwk }), keys, EXPECT)).key).toBe(alice.key);
  });

  it("tries only the key a kid names, and refuses a kid that names none", async () => {
    expect(await reason(token({}, { kid: "key-bob" }))).toBe("signature");
    expect(await reason(token({}, { kid: "key-unknown" }))).toBe("unknown_key");
    expect(await reason(token({}, { kid: bob.key.thumbprint.toLowerCase() }))).toBe("unknown_key");
    expect(await reason(token({}, { kid: 42 }))).toBe("unknown_key");
    const long = await rejection(token({}, { kid: "k".repeat(5000) }));
    expect(long.message).toBe("The JWT's kid does not name a public key registered for this client.");
  });

  it("refuses crit header extensions", async () => {
    expect(await reason(token({}, { crit: ["exp"], exp: 1 }))).toBe("malformed");
    expect(await reason(rs256({ alg: "RS256", b64: false, crit: ["b64"] }, claims(), alice.privateKey))).toBe("malformed");
  });
});

describe("verifyJwtAssertion: claims", () => {
  it("refuses expired, missing and non-numeric exp", async () => {
    const expired = await rejection(token({ exp: NOW_S - 1 }));
    expect([expired.reason, expired.message]).toEqual(["expired", "The JWT's exp is in the past."]);
    expect(await reason(token({ exp: NOW_S }))).toBe("expired");
    expect(await reason(token({ exp: undefined }))).toBe("missing_exp");
    for (const exp of [String(NOW_S + 60), null, true, [NOW_S + 60], { at: NOW_S }]) expect(await reason(token({ exp }))).toBe("missing_exp");
    expect(await reason(rs256({ alg: "RS256" }, `{"iss":"${CLIENT_ID}","sub":"user-alice","exp":1e400}`, alice.privateKey))).toBe("missing_exp");
  });

  it("refuses exp more than 24 hours ahead", async () => {
    const refused = await rejection(token({ exp: NOW_S + 25 * 3600 }));
    expect([refused.reason, refused.message]).toEqual(["too_far_ahead", "The JWT's exp is more than 24 hours in the future."]);
    expect(await reason(token({ exp: NOW_S + 24 * 3600 + 1 }))).toBe("too_far_ahead");
    expect(await reason(token({ exp: NOW_S + 61 }), keys, { ...EXPECT, maxLifetimeMs: 60_000 })).toBe("too_far_ahead");
  });

  it("refuses nbf beyond the 60-second skew or not a number", async () => {
    expect(await reason(token({ nbf: NOW_S + 61 }))).toBe("not_yet_valid");
    expect(await reason(token({ nbf: "soon" }))).toBe("not_yet_valid");
  });

  it("refuses an iss other than the client ID, exactly compared", async () => {
    for (const iss of ["other-client", CLIENT_ID.toUpperCase(), ` ${CLIENT_ID}`, undefined, 7, [CLIENT_ID]]) {
      const refused = await rejection(token({ iss }));
      expect([refused.reason, refused.message]).toEqual(["issuer", "The JWT's iss must be the Customer ID shown on the application's page."]);
    }
  });

  it("refuses a sub that is not the user who registered the verifying key", async () => {
    expect(await reason(token({ sub: "user-bob" }))).toBe("subject");
    expect(await reason(token({ sub: "user-alice" }, {}, bob))).toBe("subject");
    expect(await reason(token({ sub: undefined }))).toBe("subject");
    expect((await rejection(token({ sub: "USER-ALICE" }))).message).toBe("The JWT's sub must be the ID of the user who registered its public key.");
  });

  it("accepts a jti of 1 to 255 characters and refuses any other", async () => {
    expect((await verifyJwtAssertion(token({ jti: "j".repeat(255) }), keys, EXPECT)).jti).toBe("j".repeat(255));
    expect((await verifyJwtAssertion(token({ jti: "1" }), keys, EXPECT)).jti).toBe("1");
    for (const jti of ["", "j".repeat(256), 42, null, ["a"]]) {
      const refused = await rejection(token({ jti }));
      expect([refused.reason, refused.message]).toEqual(["jti", "The JWT's jti must be a non-empty string of at most 255 characters."]);
    }
  });

  it("refuses a signed payload that is not a JSON object", async () => {
    for (const payload of ['"just a string"', "[1,2]", "null", "not json", "{"]) {
      expect(await reason(rs256({ alg: "RS256" }, payload, alice.privateKey))).toBe("malformed");
    }
  });
});

describe("verifyJwtAssertion: malformed input", () => {
  it("refuses anything but three strict base64url parts within 16 KiB", async () => {
    const good = token();
    const [h, p, s] = good.split(".") as [string, string, string];
    const forms = [
      "",
      "abc",
      `${h}.${p}`,
      `${good}.${s}`,
      `${h}..${s}`,
      `.${p}.${s}`,
      ` ${good}`,
      `${good}\n`,
      `${h}=.${p}.${s}`,
      `${h.slice(0, -1)}+.${p}.${s}`,
      `${h}.${p}.${s.slice(0, -2)}/${s.slice(-1)}`,
      `${h}.${p}.${s}!`,
      `${h}.${p}.A`,
      `${b64u("not json")}.${p}.${s}`,
      `${b64u([1, 2])}.${p}.${s}`,
      `${b64u("null")}.${p}.${s}`,
      `${Buffer.from([0xff, 0xfe, 0x7b]).toString("base64url")}.${p}.${s}`,
      token({ padding: "x".repeat(MAX_ASSERTION_CHARS) }),
    ];
    for (const form of forms) expect(await reason(form), form.slice(0, 60)).toBe("malformed");
    expect((await rejection("x".repeat(MAX_ASSERTION_CHARS + 1))).message).toBe("The JWT is longer than 16384 characters.");
  });

  it("refuses a non-canonical base64url spelling of a valid part (stray bits in the last character)", async () => {
    const [h, p, s] = token().split(".") as [string, string, string];
    const last = s.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // 256 bytes are 342 characters whose last one carries 4 spare bits: the next character spells the same bytes.
    const twin = alphabet[alphabet.indexOf(last) + 1]!;
    expect(Buffer.from(`${s.slice(0, -1)}${twin}`, "base64url").equals(Buffer.from(s, "base64url"))).toBe(true);
    expect(await reason(`${h}.${p}.${s.slice(0, -1)}${twin}`)).toBe("malformed");
  });

  it("only ever throws AssertionRejected, and never accepts a damaged or arbitrary token", async () => {
    const good = token();
    const damaged = fc
      .tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 4 }))
      .map(([at, insert, remove]) => good.slice(0, at % good.length) + insert + good.slice((at % good.length) + remove))
      .filter((t) => t !== good);
    const jwtish = fc.string({ unit: fc.constantFrom(..."eyJhbGciOiJSUzI1NiJ9.-_AQ="), maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 500 }), jwtish, damaged, fc.string({ unit: "binary", maxLength: 200 })), async (value) => {
        await expect(verifyJwtAssertion(value, keys, EXPECT)).rejects.toBeInstanceOf(AssertionRejected);
      }),
      { numRuns: 300 },
    );
    await expect(verifyJwtAssertion(null as unknown as string, keys, EXPECT)).rejects.toBeInstanceOf(AssertionRejected);
  });

  it("never echoes the token in its messages", async () => {
    const marker = "ZZMARKERZZ";
    const forms = [`${marker}.${marker}.${marker}`, rs256({ alg: marker }, claims(), alice.privateKey), token({}, { kid: marker }), token({ iss: marker }), token({ jti: marker.repeat(30) })];
    for (const form of forms) expect((await rejection(form)).message).not.toContain(marker);
  });
});
