/**
 * The server's ES256 access tokens. The verifier faces unauthenticated input, so besides the round
 * trip every known JWS confusion is tried here (alg none, HMAC with the public key, another algorithm,
 * embedded keys, DER signatures, non-canonical base64url, the other ECDSA spelling), and a property
 * test checks that no one-character change of a valid token verifies.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  IMS_TOKEN_ALG,
  MAX_TOKEN_CHARS,
  generateSigningKey,
  publicJwks,
  tokenSigner,
  tokenVerifier,
  type SigningKeyMaterial,
} from "./ims-token";

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");
const json = (value: unknown) => b64(JSON.stringify(value));
const decode = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const parts = (token: string) => token.split(".") as [string, string, string];
const ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const material = generateSigningKey();
const signer = tokenSigner(material);
const verifyToken = tokenVerifier([material]);
const claims = { sub: "user-1", client_id: "app", scope: "openid,AdobeID", exp: 1_900_000_000 };

/** Any header and payload text signed ES256 (P1363 unless told) with `key`: tokens the signer would never write. */
function forge(header: unknown, payload: string, key: SigningKeyMaterial = material, dsaEncoding: "ieee-p1363" | "der" = "ieee-p1363"): string {
  const input = `${typeof header === "string" ? b64(header) : json(header)}.${b64(payload)}`;
  const signature = sign("sha256", Buffer.from(input), { key: key.privateKeyPem, dsaEncoding });
  // The low-s spelling, as the signer writes it: a refusal below must come from what the test changes.
  return `${input}.${b64(dsaEncoding === "der" ? signature : lowS(signature))}`;
}
function lowS(signature: Buffer): Buffer {
  const s = BigInt("0x" + signature.subarray(32).toString("hex"));
  if (s <= ORDER >> 1n) return signature;
  return Buffer.concat([signature.subarray(0, 32), Buffer.from((ORDER - s).toString(16).padStart(64, "0"), "hex")]);
}
/** Plain node verification, to show a refusal is the verifier's rule rather than a broken signature. */
const verifySignature = (key: KeyObject, input: string, signature: Buffer) => verify("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }, signature);
const header = (extra: Record<string, unknown> = {}) => ({ alg: "ES256", typ: "JWT", kid: material.kid, ...extra });

describe("generateSigningKey", () => {
  it("makes a P-256 key whose kid is its RFC 7638 thumbprint", async () => {
    expect(material.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----\n")).toBe(true);
    expect(material.publicJwk).toEqual({ kty: "EC", crv: "P-256", x: material.publicJwk.x, y: material.publicJwk.y, kid: material.kid, alg: "ES256", use: "sig" });
    expect(material.kid).toBe(await calculateJwkThumbprint(material.publicJwk, "sha256"));
    const publicKey = createPublicKey({ key: material.publicJwk, format: "jwk" });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });

  it("makes a new key each time", () => {
    const other = generateSigningKey();
    expect(other.kid).not.toBe(material.kid);
    expect(other.privateKeyPem).not.toBe(material.privateKeyPem);
  });
});

describe("tokenSigner", () => {
  it("writes the header exactly as specified", () => {
    const token = signer.sign(claims);
    expect(signer.kid).toBe(material.kid);
    expect(Buffer.from(parts(token)[0], "base64url").toString("utf8")).toBe(`{"alg":"ES256","typ":"JWT","kid":"${material.kid}"}`);
    expect(IMS_TOKEN_ALG).toBe("ES256");
  });

  it("round-trips through the verifier", () => {
    expect(verifyToken(signer.sign(claims))).toEqual(claims);
  });

  it("keeps unicode claims intact", () => {
    const payload = { name: "Zoë Ångström 山田 🙂", note: "\u2028 \"quoted\" \\ tab\t", nested: { list: [1, "ü", null, true] } };
    const token = signer.sign(payload);
    expect(verifyToken(token)).toEqual(payload);
    expect(decode(parts(token)[1])).toEqual(payload);
  });

  it("writes tokens that jose verifies as ES256 JWTs with the published JWKS", async () => {
    const token = signer.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(publicJwks([material])));
    expect(protectedHeader).toEqual({ alg: "ES256", typ: "JWT", kid: material.kid });
    expect(payload.sub).toBe("user-1");
  });

  it("writes only the low-s spelling of each signature", () => {
    const half = ORDER >> 1n;
    for (let i = 0; i < 50; i++) {
      const s = BigInt("0x" + Buffer.from(parts(signer.sign({ i }))[2], "base64url").subarray(32).toString("hex"));
      expect(s <= half).toBe(true);
    }
  });

  it("refuses a key that is not P-256, an empty kid, and a payload that is not a JSON object or is too large", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(() => tokenSigner({ kid: "k", privateKeyPem: rsa })).toThrow(/P-256/);
    expect(() => tokenSigner({ kid: "k", privateKeyPem: p384 })).toThrow(/P-256/);
    expect(() => tokenSigner({ kid: "", privateKeyPem: material.privateKeyPem })).toThrow(/kid/);
    expect(() => signer.sign([1, 2] as unknown as Record<string, unknown>)).toThrow(/JSON object/);
    expect(() => signer.sign({ toJSON: () => undefined })).toThrow(/JSON object/);
    expect(() => signer.sign({ big: "x".repeat(MAX_TOKEN_CHARS) })).toThrow(/longer/);
  });
});

