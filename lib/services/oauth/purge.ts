/**
 * Expired tokens and `jti` records are deleted in the background, at most once per interval per
 * runtime, after a request that wrote some; nothing waits for it. Lookups already refuse expired
 * tokens, so the purge only keeps the tables small.
 */
import type { Runtime } from "../../runtime";

const PURGE_INTERVAL_MS = 10 * 60_000;
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
  void Promise.all([rt.store.oauthTokens.deleteExpired(now), rt.store.assertionIds.deleteExpired(now)]).catch((e: unknown) => {
    console.error("keyward: could not delete expired OAuth tokens:", e instanceof Error ? e.message : e);
  });
}
