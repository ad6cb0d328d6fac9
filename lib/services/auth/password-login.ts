/**
 * Username + password checks for every channel (console sign-in, REST /login, key actions), with
 * lockout, deactivation and the SSO-only rule applied in one place.
 */
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from "../../crypto/password";
import { RateLimited, Unauthorized } from "../../errors";
import { addressKey } from "../../security/rate-limiter";
import type { UserWithSecret } from "../../storage/types";
import { isPasswordExpired } from "../../domain/expiry";
import { removeForPasswordExpiry } from "../api-keys/manage";
import { audit, type ServiceContext } from "../context";
import { requirePresentedCertificate } from "../x509/require-certificate";
import { flushLockedAttempts, writeLockedAttempts } from "./locked-attempts";
import { allowAttempt, chargeFailure } from "./throttle";

export type LoginChannel = "console" | "api";

export const WRONG_CREDENTIALS = "Invalid username or password.";
export const PASSWORD_EXPIRED_API = "Your password has expired. Sign in to the console to choose a new one.";
export const SSO_REQUIRED = "This instance only allows SAML 2.0 single sign-on. Password sign-in and password-based API access are disabled for your account.";

export function lockedMessage(until: number): string {
  return `This account is locked after too many failed sign-in attempts. Try again after ${new Date(until).toISOString()} or ask a System Administrator to unlock it.`;
}

/**
 * The one username + password check. It first asks the per-address and per-account limits (refused
 * with 429 before any hashing when they are used up), and charges both only when the guess was
 * wrong, so right passwords never count and parallel sign-ins from one office are never refused.
 * On the API channel, X.509 certificate login (when on) is enforced first, before any hashing.
 */
export async function checkPassword(
  ctx: ServiceContext,
  username: string | undefined,
  password: string | undefined,
  channel: LoginChannel,
  options: { apiCertificate?: string } = {},
): Promise<UserWithSecret> {
  if (!username || !password) throw new Unauthorized("Username and password are required.");
  if (channel === "api") await requirePresentedCertificate(ctx, options.apiCertificate);
  await flushLockedAttempts(ctx);
  const address = addressKey(ctx.meta.ip);
  const account = username.toLowerCase().slice(0, 100);
  await allowAttempt(ctx, "password.address", address);
  await allowAttempt(ctx, "password.account", account);
  const verdict = { passwordOk: false, checked: false };
  try {
    return await verifiedUser(ctx, username, password, channel, verdict);
  } finally {
    // A right password, or a check that never ran (server busy), is not a guess.
    if (verdict.checked && !verdict.passwordOk) {
      chargeFailure(ctx, "password.address", address);
      chargeFailure(ctx, "password.account", account);
    }
  }
}