describe("tokenVerifier: keys", () => {
  it("chooses the key by kid among several", () => {
    const second = generateSigningKey();
    const verifyBoth = tokenVerifier([material, second]);
    expect(verifyBoth(signer.sign({ n: 1 }))).toEqual({ n: 1 });
    expect(verifyBoth(tokenSigner(second).sign({ n: 2 }))).toEqual({ n: 2 });
  });

  it("refuses a token signed by another key under a registered kid", () => {
    const intruder = generateSigningKey();
    expect(verifyToken(tokenSigner({ kid: material.kid, privateKeyPem: intruder.privateKeyPem }).sign(claims))).toBeNull();
  });

  it("refuses an unknown kid, a missing kid and a kid that is not a string", () => {
    const intruder = generateSigningKey();
    expect(verifyToken(tokenSigner(intruder).sign(claims))).toBeNull();
    expect(verifyToken(forge({ alg: "ES256" }, JSON.stringify(claims)))).toBeNull();
    expect(verifyToken(forge({ alg: "ES256", kid: 1 }, JSON.stringify(claims)))).toBeNull();
    expect(verifyToken(forge({ alg: "ES256", kid: [material.kid] }, JSON.stringify(claims)))).toBeNull();
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])("refuses the kid %j without throwing", (kid) => {
    expect(() => verifyToken(forge({ alg: "ES256", kid }, JSON.stringify(claims)))).not.toThrow();
    expect(verifyToken(forge({ alg: "ES256", kid }, JSON.stringify(claims)))).toBeNull();
    expect(verifyToken(tokenSigner({ kid, privateKeyPem: material.privateKeyPem }).sign(claims))).toBeNull();
  });

  it("uses a registered kid named like an Object.prototype member only for its own key", () => {
    const verifyOdd = tokenVerifier([{ kid: "constructor", publicJwk: material.publicJwk }]);
    expect(verifyOdd(tokenSigner({ kid: "constructor", privateKeyPem: material.privateKeyPem }).sign(claims))).toEqual(claims);
    expect(verifyOdd(tokenSigner({ kid: "__proto__", privateKeyPem: material.privateKeyPem }).sign(claims))).toBeNull();
  });

  it("refuses, at setup, a private JWK, a key that is not P-256, a repeated kid and an empty kid", () => {
    const privateJwk = createPrivateKey(material.privateKeyPem).export({ format: "jwk" }) as object;
    expect(() => tokenVerifier([{ kid: "k", publicJwk: privateJwk }])).toThrow(/public JWK/);
    const rsaJwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }) as object;
    expect(() => tokenVerifier([{ kid: "k", publicJwk: rsaJwk }])).toThrow(/P-256/);
    expect(() => tokenVerifier([material, { kid: material.kid, publicJwk: generateSigningKey().publicJwk }])).toThrow(/share/);
    expect(() => tokenVerifier([{ kid: "", publicJwk: material.publicJwk }])).toThrow(/kid/);
    expect(() => tokenVerifier([{ kid: "k", publicJwk: { kty: "EC", crv: "P-256", x: "AA", y: "AA" } }])).toThrow();
  });

  it("verifies nothing with no keys", () => {
    expect(tokenVerifier([])(signer.sign(claims))).toBeNull();
  });
});

