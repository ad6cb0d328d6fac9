import { apiKeyExpiresAt, isPasswordExpired } from "./expiry";
import type { InstanceSettings, StoredApiKey, User } from "../storage/types";

export interface ApiKeyStatus {
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  expired: boolean;
  /** The owner's password expired and the policy removes keys then. */
  passwordExpired: boolean;
}

export function apiKeyStatus(k: StoredApiKey, user: Pick<User, "passwordChangedAt">, policy: InstanceSettings, now: number): ApiKeyStatus {
  const expiresAt = apiKeyExpiresAt(k.createdAt, policy.apiKeyExpiry, policy.apiKeyExpiryChangedAt);
  return {
    hint: k.hint,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    expiresAt,
    expired: expiresAt !== null && now >= expiresAt,
    passwordExpired: policy.removeKeyOnPasswordExpiry && isPasswordExpired(user.passwordChangedAt, policy.passwordResetDays, now),
  };
}

export function isUsable(s: ApiKeyStatus): boolean {
  return !s.expired && !s.passwordExpired;
}
