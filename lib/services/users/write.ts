/** Creating and changing users. Admin only, audited, and never leaving the instance without an active admin. */
import { Conflict, InvalidRequest, NotFound } from "../../errors";
import { generatePassword, hashPassword, passwordProblem } from "../../crypto/password";
import { randomId } from "../../crypto/secrets";
import type { Store, User, UserPatch } from "../../storage/types";
import { audit, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";
import { parseInput } from "../../domain/validation";
import { CreateUserInput, fromApiFields, UpdateUserInput } from "./input";

export async function createUser(
  ctx: ServiceContext,
  raw: Record<string, unknown>,
  opts: { apiFieldNames?: boolean } = { apiFieldNames: true },
): Promise<User & { generatedPassword?: string }> {
  requireAdmin(ctx);
  requireOwnCredentials(ctx, "create or change user accounts");
  const input = parseInput(CreateUserInput, opts.apiFieldNames ? fromApiFields(raw, { creating: true }) : raw);
  const { store, clock, settings } = ctx.rt;
  if (await store.users.byUsername(input.username)) throw new Conflict(`The username ${input.username} is already taken`);
  const generatedPassword = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? generatedPassword!, settings.scryptLogN);
  const now = clock.now();
  const id = randomId();
  await store.transaction(async (tx) => {
    if (await tx.users.byUsername(input.username)) throw new Conflict(`The username ${input.username} is already taken`);
    await tx.users.create({
      id,
      username: input.username,
      name: input.name,
      email: input.email,
      passwordHash,
      accessLevel: input.accessLevel,
      isDeveloper: input.isDeveloper,
      isActive: input.isActive,
      passwordChangedAt: now,
      createdAt: now,
    });
    await audit(tx, ctx, {
      action: "user.create",
      subjectType: "user",
      subjectId: id,
      details: { username: input.username, accessLevel: input.accessLevel },
    });
  });
  const user = (await store.users.byId(id))!;
  const { passwordHash: _h, ...shown } = user;
  return { ...shown, generatedPassword };
}

export async function updateUser(
  ctx: ServiceContext,
  id: string,
  raw: Record<string, unknown>,
  opts: { apiFieldNames?: boolean } = { apiFieldNames: true },
): Promise<void> {
  requireAdmin(ctx);
  requireOwnCredentials(ctx, "create or change user accounts");
  const input = parseInput(UpdateUserInput, opts.apiFieldNames ? fromApiFields(raw, { creating: false }) : raw);
  const { store, clock } = ctx.rt;
  await store.transaction(async (tx) => {
    const user = await tx.users.byId(id);
    // Technical accounts change only with their service credential.
    if (!user || user.kind !== "person") throw new NotFound(`User with ID ${id.slice(0, 100)} was not found`);
    if (input.username && input.username.toLowerCase() !== user.username.toLowerCase()) {
      if (await tx.users.byUsername(input.username)) throw new Conflict(`The username ${input.username} is already taken`);
    }
    const patch: UserPatch = {};
    const changed: string[] = [];
    for (const k of ["username", "name", "email", "accessLevel", "isDeveloper", "isActive"] as const) {
      if (input[k] !== undefined && input[k] !== user[k]) {
        (patch as Record<string, unknown>)[k] = input[k];
        changed.push(k);
      }
    }
    if (changed.length === 0) return;
    await assertAdminRemains(tx, user, patch);
    await tx.users.update(id, { ...patch, updatedAt: clock.now() });
    // A deactivated user's sessions and OAuth tokens end with the change (the guard also refuses
    // any credential of an inactive user, so nothing slips through between the two).
    const ended: Record<string, number> =
      patch.isActive === false
        ? {
            endedSessions: await tx.sessions.deleteForUser(id),
            revokedTokens: (await tx.oauthTokens.deleteForUser(id)) + (await tx.imsTokens.deleteForUser(id, "local_development")),
          }
        : {};
    // Local development tokens are the Developer Console's: losing access to it (no longer an
    // administrator nor a developer) ends them, as a deactivation does.
    const developer = (u: { accessLevel: string; isDeveloper: boolean }) => u.accessLevel === "admin" || u.isDeveloper;
    if (patch.isActive !== false && developer(user) && !developer({ ...user, ...patch })) {
      Object.assign(ended, { revokedTokens: await tx.imsTokens.deleteForUser(id, "local_development") });
    }
    const action = patch.isActive === false ? "user.deactivate" : patch.isActive === true ? "user.reactivate" : "user.update";
    await audit(tx, ctx, { action, subjectType: "user", subjectId: id, details: { username: user.username, changed, ...ended } });
  });
}

/** Refuses a change that would leave no active administrator. */
async function assertAdminRemains(tx: Store, user: User, patch: UserPatch): Promise<void> {
  const losesAdmin =
    user.accessLevel === "admin" && user.isActive && (patch.accessLevel === "user" || patch.isActive === false);
  if (losesAdmin && (await tx.users.countAdmins({ activeOnly: true })) <= 1) {
    throw new Conflict("This is the last active System Administrator; make another user an administrator first");
  }
}

export async function resetPassword(
  ctx: ServiceContext,
  id: string,
  newPassword?: string,
): Promise<{ generatedPassword?: string }> {
  requireAdmin(ctx);
  requireOwnCredentials(ctx, "create or change user accounts");
  const { store, clock, settings } = ctx.rt;
  const problem = newPassword === undefined ? null : passwordProblem(newPassword);
  if (problem) throw new InvalidRequest(problem);
  const generatedPassword = newPassword ? undefined : generatePassword();
  const hash = await hashPassword(newPassword ?? generatedPassword!, settings.scryptLogN);
  await store.transaction(async (tx) => {
    const user = await tx.users.byId(id);
    if (!user || user.kind !== "person") throw new NotFound("User not found");
    const now = clock.now();
    await tx.users.update(id, { passwordHash: hash, passwordChangedAt: now, failedLogins: 0, lockedUntil: null, updatedAt: now });
    const endedSessions = await tx.sessions.deleteForUser(id);
    // As with a password change: sign-in (authorization code) tokens end, JWT-flow tokens (from keys) stay.
    // Local development tokens were issued to a console sign-in: they end too.
    const revokedTokens = (await tx.oauthTokens.deleteSignInTokens(id)) + (await tx.imsTokens.deleteForUser(id, "local_development"));
    await audit(tx, ctx, { action: "user.password_reset", subjectType: "user", subjectId: id, details: { username: user.username, endedSessions, revokedTokens } });
  });
  return { generatedPassword };
}
