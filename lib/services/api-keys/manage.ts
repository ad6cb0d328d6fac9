/** Generating, resetting, reading and removing a user's own API key, and removing every key. */
import { Forbidden, NotFound } from "../../errors";
import type { Store } from "../../storage/types";
import { audit, requireActor, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";
import { issueApiKey, revealApiKey } from "./crypto";
import { apiKeyStatus, isUsable, type ApiKeyStatus } from "../../domain/api-key-status";

/**
 * Creates a new key for the user, replacing any existing one. The plaintext leaves only here, and
 * only to the key's owner: not even an administrator is handed someone else's credential.
 */
export async function generateApiKey(ctx: ServiceContext, userId: string): Promise<string> {
  requireOwnCredentials(ctx, "manage API keys");
  assertSelf(ctx, userId);
  const { store, keys, clock } = ctx.rt;
  const issued = issueApiKey(keys, userId);
  return store.transaction(async (tx) => {
    const user = await tx.users.byId(userId);
    if (!user) throw new NotFound("User not found");
    const existing = await tx.apiKeys.byUser(userId);
    await tx.apiKeys.put({ ...issued.stored, userId, createdAt: clock.now(), lastUsedAt: null });
    await audit(tx, ctx, {
      action: existing ? "api_key.reset" : "api_key.generate",
      subjectType: "user",
      subjectId: userId,
      details: { username: user.username, hint: issued.stored.hint },
    });
    return issued.shown;
  });
}

/** The user's current usable key, or "" when there is none (an expired key counts as none). */
export async function getApiKey(ctx: ServiceContext, userId: string): Promise<string> {
  requireOwnCredentials(ctx, "manage API keys");
  assertSelf(ctx, userId);
  const { store, keys, clock } = ctx.rt;
  const [k, user, policy] = await Promise.all([store.apiKeys.byUser(userId), store.users.byId(userId), store.settings.get()]);
  if (!k || !user) return "";
  const status = apiKeyStatus(k, user, policy, clock.now());
  if (!isUsable(status)) {
    if (status.passwordExpired) await removeForPasswordExpiry(ctx, userId);
    return "";
  }
  return revealApiKey(keys, k);
}

export async function removeApiKey(ctx: ServiceContext, userId: string): Promise<boolean> {
  requireOwnCredentials(ctx, "manage API keys");
  assertSelfOrAdmin(ctx, userId);
  return ctx.rt.store.transaction(async (tx) => {
    const removed = await tx.apiKeys.delete(userId);
    if (removed) await audit(tx, ctx, { action: "api_key.remove", subjectType: "user", subjectId: userId });
    return removed;
  });
}

/** Invalidates every user's key at once, in one transaction. Returns how many were removed. */
export async function removeAllApiKeys(ctx: ServiceContext): Promise<number> {
  requireOwnCredentials(ctx, "manage API keys");
  requireAdmin(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const n = await tx.apiKeys.deleteAll();
    await audit(tx, ctx, { action: "api_key.remove_all", subjectType: "customer", details: { removed: n } });
    return n;
  });
}

/** Status for display (never the key itself). */
export async function apiKeyStatusFor(ctx: ServiceContext, userId: string): Promise<ApiKeyStatus | null> {
  assertSelfOrAdmin(ctx, userId);
  const { store, clock } = ctx.rt;
  const [k, user, policy] = await Promise.all([store.apiKeys.byUser(userId), store.users.byId(userId), store.settings.get()]);
  if (!k || !user) return null;
  return apiKeyStatus(k, user, policy, clock.now());
}

export async function removeForPasswordExpiry(ctx: ServiceContext, userId: string, tx?: Store): Promise<void> {
  const run = async (t: Store) => {
    if (await t.apiKeys.delete(userId)) {
      await audit(t, ctx, {
        action: "api_key.remove",
        actorName: "system",
        actorId: null,
        subjectType: "user",
        subjectId: userId,
        details: { reason: "password expired" },
      });
    }
  };
  if (tx) await run(tx);
  else await ctx.rt.store.transaction(run);
}

function assertSelf(ctx: ServiceContext, userId: string): void {
  if (requireActor(ctx).userId !== userId) throw new Forbidden("Only the key's owner can see or generate it.");
}

function assertSelfOrAdmin(ctx: ServiceContext, userId: string): void {
  const actor = requireActor(ctx);
  if (actor.userId !== userId) requireAdmin(ctx);
}