describe("tokenVerifier: algorithm confusion", () => {
  const payload = JSON.stringify(claims);

  it("refuses alg none, with and without a signature", () => {
    for (const alg of ["none", "None", "NONE"]) {
      const unsigned = `${json({ alg, kid: material.kid })}.${b64(payload)}.`;
      expect(verifyToken(unsigned)).toBeNull();
      expect(verifyToken(unsigned.slice(0, -1))).toBeNull();
    }
    // A real signature under a header that says none.
    expect(verifyToken(forge({ alg: "none", kid: material.kid }, payload))).toBeNull();
  });

  it("refuses HS256 keyed with the public JWK's x, the whole JWK or the PEM text", () => {
    const publicPem = createPublicKey(material.privateKeyPem).export({ format: "pem", type: "spki" }).toString();
    const secrets = [material.publicJwk.x, Buffer.from(material.publicJwk.x, "base64url"), JSON.stringify(material.publicJwk), publicPem, material.privateKeyPem];
    for (const alg of ["HS256", "ES256"]) {
      for (const secret of secrets) {
        const input = `${json({ alg, typ: "JWT", kid: material.kid })}.${b64(payload)}`;
        const mac = createHmac("sha256", secret).update(input).digest();
        expect(verifyToken(`${input}.${b64(mac)}`)).toBeNull();
        // Doubled to 64 bytes, the length an ES256 signature has.
        expect(verifyToken(`${input}.${b64(Buffer.concat([mac, mac]))}`)).toBeNull();
      }
    }
  });

  it("refuses an RS256 token, whatever alg its header names", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    for (const alg of ["RS256", "ES256", "PS256"]) {
      const input = `${json({ alg, typ: "JWT", kid: material.kid })}.${b64(payload)}`;
      expect(verifyToken(`${input}.${b64(sign("sha256", Buffer.from(input), rsa))}`)).toBeNull();
    }
  });

  it("refuses a correct signature under any other alg spelling or curve", () => {
    for (const alg of ["es256", "ES256 ", "ES384", "ES512", "ES256K", "EdDSA", null, 256, ["ES256"]]) {
      expect(verifyToken(forge({ alg, typ: "JWT", kid: material.kid }, payload))).toBeNull();
    }
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
    const input = `${json({ alg: "ES384", kid: material.kid })}.${b64(payload)}`;
    expect(verifyToken(`${input}.${b64(sign("sha384", Buffer.from(input), { key: p384, dsaEncoding: "ieee-p1363" }))}`)).toBeNull();
  });

  it("accepts the forge helper's own valid token (so the refusals above are about what they change)", () => {
    expect(verifyToken(forge(header(), payload))).toEqual(claims);
  });
});

describe("tokenVerifier: the header cannot bring a key or extensions", () => {
  const payload = JSON.stringify(claims);
  const attacker = generateSigningKey();

  it.each([
    ["jwk", material.publicJwk],
    ["jwk", attacker.publicJwk],
    ["jku", "https://attacker.example/jwks.json"],
    ["x5u", "https://attacker.example/cert.pem"],
    ["x5c", ["MIIB"]],
    ["x5t", "AAAA"],
    ["x5t#S256", "AAAA"],
    ["crit", ["exp"]],
    ["crit", []],
    ["jwk", null],
  ])("refuses a validly signed token whose header has %s", (name, value) => {
    expect(verifyToken(forge(header({ [name]: value }), payload))).toBeNull();
  });

  it("refuses a token signed by the key its own jwk header embeds", () => {
    expect(verifyToken(forge(header({ jwk: attacker.publicJwk }), payload, attacker))).toBeNull();
  });

  it("refuses a header that is not a JSON object", () => {
    for (const text of ["[]", '["ES256"]', "null", '"ES256"', "1", "", "{", `{"alg":"ES256","kid":"${material.kid}"}x`]) {
      expect(verifyToken(forge(text, payload))).toBeNull();
    }
    // Not UTF-8.
    const input = `${b64(Buffer.from([0x7b, 0xff, 0x7d]))}.${b64(payload)}`;
    expect(verifyToken(`${input}.${b64(sign("sha256", Buffer.from(input), { key: material.privateKeyPem, dsaEncoding: "ieee-p1363" }))}`)).toBeNull();
  });
});

