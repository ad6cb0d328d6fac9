/**
 * OAuth access tokens: 256 random bits handed out once, stored as keyed hashes, valid one hour. A
 * token is looked up by its hash; it dies with its app, secret, key (cascading deletes) or user
 * (inactive users are refused by the guard), and is refused once expired.
 */
import { lookupHash, randomToken } from "../../crypto/secrets";
import type { Runtime } from "../../runtime";
import type { OAuthGrant, Store, StoredOAuthToken } from "../../storage/types";

export const ACCESS_TOKEN_TTL_MS = 3_600_000;
export const ACCESS_TOKEN_BYTES = 32;
/** The length of an access token's text: distinct from session IDs (32), so one header serves both. */
export const ACCESS_TOKEN_LENGTH = Math.ceil((ACCESS_TOKEN_BYTES * 4) / 3);

/** Last-used times are written at most this often per token. */
const TOUCH_INTERVAL_MS = 60_000;

export const looksLikeAccessToken = (value: string): boolean => value.length === ACCESS_TOKEN_LENGTH;

export interface MintedToken {
  token: string;
  stored: StoredOAuthToken;
}

export function mintAccessToken(
  rt: Runtime,
  t: { clientId: string; userId: string; grant: OAuthGrant; secretId?: string | null; publicKeyId?: string | null; familyId?: string | null; scope?: string },
): MintedToken {
  const token = randomToken(ACCESS_TOKEN_BYTES);
  const now = rt.clock.now();
  return {
    token,
    stored: {
      lookupHash: lookupHash(rt.keys, token),
      kind: "access",
      clientId: t.clientId,
      userId: t.userId,
      grant: t.grant,
      secretId: t.secretId ?? null,
      publicKeyId: t.publicKeyId ?? null,
      familyId: t.familyId ?? null,
      scope: t.scope ?? "",
      createdAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_MS,
      lastUsedAt: null,
      rotatedAt: null,
    },
  };
}

/** Stores a minted token; call inside the transaction that records its audit event. */
export async function storeToken(tx: Store, minted: MintedToken): Promise<void> {
  await tx.oauthTokens.create(minted.stored);
}

/** The live access token with this text, or null (unknown, expired, or not an access token). */
export async function resolveAccessToken(rt: Runtime, token: string): Promise<StoredOAuthToken | null> {
  if (!looksLikeAccessToken(token)) return null;
  const hash = lookupHash(rt.keys, token);
  const t = await rt.store.oauthTokens.byHash(hash);
  if (!t || t.kind !== "access") return null;
  const now = rt.clock.now();
  if (t.expiresAt !== null && t.expiresAt <= now) return null;
  if (now - (t.lastUsedAt ?? t.createdAt) > TOUCH_INTERVAL_MS) await rt.store.oauthTokens.touch(hash, now);
  return t;
}
