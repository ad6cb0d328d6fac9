/**
 * The API-key check on every API call: one indexed lookup by keyed hash, a constant-time comparison,
 * the expiry rules, and a last-used time written at most once a minute per key.
 */
import { looksLikeApiKey } from "../../domain/api-key";
import { constantTimeEqual, lookupHash } from "../../crypto/secrets";
import type { Runtime } from "../../runtime";
import type { UserWithSecret } from "../../storage/types";
import { removeForPasswordExpiry } from "./manage";
import { apiKeyStatus } from "../../domain/api-key-status";

const TOUCH_INTERVAL_MS = 60_000;

export async function verifyApiKey(rt: Runtime, value: string): Promise<UserWithSecret | null> {
  if (!looksLikeApiKey(value)) return null;
  const hash = lookupHash(rt.keys, value);
  const k = await rt.store.apiKeys.byLookupHash(hash);
  if (!k || !constantTimeEqual(k.lookupHash, hash)) return null;
  const user = await rt.store.users.byId(k.userId);
  if (!user || !user.isActive) return null;
  const policy = await rt.store.settings.get();
  const now = rt.clock.now();
  const status = apiKeyStatus(k, user, policy, now);
  if (status.passwordExpired) {
    await removeForPasswordExpiry({ rt, actor: null, meta: {} }, user.id);
    return null;
  }
  if (status.expired) return null;
  if (k.lastUsedAt === null || now - k.lastUsedAt > TOUCH_INTERVAL_MS) await rt.store.apiKeys.touch(k.userId, now);
  return user;
}