describe("tokenVerifier: altered tokens", () => {
  const token = signer.sign(claims);
  const [h, p, s] = parts(token);

  it("refuses a changed claim under the original signature", () => {
    for (const changed of [{ ...claims, sub: "admin" }, { ...claims, exp: claims.exp + 1 }, { ...claims, extra: true }, {}]) {
      expect(verifyToken(`${h}.${json(changed)}.${s}`)).toBeNull();
    }
    // Same claims, other spelling (whitespace): still not what was signed.
    expect(verifyToken(`${h}.${b64(JSON.stringify(claims, null, 1))}.${s}`)).toBeNull();
  });

  it("refuses a changed header under the original signature", () => {
    expect(verifyToken(`${json({ kid: material.kid, typ: "JWT", alg: "ES256" })}.${p}.${s}`)).toBeNull();
  });

  it("refuses any altered signature byte", () => {
    const signature = Buffer.from(s, "base64url");
    for (const index of [0, 1, 31, 32, 33, 63]) {
      const altered = Buffer.from(signature);
      altered[index] = altered[index]! ^ 0x01;
      expect(verifyToken(`${h}.${p}.${b64(altered)}`)).toBeNull();
    }
  });

  it("refuses a signature of the wrong length, zero, or r and s out of range", () => {
    const signature = Buffer.from(s, "base64url");
    for (const bad of [signature.subarray(0, 63), Buffer.concat([signature, Buffer.alloc(1)]), Buffer.concat([Buffer.alloc(1), signature]), Buffer.alloc(64), Buffer.alloc(0)]) {
      expect(verifyToken(`${h}.${p}.${b64(bad)}`)).toBeNull();
    }
    const n = Buffer.from(ORDER.toString(16), "hex");
    expect(verifyToken(`${h}.${p}.${b64(Buffer.concat([n, signature.subarray(32)]))}`)).toBeNull();
    expect(verifyToken(`${h}.${p}.${b64(Buffer.concat([signature.subarray(0, 32), n]))}`)).toBeNull();
  });

  it("refuses the high-s twin (r, n - s) of a valid signature", () => {
    const signature = Buffer.from(s, "base64url");
    const twin = ORDER - BigInt("0x" + signature.subarray(32).toString("hex"));
    const high = Buffer.concat([signature.subarray(0, 32), Buffer.from(twin.toString(16).padStart(64, "0"), "hex")]);
    // The twin is a valid ECDSA signature: node accepts it, the token verifier does not.
    const publicKey = createPublicKey({ key: material.publicJwk, format: "jwk" });
    expect(signature.equals(high)).toBe(false);
    expect(verifySignature(publicKey, `${h}.${p}`, high)).toBe(true);
    expect(verifyToken(`${h}.${p}.${b64(high)}`)).toBeNull();
  });

  it("refuses a DER-encoded ECDSA signature of the same input", () => {
    const der = forge(header(), JSON.stringify(claims), material, "der");
    expect(Buffer.from(parts(der)[2], "base64url")[0]).toBe(0x30);
    expect(verifyToken(der)).toBeNull();
  });

  it("refuses a signature moved from another token", () => {
    const other = signer.sign({ ...claims, sub: "other" });
    expect(verifyToken(`${h}.${p}.${parts(other)[2]}`)).toBeNull();
  });
});


