/**
 * Expired tokens (OAuth and IMS), `jti` records, authorization codes and retired signing keys past
 * their tokens' lifetime are deleted in the background, at most once
 * per interval per runtime, after a request that wrote some; nothing waits for it. Lookups already
 * refuse expired ones, so the purge only keeps the tables small. Codes are kept a day past their
 * expiry, so a code replayed that late is still recognised and still revokes what it issued.
 */
import { IMS_TOKEN_TTL_MS } from "../../domain/service-credential";
import type { Runtime } from "../../runtime";

const PURGE_INTERVAL_MS = 10 * 60_000;
const CODE_KEPT_MS = 24 * 3_600_000;
const lastPurge = new WeakMap<Runtime, number>();

export function purgeExpiredSometimes(rt: Runtime): void {
  const now = rt.clock.now();
  const last = lastPurge.get(rt);
  if (last === undefined) {
    lastPurge.set(rt, now);
    return;
  }
  if (now - last < PURGE_INTERVAL_MS) return;
  lastPurge.set(rt, now);
  void Promise.all([
    rt.store.oauthTokens.deleteExpired(now),
    rt.store.assertionIds.deleteExpired(now),
    rt.store.oauthCodes.deleteExpired(now - CODE_KEPT_MS),
    rt.store.imsTokens.deleteExpired(now),
    rt.store.imsAssertionIds.deleteExpired(now),
    // A retired signing key signed tokens up to its retirement; they have all expired a day later.
    rt.store.signingKeys.deleteRetiredBefore(now - IMS_TOKEN_TTL_MS),
  ]).catch((e: unknown) => {
    console.error("keyward: could not delete expired tokens and codes:", e instanceof Error ? e.message : e);
  });
}
