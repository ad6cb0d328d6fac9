/** Turning a new API key into what is stored, and back. */
import { apiKeyHint, newApiKey } from "../../domain/api-key";
import { decrypt, encrypt, lookupHash, type ServerKeys } from "../../crypto/secrets";
import type { StoredApiKey } from "../../storage/types";

export interface IssuedApiKey {
  shown: string;
  stored: Omit<StoredApiKey, "userId" | "createdAt" | "lastUsedAt">;
}

const context = (userId: string) => `api_key:${userId}`;

export function issueApiKey(keys: ServerKeys, userId: string): IssuedApiKey {
  const shown = newApiKey();
  return {
    shown,
    stored: { lookupHash: lookupHash(keys, shown), ciphertext: encrypt(keys, shown, context(userId)), hint: apiKeyHint(shown) },
  };
}

/** The plaintext of a stored key; the ciphertext is bound to its user, so a copied row does not decrypt. */
export function revealApiKey(keys: ServerKeys, k: StoredApiKey): string {
  return decrypt(keys, k.ciphertext, context(k.userId));
}