async function verifiedUser(
  ctx: ServiceContext,
  username: string,
  password: string,
  channel: LoginChannel,
  verdict: { passwordOk: boolean; checked: boolean },
): Promise<UserWithSecret> {
  const { store, clock, settings: env } = ctx.rt;
  if (password.length > PASSWORD_MAX_LENGTH || username.length > 256) {
    // Longer than any password (or username) can be: wrong, and not worth hashing. Still a guess.
    verdict.checked = true;
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  const found = await store.users.byUsername(username);
  // A technical account has no password and never signs in: it is answered as an unknown user.
  const user = found?.kind === "person" ? found : null;
  if (!user) {
    await verifyPassword(password, await decoyHash(env.scryptLogN));
    verdict.checked = true;
    await store.transaction((tx) =>
      audit(tx, ctx, { action: "auth.login_failed", actorName: username.slice(0, 100), actorId: null, details: { channel, reason: "unknown user" } }),
    );
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  const now = clock.now();
  const policy = await store.settings.get();
  if (policy.lockoutEnabled && user.lockedUntil !== null && user.lockedUntil > now) {
    verdict.checked = true;
    await noteLocked(ctx, user, user.lockedUntil, channel);
    throw lockedError(user.lockedUntil, now);
  }
  const ok = await verifyPassword(password, user.passwordHash);
  verdict.checked = true;
  verdict.passwordOk = ok;
  const outcome = await recordAttempt(ctx, user, ok, channel);
  if (outcome.lockedUntil !== undefined) {
    verdict.passwordOk = false;
    throw lockedError(outcome.lockedUntil, clock.now());
  }
  if (!ok) throw new Unauthorized(WRONG_CREDENTIALS);
  if (!user.isActive) throw new Unauthorized("This account is deactivated.");
  if (policy.ssoOnly && user.accessLevel !== "admin") {
    await store.transaction((tx) =>
      audit(tx, ctx, { action: "auth.login_refused_sso", actorName: user.username, actorId: user.id, subjectType: "user", subjectId: user.id }),
    );
    throw new Unauthorized(SSO_REQUIRED);
  }
  if (channel === "api" && isPasswordExpired(user.passwordChangedAt, policy.passwordResetDays, now)) {
    if (policy.removeKeyOnPasswordExpiry) await removeForPasswordExpiry(ctx, user.id);
    throw new Unauthorized(PASSWORD_EXPIRED_API);
  }
  return user;
}

function lockedError(until: number, now: number): RateLimited {
  return new RateLimited(lockedMessage(until), (until - now) / 1000);
}

/** A refused attempt on a locked account: counted, and audited once per lock period. */
async function noteLocked(ctx: ServiceContext, user: UserWithSecret, lockedUntil: number, channel: LoginChannel): Promise<void> {
  await writeLockedAttempts(ctx, ctx.rt.lockedAttempts.note(user, lockedUntil, channel, ctx.rt.clock.now()));
}

/**
 * Counts a verified attempt against the row as it is now. Attempts for one account verify their
 * passwords in parallel, so the decision is taken inside a transaction on a fresh read: a burst of
 * guesses counts one by one, a lock set meanwhile holds even for the right password, and nothing
 * but a success or the lock's end clears it.
 */
async function recordAttempt(
  ctx: ServiceContext,
  user: UserWithSecret,
  ok: boolean,
  channel: LoginChannel,
): Promise<{ lockedUntil?: number }> {
  const { store, clock } = ctx.rt;
  const outcome = await store.transaction(async (tx): Promise<{ lockedUntil?: number; refused?: boolean }> => {
    const fresh = (await tx.users.byId(user.id)) ?? user;
    const policy = await tx.settings.get();
    const now = clock.now();
    const who = { actorName: user.username, actorId: user.id, subjectType: "user", subjectId: user.id };
    if (policy.lockoutEnabled && fresh.lockedUntil !== null && fresh.lockedUntil > now) {
      return { lockedUntil: fresh.lockedUntil, refused: true };
    }
    if (ok) {
      if (fresh.failedLogins !== 0 || fresh.lockedUntil !== null) {
        await tx.users.update(user.id, { failedLogins: 0, lockedUntil: null, updatedAt: now });
      }
      return {};
    }
    const failures = fresh.failedLogins + 1;
    const lock = policy.lockoutEnabled && failures >= policy.lockoutThreshold;
    const lockedUntil = lock ? now + policy.lockoutMinutes * 60_000 : null;
    await tx.users.update(user.id, { failedLogins: lock ? 0 : failures, lockedUntil, updatedAt: now });
    await audit(tx, ctx, { action: "auth.login_failed", ...who, details: { channel, failures } });
    if (!lock) return {};
    await audit(tx, ctx, { action: "user.lock", ...who, details: { until: lockedUntil } });
    return { lockedUntil: lockedUntil! };
  });
  // A lock set meanwhile by a parallel attempt: this one is refused like any other while locked.
  if (outcome.refused && outcome.lockedUntil !== undefined) await noteLocked(ctx, user, outcome.lockedUntil, channel);
  return outcome;
}
