/**
 * Pieces shared by the assertion verifiers (the OAuth2 JWT flow and the IMS exchange): strict
 * base64url parts, JSON objects only, and short descriptions that never echo what a client sent.
 */
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
