/**
 * The consent form's CSRF token: an HMAC, under a key derived from the server secret, of the signed-in
 * user and the exact authorization request, with the time it was made. A page from another site
 * cannot produce it, and it cannot be moved to another user, app, redirect URL or challenge.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { constantTimeEqual, type ServerKeys } from "../../crypto/secrets";
import type { AuthorizationRequest } from "./authorize-request";

const VALID_MS = 10 * 60_000;
const keyCache = new WeakMap<ServerKeys, Buffer>();

function keyOf(keys: ServerKeys): Buffer {
  let k = keyCache.get(keys);
  if (!k) keyCache.set(keys, (k = Buffer.from(hkdfSync("sha256", keys.lookup, Buffer.alloc(0), "keyward:consent", 32))));
  return k;
}

function mac(keys: ServerKeys, userId: string, r: AuthorizationRequest, issuedAt: number): string {
  const fields = [userId, r.app.clientId, r.redirectUri, r.state ?? "", r.codeChallenge ?? "", r.scope, String(issuedAt)];
  return createHmac("sha256", keyOf(keys)).update(JSON.stringify(fields)).digest("base64url");
}

export function consentToken(keys: ServerKeys, userId: string, r: AuthorizationRequest, now: number): string {
  return `${now.toString(36)}.${mac(keys, userId, r, now)}`;
}

export function consentTokenValid(keys: ServerKeys, userId: string, r: AuthorizationRequest, token: string, now: number): boolean {
  const dot = token.indexOf(".");
  if (dot <= 0 || token.length > 200) return false;
  const stamp = token.slice(0, dot);
  const issuedAt = parseInt(stamp, 36);
  // Only the spelling it was issued with: parseInt alone would also take "+x", "0x", "X" or "x!".
  if (!/^[0-9a-z]{1,12}$/.test(stamp) || issuedAt.toString(36) !== stamp) return false;
  if (!Number.isSafeInteger(issuedAt) || issuedAt > now || now - issuedAt > VALID_MS) return false;
  return constantTimeEqual(token.slice(dot + 1), mac(keys, userId, r, issuedAt));
}
