/**
 * The server's own access tokens: ES256 compact JWS signed and verified with node:crypto directly.
 * jose signs through WebCrypto, several times slower per token; ES256 signs about 9x faster than
 * RS256 here, and minting is the hot path. Verification is deliberately narrow: one algorithm, keys
 * chosen only by kid from the server's own set, and nothing in the header can bring its own key.
 * Expiry and the other claims are the caller's business.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { isCanonicalBase64url, parseJsonObject } from "../domain/jws-parts";

export const IMS_TOKEN_ALG = "ES256";
/** Far above a token with ordinary claims (~400 chars); bounds the work an unauthenticated caller can cause. */
export const MAX_TOKEN_CHARS = 4096;
const SIGNATURE_BYTES = 64;
const CURVE = "prime256v1";

/** A type alias rather than an interface, so that it is assignable to node's JsonWebKey as it stands. */
export type PublicSigningJwk = {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: "ES256";
  use: "sig";
};

export interface SigningKeyMaterial {
  kid: string;
  /** PKCS #8 PEM. */
  privateKeyPem: string;
  publicJwk: PublicSigningJwk;
}

export interface TokenSigner {
  kid: string;
  sign(payload: Record<string, unknown>): string;
}

export interface VerifierKey {
  kid: string;
  publicJwk: object;
}

/** P-256 group order n, and n/2: a signature's s above it is the other spelling of (r, n - s). */
const ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_ORDER = Buffer.from((ORDER >> 1n).toString(16).padStart(64, "0"), "hex");

/** Header members that name or carry a key: the token never chooses its own key. */
const KEY_HEADERS = ["jwk", "jku", "x5c", "x5u", "x5t", "x5t#S256"] as const;

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order, without whitespace. */
function thumbprint(jwk: { crv: string; kty: string; x: string; y: string }): string {
  return createHash("sha256").update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest("base64url");
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === CURVE;
}

export function generateSigningKey(): SigningKeyMaterial {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: CURVE });
  const { x, y } = publicKey.export({ format: "jwk" });
  if (typeof x !== "string" || typeof y !== "string") throw new Error("The generated EC key has no coordinates.");
  const kid = thumbprint({ crv: "P-256", kty: "EC", x, y });
  return {
    kid,
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicJwk: { kty: "EC", crv: "P-256", x, y, kid, alg: IMS_TOKEN_ALG, use: "sig" },
  };
}

/**
 * ECDSA signatures come in pairs, (r, s) and (r, n - s), both valid. Writing only the low one, and
 * accepting only it, gives every token exactly one spelling, so a token's text (or its hash) can
 * safely identify it, e.g. for revocation.
 */
function lowS(signature: Buffer): Buffer {
  const s = signature.subarray(32);
  if (Buffer.compare(s, HALF_ORDER) <= 0) return signature;
  const flipped = ORDER - BigInt("0x" + s.toString("hex"));
  Buffer.from(flipped.toString(16).padStart(64, "0"), "hex").copy(signature, 32);
  return signature;
}

/** The key is parsed and the header encoded once; each token costs one JSON encoding and one signature. */
export function tokenSigner(material: { kid: string; privateKeyPem: string }): TokenSigner {
  const key = createPrivateKey(material.privateKeyPem);
  if (!isP256(key)) throw new Error("The token signing key is not a P-256 EC private key.");
  if (typeof material.kid !== "string" || material.kid === "") throw new Error("The token signing key has no kid.");
  const { kid } = material;
  const headerPart = Buffer.from(JSON.stringify({ alg: IMS_TOKEN_ALG, typ: "JWT", kid }), "utf8").toString("base64url");
  return {
    kid,
    sign(payload) {
      const json: unknown = JSON.stringify(payload);
      if (typeof json !== "string" || !json.startsWith("{")) throw new Error("A token payload must encode as a JSON object.");
      const signingInput = `${headerPart}.${Buffer.from(json, "utf8").toString("base64url")}`;
      const signature = lowS(sign("sha256", Buffer.from(signingInput, "ascii"), { key, dsaEncoding: "ieee-p1363" }));
      const token = `${signingInput}.${signature.toString("base64url")}`;
      // Minting a token the verifier would refuse helps nobody: fail where the oversized claims are.
      if (token.length > MAX_TOKEN_CHARS) throw new Error(`The token would be longer than ${MAX_TOKEN_CHARS} characters.`);
      return token;
    },
  };
}

/**
 * Parses each public JWK once. Throws (at setup, never per token) on a key that is not a P-256 public
 * JWK, on one carrying private members, and on a repeated kid, which would make the choice ambiguous.
 */
export function tokenVerifier(keys: readonly VerifierKey[]): (token: string) => Record<string, unknown> | null {
  const byKid = new Map<string, KeyObject>();
  for (const { kid, publicJwk } of keys) {
    if (typeof kid !== "string" || kid === "") throw new Error("A token verification key has no kid.");
    if (byKid.has(kid)) throw new Error(`Two token verification keys share the kid ${JSON.stringify(kid)}.`);
    if ("d" in publicJwk) throw new Error("A token verification key must be a public JWK (it has a d member).");
    const key = createPublicKey({ key: publicJwk as JsonWebKey, format: "jwk" });
    if (!isP256(key)) throw new Error("A token verification key is not a P-256 EC public key.");
    byKid.set(kid, key);
  }

  return (token: string) => {
    try {
      return verifyToken(byKid, token);
    } catch {
      // Nothing a caller sends may escape as an exception; every failure is the same refusal.
      return null;
    }
  };
}

function verifyToken(byKid: ReadonlyMap<string, KeyObject>, token: unknown): Record<string, unknown> | null {
  if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS) return null;
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = parseJsonObject(headerPart);
  if (!header || header.alg !== IMS_TOKEN_ALG || typeof header.kid !== "string") return null;
  if (Object.hasOwn(header, "crit") || KEY_HEADERS.some((name) => Object.hasOwn(header, name))) return null;
  const key = byKid.get(header.kid);
  if (!key) return null;

  const signature = Buffer.from(signaturePart, "base64url");
  if (signature.length !== SIGNATURE_BYTES || Buffer.compare(signature.subarray(32), HALF_ORDER) > 0) return null;
  const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, "ascii");
  if (!verify("sha256", signingInput, { key, dsaEncoding: "ieee-p1363" }, signature)) return null;
  return parseJsonObject(payloadPart);
}

const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "kid", "alg", "use"] as const;

/** The JWKS document: only the public members, copied by name, so a private `d` can never be published. */
export function publicJwks(keys: readonly { publicJwk: object }[]): { keys: object[] } {
  return {
    keys: keys.map(({ publicJwk }) => {
      const source = publicJwk as Record<string, unknown>;
      const out: Record<string, string> = {};
      for (const name of PUBLIC_MEMBERS) {
        const value = Object.hasOwn(source, name) ? source[name] : undefined;
        if (typeof value === "string") out[name] = value;
      }
      return out;
    }),
  };
}
