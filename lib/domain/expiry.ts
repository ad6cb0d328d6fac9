/** Expiry rules for API keys and passwords. Pure functions of stored times and policy. */
import type { ApiKeyExpiry } from "../storage/types";

export const API_KEY_EXPIRY_OPTIONS: { value: ApiKeyExpiry; label: string; months: number | null }[] = [
  { value: "1m", label: "1 month", months: 1 },
  { value: "2m", label: "2 months", months: 2 },
  { value: "3m", label: "3 months", months: 3 },
  { value: "6m", label: "6 months", months: 6 },
  { value: "1y", label: "1 year", months: 12 },
  { value: "never", label: "Never", months: null },
];

export function isApiKeyExpiry(v: string): v is ApiKeyExpiry {
  return API_KEY_EXPIRY_OPTIONS.some((o) => o.value === v);
}

const addMonthsMemo = new Map<string, number>();

/** Calendar months in UTC; the 31st plus one month lands on the last day of the next month. */
export function addMonths(t: number, months: number): number {
  // Every API-key check asks this for the same few (creation time, period) pairs: remember them.
  const key = `${t}:${months}`;
  const hit = addMonthsMemo.get(key);
  if (hit !== undefined) return hit;
  if (addMonthsMemo.size > 10_000) addMonthsMemo.clear();
  const result = computeAddMonths(t, months);
  addMonthsMemo.set(key, result);
  return result;
}

function computeAddMonths(t: number, months: number): number {
  const d = new Date(t);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/**
 * When a key stops working: the period counts from the later of the key's creation and the last
 * change of the setting (a change restarts the clock). null = never.
 */
export function apiKeyExpiresAt(keyCreatedAt: number, period: ApiKeyExpiry, settingChangedAt: number): number | null {
  const months = API_KEY_EXPIRY_OPTIONS.find((o) => o.value === period)?.months ?? null;
  if (months === null) return null;
  return addMonths(Math.max(keyCreatedAt, settingChangedAt), months);
}

export function isApiKeyExpired(keyCreatedAt: number, period: ApiKeyExpiry, settingChangedAt: number, now: number): boolean {
  const at = apiKeyExpiresAt(keyCreatedAt, period, settingChangedAt);
  return at !== null && now >= at;
}

export const PASSWORD_RESET_DAYS = [30, 60, 90, 120, 180] as const;
const DAY = 86_400_000;

/** When a password must be changed, or null when the policy is off. */
export function passwordExpiresAt(passwordChangedAt: number, resetDays: number | null): number | null {
  return resetDays ? passwordChangedAt + resetDays * DAY : null;
}

export function isPasswordExpired(passwordChangedAt: number, resetDays: number | null, now: number): boolean {
  const at = passwordExpiresAt(passwordChangedAt, resetDays);
  return at !== null && now >= at;
}
