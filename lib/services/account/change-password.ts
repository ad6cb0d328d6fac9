/**
 * My account > Change password, for any signed-in user. The current password is checked like a
 * console sign-in (lockout applies); the user's REST sessions end with the old password.
 */
import { z } from "zod";
import { hashPassword, passwordProblem } from "../../crypto/password";
import { InvalidRequest, Unauthorized } from "../../errors";
import { audit, requireActor, type ServiceContext } from "../context";
import { checkPassword, WRONG_CREDENTIALS } from "../auth/password-login";
import { parseInput } from "../../domain/validation";

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password"),
  newPassword: z.string(),
});
export type ChangePasswordInput = z.input<typeof ChangePasswordInput>;

export const WRONG_CURRENT_PASSWORD = "The current password is not correct.";

export async function changeOwnPassword(ctx: ServiceContext, raw: ChangePasswordInput): Promise<{ endedSessions: number }> {
  const actor = requireActor(ctx);
  const input = parseInput(ChangePasswordInput, raw);
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new InvalidRequest(problem);
  if (input.newPassword === input.currentPassword) throw new InvalidRequest("The new password must differ from the current one.");
  const { store, clock, settings } = ctx.rt;
  try {
    await checkPassword(ctx, actor.username, input.currentPassword, "console");
  } catch (e) {
    if (e instanceof Unauthorized && e.message === WRONG_CREDENTIALS) throw new InvalidRequest(WRONG_CURRENT_PASSWORD);
    throw e;
  }
  const hash = await hashPassword(input.newPassword, settings.scryptLogN);
  return store.transaction(async (tx) => {
    const now = clock.now();
    await tx.users.update(actor.userId, { passwordHash: hash, passwordChangedAt: now, updatedAt: now });
    const endedSessions = await tx.sessions.deleteForUser(actor.userId);
    // Applications the user signed in to with the old password sign in again; JWT-flow tokens come from keys and stay.
    // Local development tokens were issued to a console sign-in: they end too.
    const revokedTokens = (await tx.oauthTokens.deleteSignInTokens(actor.userId)) + (await tx.imsTokens.deleteForUser(actor.userId, "local_development"));
    await audit(tx, ctx, {
      action: "user.password_change",
      subjectType: "user",
      subjectId: actor.userId,
      details: { username: actor.username, endedSessions, revokedTokens },
    });
    return { endedSessions };
  });
}
