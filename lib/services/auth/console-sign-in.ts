/**
 * Console sign-in: the shared password check, then the password-age rule. A user whose password
 * expired must choose a new one in the same step.
 */
import { hashPassword, passwordProblem } from "../../crypto/password";
import { isPasswordExpired } from "../../domain/expiry";
import { AppError, InvalidRequest } from "../../errors";
import type { UserWithSecret } from "../../storage/types";
import { actorOf } from "../../domain/actor";
import { audit, type ServiceContext } from "../context";
import { removeForPasswordExpiry } from "../api-keys/manage";
import { checkPassword } from "./password-login";

export const PASSWORD_EXPIRED = "PASSWORD_EXPIRED";

export class PasswordExpired extends AppError {
  constructor() {
    super("unauthorized", 401, PASSWORD_EXPIRED);
  }
}

export async function consoleSignIn(
  ctx: ServiceContext,
  input: { username?: string; password?: string; newPassword?: string },
): Promise<UserWithSecret> {
  const user = await checkPassword(ctx, input.username, input.password, "console");
  const { store, clock, settings } = ctx.rt;
  const policy = await store.settings.get();
  const now = clock.now();
  const asUser = { ...ctx, actor: actorOf(user, "password") };
  if (!isPasswordExpired(user.passwordChangedAt, policy.passwordResetDays, now)) {
    await store.transaction(async (tx) => {
      await tx.users.update(user.id, { lastLoginAt: now, updatedAt: now });
      await audit(tx, asUser, { action: "auth.console_sign_in", subjectType: "user", subjectId: user.id });
    });
    return user;
  }
  if (!input.newPassword) {
    if (policy.removeKeyOnPasswordExpiry) await removeForPasswordExpiry(ctx, user.id);
    throw new PasswordExpired();
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new InvalidRequest(problem);
  if (input.newPassword === input.password) throw new InvalidRequest("The new password must differ from the old one.");
  const hash = await hashPassword(input.newPassword, settings.scryptLogN);
  await store.transaction(async (tx) => {
    if (policy.removeKeyOnPasswordExpiry) await removeForPasswordExpiry(ctx, user.id, tx);
    await tx.users.update(user.id, { passwordHash: hash, passwordChangedAt: now, lastLoginAt: now, updatedAt: now });
    await tx.sessions.deleteForUser(user.id);
    await audit(tx, asUser, {
      action: "user.password_change",
      subjectType: "user",
      subjectId: user.id,
      details: { reason: "expired at sign-in" },
    });
  });
  return { ...user, passwordHash: hash, passwordChangedAt: now };
}
