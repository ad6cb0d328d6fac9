/** API key format: a recognisable prefix and 192 random bits, URL-safe. */
import { randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "kwk_";
const BODY_LENGTH = 32; // base64url of 24 bytes

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("base64url");
}

/** Cheap syntactic check before any lookup. */
export function looksLikeApiKey(value: string): boolean {
  return value.length === API_KEY_PREFIX.length + BODY_LENGTH && value.startsWith(API_KEY_PREFIX) && /^[A-Za-z0-9_-]+$/.test(value.slice(API_KEY_PREFIX.length));
}

/** What may be shown of a key after it was handed out: prefix and last four characters. */
export function apiKeyHint(key: string): string {
  return `${API_KEY_PREFIX}…${key.slice(-4)}`;
}
