/**
 * PKCE (RFC 7636), S256 only: `plain` would hand the verifier to anyone who sees the authorization
 * request (RFC 9700 2.1.1). A verifier is 43-128 characters of the unreserved set; a challenge is
 * the base64url SHA-256 of the verifier, 43 characters.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export const isCodeVerifier = (v: string): boolean => VERIFIER.test(v);
export const isS256Challenge = (c: string): boolean => CHALLENGE.test(c);

export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Whether `verifier` answers `challenge`, compared in constant time. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!isCodeVerifier(verifier) || !isS256Challenge(challenge)) return false;
  return timingSafeEqual(Buffer.from(s256(verifier)), Buffer.from(challenge));
}
