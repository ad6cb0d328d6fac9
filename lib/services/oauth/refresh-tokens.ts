/**
 * Refresh tokens: random, stored hashed, one family per authorization (code redemption). A family
 * keeps its absolute deadline across rotations; inactivity is measured from the token's last use.
 */
import { lookupHash, randomToken } from "../../crypto/secrets";
import { REFRESH_ABSOLUTE_EXPIRIES, REFRESH_INACTIVITY_EXPIRIES } from "../../domain/oauth-app";
import type { Runtime } from "../../runtime";
import type { StoredOAuthApp, StoredOAuthToken } from "../../storage/types";
import type { MintedToken } from "./access-tokens";

export const REFRESH_TOKEN_BYTES = 32;
/** Distinct from access tokens (43) and session IDs (32): a refresh token is never accepted as either. */
export const REFRESH_PREFIX = "kwr_";

/** The absolute deadline of a family started at `at`, or null when the app's tokens never expire. */
export function familyDeadline(app: StoredOAuthApp, at: number): number | null {
  const ms = REFRESH_ABSOLUTE_EXPIRIES[app.refreshAbsoluteExpiry].ms;
  return ms === null ? null : at + ms;
}

export function inactivityLimitMs(app: StoredOAuthApp): number {
  return REFRESH_INACTIVITY_EXPIRIES[app.refreshInactivityExpiry].ms;
}

export function mintRefreshToken(rt: Runtime, t: { clientId: string; userId: string; familyId: string; scope: string; expiresAt: number | null }): MintedToken {
  const token = REFRESH_PREFIX + randomToken(REFRESH_TOKEN_BYTES);
  return {
    token,
    stored: {
      lookupHash: lookupHash(rt.keys, token),
      kind: "refresh",
      clientId: t.clientId,
      userId: t.userId,
      grant: "refresh_token",
      secretId: null,
      publicKeyId: null,
      familyId: t.familyId,
      scope: t.scope,
      createdAt: rt.clock.now(),
      expiresAt: t.expiresAt,
      lastUsedAt: null,
      rotatedAt: null,
    },
  };
}

export type RefreshState = "live" | "expired" | "inactive";

export function refreshState(app: StoredOAuthApp, t: StoredOAuthToken, now: number): RefreshState {
  if (t.expiresAt !== null && t.expiresAt <= now) return "expired";
  if (now - (t.lastUsedAt ?? t.createdAt) > inactivityLimitMs(app)) return "inactive";
  return "live";
}

/** Whether a rotated token may still be used: only within the app's reuse interval, and never when it is 0. */
export function withinReuseInterval(app: StoredOAuthApp, rotatedAt: number, now: number): boolean {
  return app.refreshReuseSeconds > 0 && now - rotatedAt <= app.refreshReuseSeconds * 1000;
}
