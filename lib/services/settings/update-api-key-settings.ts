/**
 * Customer Info > API Key Settings: how long keys live and whether a key goes when its owner's
 * password expires. A changed period restarts the clock for existing keys from this moment.
 */
import { z } from "zod";
import { API_KEY_EXPIRY_OPTIONS, isApiKeyExpired, isPasswordExpired } from "../../domain/expiry";
import type { ApiKeyExpiry, InstanceSettings, Store } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { parseInput } from "../../domain/validation";
import { settingChanges } from "./get";

const EXPIRY_VALUES = API_KEY_EXPIRY_OPTIONS.map((o) => o.value) as [ApiKeyExpiry, ...ApiKeyExpiry[]];

export const ApiKeySettingsInput = z.object({
  apiKeyExpiry: z.enum(EXPIRY_VALUES, "Choose when API keys expire"),
  removeKeyOnPasswordExpiry: z.boolean(),
});
export type ApiKeySettingsInput = z.input<typeof ApiKeySettingsInput>;

export interface ApiKeySettingsResult {
  settings: InstanceSettings;
  /** Keys removed now because their owner's password had already expired. */
  removedKeys: number;
}

export async function updateApiKeySettings(ctx: ServiceContext, raw: ApiKeySettingsInput): Promise<ApiKeySettingsResult> {
  requireAdmin(ctx);
  const input = parseInput(ApiKeySettingsInput, raw);
  const { store, clock } = ctx.rt;
  return store.transaction(async (tx) => {
    const before = await tx.settings.get();
    const now = clock.now();
    const patch: Partial<InstanceSettings> = { ...input };
    if (input.apiKeyExpiry !== before.apiKeyExpiry) patch.apiKeyExpiryChangedAt = now;
    const changes = settingChanges(before, patch);
    // A new period restarts the clock only for keys still alive: one that already expired stays dead.
    const expiredKeys = patch.apiKeyExpiryChangedAt !== undefined ? await removeExpiredKeys(tx, ctx, before, now) : 0;
    const removedKeys =
      expiredKeys +
      (input.removeKeyOnPasswordExpiry && before.passwordResetDays !== null
        ? await removeKeysOfExpiredPasswords(tx, ctx, before.passwordResetDays, now)
        : 0);
    if (Object.keys(changes).length === 0 && removedKeys === 0) return { settings: before, removedKeys };
    const settings = Object.keys(changes).length ? await tx.settings.update({ ...patch, updatedAt: now }) : before;
    await audit(tx, ctx, { action: "settings.api_keys", subjectType: "customer", details: { ...changes, removedKeys } });
    return { settings, removedKeys };
  });
}

type KeyRow = Awaited<ReturnType<Store["apiKeys"]["list"]>>[number];

/** Removes, with an audit row each, the keys for which `reason` names a cause (null keeps the key). */
async function removeKeys(tx: Store, ctx: ServiceContext, reason: (k: KeyRow) => Promise<string | null>): Promise<number> {
  let removed = 0;
  for (const k of await tx.apiKeys.list()) {
    const why = await reason(k);
    if (why === null || !(await tx.apiKeys.delete(k.userId))) continue;
    removed++;
    await audit(tx, ctx, { action: "api_key.remove", subjectType: "user", subjectId: k.userId, details: { hint: k.hint, reason: why } });
  }
  return removed;
}

const removeExpiredKeys = (tx: Store, ctx: ServiceContext, policy: InstanceSettings, now: number) =>
  removeKeys(tx, ctx, async (k) =>
    isApiKeyExpired(k.createdAt, policy.apiKeyExpiry, policy.apiKeyExpiryChangedAt, now) ? "expired before the expiry period changed" : null,
  );

const removeKeysOfExpiredPasswords = (tx: Store, ctx: ServiceContext, resetDays: number, now: number) =>
  removeKeys(tx, ctx, async (k) => {
    const owner = await tx.users.byId(k.userId);
    return owner && isPasswordExpired(owner.passwordChangedAt, resetDays, now) ? "password expired" : null;
  });
