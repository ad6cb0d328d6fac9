/**
 * The rate limiter applied to a check: `takeAttempt` spends one (failed API credentials), and
 * `allowAttempt` + `chargeFailure` ask before a password check and charge only a wrong one.
 * A denial is audited once per key and window, not once per request, and answered after a short
 * delay: a flood's client sends its next attempt only when answered, so the delay, not the server's
 * CPU, sets the pace of a limited flood (a waiting request costs a timer, not work).
 */
import { RateLimited } from "../../errors";
import type { LimitName } from "../../security/limits";
import type { Decision } from "../../security/rate-limiter";
import { audit, type ServiceContext } from "../context";

export const TOO_MANY_ATTEMPTS = "Too many failed attempts from this address or for this account. Try again later.";

export function takeAttempt(ctx: ServiceContext, name: LimitName, key: string): Promise<void> {
  return refuseUnless(ctx, ctx.rt.limiter.take(name, key), name, key);
}

export function allowAttempt(ctx: ServiceContext, name: LimitName, key: string): Promise<void> {
  return refuseUnless(ctx, ctx.rt.limiter.check(name, key), name, key);
}

export function chargeFailure(ctx: ServiceContext, name: LimitName, key: string): void {
  ctx.rt.limiter.charge(name, key);
}

async function refuseUnless(ctx: ServiceContext, d: Decision, name: LimitName, key: string): Promise<void> {
  if (d.allowed) return;
  if (d.report) {
    await ctx.rt.store.transaction((tx) =>
      audit(tx, ctx, {
        action: "security.rate_limited",
        actorId: ctx.actor?.userId ?? null,
        actorName: ctx.actor?.username ?? "anonymous",
        details: { limit: name, key: key.slice(0, 100) },
      }),
    );
  }
  const delay = ctx.rt.settings.limits.refusalDelayMs;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(delay, d.retryAfterMs)));
  throw new RateLimited(TOO_MANY_ATTEMPTS, d.retryAfterMs / 1000);
}

