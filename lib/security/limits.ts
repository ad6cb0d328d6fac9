/** The named limits of this instance, built from the settings. Later surfaces add their names here. */
import type { Clock } from "../clock";
import type { Limits } from "../env";
import { LruBucketStore, RateLimiter, type LimitRule } from "./rate-limiter";

export const LIMIT_NAMES = ["password.address", "password.account", "credential.address", "certificate.address", "client.id", "client.address", "ims.client", "ims.address"] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export type InstanceLimiter = RateLimiter<LimitName>;

export function createLimiter(limits: Limits, clock: Clock): InstanceLimiter {
  const rule = (capacity: number): LimitRule => ({ capacity, windowMs: limits.windowMs });
  return new RateLimiter<LimitName>(
    {
      "password.address": rule(limits.passwordPerAddress),
      "password.account": rule(limits.passwordPerAccount),
      "credential.address": rule(limits.credentialPerAddress),
      // Login attempts refused for a missing or unknown X.509 certificate, as many as wrong passwords.
      "certificate.address": rule(limits.passwordPerAddress),
      // OAuth client authentications and JWT assertions that failed, per client ID and per address.
      "client.id": rule(limits.clientPerId),
      "client.address": rule(limits.credentialPerAddress),
      // IMS exchanges and client-credentials grants that failed, per client ID and per address.
      "ims.client": rule(limits.clientPerId),
      "ims.address": rule(limits.credentialPerAddress),
    },
    clock,
    () => new LruBucketStore(limits.maxKeys),
  );
}
