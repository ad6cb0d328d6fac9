/**
 * Pieces shared by the assertion verifiers (the OAuth2 JWT flow and the IMS exchange): reading an
 * RS256 compact JWS before its signature (strict base64url parts, JSON objects only), finding the
 * registered key that verifies it, and short descriptions that never echo what a client sent.
 */
import { compactVerify } from "jose";
import { publicKeyObject } from "./public-key";

/** A 2048-bit RS256 JWT with ordinary claims is under 1 KiB; an 8192-bit signature alone is 1.4 KiB. */
export const MAX_ASSERTION_CHARS = 16 * 1024;
/** Without a kid every registered key is tried; a client has a handful, this bounds the work per request. */
export const MAX_KEYS_TRIED = 20;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Base64url as RFC 7515 writes it: the URL-safe alphabet, no padding, no length that cannot occur,
 * and no stray bits in the last character, so that each part has exactly one spelling.
 */
export function isCanonicalBase64url(part: string): boolean {
  if (!BASE64URL.test(part) || part.length % 4 === 1) return false;
  return Buffer.from(part, "base64url").toString("base64url") === part;
}

export function parseJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(part, "base64url")));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const JWS_ALGORITHMS = new Set(["HS256", "HS384", "HS512", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES256K", "ES384", "ES512", "EdDSA", "Ed25519", "Ed448"]);

/** Names the algorithm the token claims only when it is a registered JWS one, so nothing odd is echoed. */
export function describeAlg(alg: unknown): string {
  if (alg === undefined) return "The JWT header has no alg.";
  if (typeof alg === "string" && alg.toLowerCase() === "none") return "The JWT is unsigned (alg none).";
  return typeof alg === "string" && JWS_ALGORITHMS.has(alg) ? `The JWT is signed with ${alg}.` : "The JWT header's alg is not a known algorithm.";
}

export function describeDuration(ms: number): string {
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} hour${hours === 1 ? "" : "s"}` : `${Math.round(ms / 1000)} seconds`;
}

/** Why a token was refused before its signature: each verifier turns it into its own error. */
export interface CompactProblem {
  reason: "malformed" | "algorithm";
  message: string;
}

export const NOT_COMPACT = "The assertion is not a compact JWT (three base64url parts separated by dots).";

/**
 * The header and payload part of an RS256 compact JWS, or why it is refused. Only format and
 * algorithm are judged here, so nothing about the claims is revealed before the signature verifies.
 */
export function readRs256Compact(token: unknown): { header: Record<string, unknown>; payloadPart: string } | CompactProblem {
  const malformed = (message = NOT_COMPACT): CompactProblem => ({ reason: "malformed", message });
  if (typeof token !== "string" || token.length === 0) return malformed();
  if (token.length > MAX_ASSERTION_CHARS) return malformed(`The JWT is longer than ${MAX_ASSERTION_CHARS} characters.`);
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) return malformed();
  const [headerPart, payloadPart] = parts as [string, string, string];
  if (headerPart === "" || payloadPart === "") return malformed();
  const header = parseJsonObject(headerPart);
  if (!header) return malformed("The JWT header is not a JSON object.");
  if (header.alg !== "RS256") return { reason: "algorithm", message: `${describeAlg(header.alg)} Only RS256 is accepted.` };
  if (header.crit !== undefined) return malformed("The JWT header has crit; no header extensions are supported.");
  return { header, payloadPart };
}

/** The first of `keys` (at most MAX_KEYS_TRIED) whose public key verifies the token's RS256 signature. */
export async function firstVerifyingKey<K extends { spkiPem: string }>(token: string, keys: readonly K[]): Promise<K | null> {
  for (const key of keys.slice(0, MAX_KEYS_TRIED)) {
    try {
      // The KeyObject is the only key input: jose never looks at a jwk header unless given EmbeddedJWK.
      await compactVerify(token, publicKeyObject(key.spkiPem), { algorithms: ["RS256"] });
      return key;
    } catch {
      // A wrong key, a bad signature or an unusable stored key: try the next one.
    }
  }
  return null;
}