describe("tokenVerifier: base64url spelling", () => {
  /** A valid token whose parts between them contain `-` and `_`, so `+` and `/` substitutions exist. */
  function tokenWithUrlAlphabet(): string {
    for (let i = 0; ; i++) {
      const candidate = signer.sign({ ...claims, i });
      if (/[-_]/.test(parts(candidate)[2])) return candidate;
    }
  }
  const token = tokenWithUrlAlphabet();
  const [h, p, s] = parts(token);

  it("refuses padding on any part", () => {
    expect(verifyToken(`${h}=.${p}.${s}`)).toBeNull();
    expect(verifyToken(`${h}.${p}=.${s}`)).toBeNull();
    expect(verifyToken(`${h}.${p}.${s}==`)).toBeNull();
    expect(verifyToken(`${h}.${p}.${Buffer.from(s, "base64url").toString("base64")}`)).toBeNull();
  });

  it("refuses the standard alphabet's + and /", () => {
    const standard = s.replace(/-/g, "+").replace(/_/g, "/");
    expect(standard).not.toBe(s);
    expect(Buffer.from(standard, "base64").equals(Buffer.from(s, "base64url"))).toBe(true);
    expect(verifyToken(`${h}.${p}.${standard}`)).toBeNull();
  });

  it("refuses stray bits in the last character (same bytes, other spelling)", () => {
    // 64 bytes take 86 characters: the last one carries 2 data bits and 4 bits that must be zero.
    expect(s).toHaveLength(86);
    const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(s.at(-1)!);
    const stray = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last | 0x01]!;
    const sloppy = s.slice(0, -1) + stray;
    expect(Buffer.from(sloppy, "base64url").equals(Buffer.from(s, "base64url"))).toBe(true);
    expect(verifyToken(`${h}.${p}.${sloppy}`)).toBeNull();
    expect(verifyToken(token)).toEqual({ ...claims, i: expect.any(Number) as number });
  });

  it("refuses whitespace and characters outside the alphabet", () => {
    for (const bad of [` ${token}`, `${token} `, `${token}\n`, `${h}.${p}.${s.slice(0, 40)} ${s.slice(41)}`, `${h}.${p}.${s.slice(0, -1)}*`, `${h}.${p}\u0000.${s}`]) {
      expect(verifyToken(bad)).toBeNull();
    }
  });
});

describe("tokenVerifier: shape and size", () => {
  const token = signer.sign(claims);
  const [h, p, s] = parts(token);

  it("refuses other part counts and empty parts", () => {
    for (const bad of ["", ".", "..", "...", `${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.${s}.`, `.${h}.${p}.${s}`, `${h}..${s}`, `.${p}.${s}`, `${h}.${p}.`]) {
      expect(verifyToken(bad)).toBeNull();
    }
  });

  it("refuses what is not a string, without throwing", () => {
    const hostile = {
      toString: () => token,
      split: () => {
        throw new Error("boom");
      },
    };
    for (const bad of [undefined, null, 0, 1n, true, {}, [token], new String(token), hostile, Symbol("t"), () => token]) {
      expect(() => verifyToken(bad as string)).not.toThrow();
      expect(verifyToken(bad as string)).toBeNull();
    }
  });

  it("refuses a string over the limit, even a validly signed one", () => {
    expect(verifyToken("a".repeat(5000))).toBeNull();
    expect(verifyToken(`${h}.${p}.${s}`.padEnd(5000, "A"))).toBeNull();
    const big = forge(header(), JSON.stringify({ ...claims, pad: "x".repeat(3800) }));
    expect(big.length).toBeGreaterThan(MAX_TOKEN_CHARS);
    expect(verifyToken(big)).toBeNull();
    // Up to the limit it is fine, and the signer refuses to write a longer one.
    const room = MAX_TOKEN_CHARS - signer.sign({ ...claims, pad: "" }).length;
    let pad = Math.floor((room * 3) / 4) + 3;
    while (pad > 0 && signedLength({ ...claims, pad: "x".repeat(pad) }) === null) pad--;
    const atLimit = signer.sign({ ...claims, pad: "x".repeat(pad) });
    expect(atLimit.length).toBeGreaterThan(MAX_TOKEN_CHARS - 4);
    expect(verifyToken(atLimit)).not.toBeNull();
    expect(() => signer.sign({ ...claims, pad: "x".repeat(pad + 3) })).toThrow(/longer/);
  });

  it("refuses a signed payload that is not a JSON object", () => {
    for (const payload of ["[1,2]", "[]", "null", "42", '"sub"', "true", "", "{", '{"sub":"a"} trailing']) {
      expect(verifyToken(forge(header(), payload))).toBeNull();
    }
    const input = `${json(header())}.${b64(Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d]))}`;
    expect(verifyToken(`${input}.${b64(sign("sha256", Buffer.from(input), { key: material.privateKeyPem, dsaEncoding: "ieee-p1363" }))}`)).toBeNull();
  });

  it("does not check expiry (the caller does)", () => {
    expect(verifyToken(signer.sign({ sub: "u", exp: 1 }))).toEqual({ sub: "u", exp: 1 });
  });
});

