/**
 * The rate limiter applied to a check: take an attempt before it, give it back when it succeeds.
 * A denial is audited once per key and window, not once per request, and answered after a short
 * delay: a flood's client sends its next attempt only when answered, so the delay, not the server's
 * CPU, sets the pace of a limited flood (a waiting request costs a timer, not work).
 */
import { RateLimited } from "../../errors";
import type { LimitName } from "../../security/limits";
import { audit, type ServiceContext } from "../context";

export const TOO_MANY_ATTEMPTS = "Too many failed attempts from this address or for this account. Try again later.";

export async function takeAttempt(ctx: ServiceContext, name: LimitName, key: string): Promise<void> {
  const d = ctx.rt.limiter.take(name, key);
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

export function refundAttempt(ctx: ServiceContext, name: LimitName, key: string): void {
  ctx.rt.limiter.refund(name, key);
}