function signedLength(payload: Record<string, unknown>): number | null {
  try {
    return signer.sign(payload).length;
  } catch {
    return null;
  }
}

describe("tokenVerifier: property", () => {
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
  const tokens = [signer.sign(claims), signer.sign({ sub: "ü", n: 1 }), signer.sign({})];

  it("no one-character change anywhere in a valid token verifies", () => {
    fc.assert(
      fc.property(fc.constantFrom(...tokens), fc.nat(), fc.constantFrom(...ALPHABET), (token, at, replacement) => {
        const index = at % token.length;
        const mutated = token.slice(0, index) + replacement + token.slice(index + 1);
        const result = verifyToken(mutated);
        if (mutated === token) expect(result).not.toBeNull();
        else expect(result).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it("no deleted or inserted character verifies", () => {
    fc.assert(
      fc.property(fc.constantFrom(...tokens), fc.nat(), fc.constantFrom(...ALPHABET), fc.boolean(), (token, at, extra, insert) => {
        const index = at % token.length;
        const mutated = insert ? token.slice(0, index) + extra + token.slice(index) : token.slice(0, index) + token.slice(index + 1);
        expect(verifyToken(mutated)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on arbitrary strings, and verifies none of them", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.base64String(), { maxLength: 4 }).map((a) => a.join("."))), (text) => {
        expect(verifyToken(text)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});

describe("publicJwks", () => {
  it("publishes only the public members, never d", () => {
    const privateJwk = createPrivateKey(material.privateKeyPem).export({ format: "jwk" });
    expect(typeof privateJwk.d).toBe("string");
    const withPrivate = { publicJwk: { ...material.publicJwk, ...privateJwk, p: "secret", key_ops: ["sign"], ext: true } };
    const jwks = publicJwks([material, withPrivate]);
    expect(jwks.keys).toEqual([material.publicJwk, material.publicJwk]);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
      expect(key).not.toHaveProperty("d");
    }
    expect(JSON.stringify(jwks)).not.toContain(privateJwk.d);
    expect(JSON.stringify(jwks)).not.toContain("secret");
  });

  it("copies only string members, and no inherited ones", () => {
    const inherited = Object.create({ kty: "EC", d: "secret" }) as object;
    expect(publicJwks([{ publicJwk: inherited }, { publicJwk: { kty: "EC", x: 1, y: null, d: "z" } }])).toEqual({ keys: [{}, { kty: "EC" }] });
  });

  it("lets jose verify a signer's token by kid from the published set", async () => {
    const second = generateSigningKey();
    const set = createLocalJWKSet(publicJwks([material, second]));
    const token = tokenSigner(second).sign({ sub: "x" });
    const { protectedHeader } = await compactVerify(token, set);
    expect(protectedHeader.kid).toBe(second.kid);
  });
});

describe("throughput", () => {
  it("signs and verifies 2000 tokens", () => {
    let verified = 0;
    for (let i = 0; i < 2000; i++) {
      if (verifyToken(signer.sign({ ...claims, jti: i }))?.jti === i) verified++;
    }
    expect(verified).toBe(2000);
  });
});
