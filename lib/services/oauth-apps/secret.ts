/**
 * Client secrets: 256 random bits, shown once; the store keeps only an HMAC-SHA-256 under the
 * server secret (a fast keyed hash: the value is random, so a slow password hash would add nothing
 * but cost on every token request) and its last characters, to tell secrets apart.
 */
import { lookupHash, randomId, randomToken, type ServerKeys } from "../../crypto/secrets";
import type { StoredClientSecret } from "../../storage/types";

export const CLIENT_SECRET_BYTES = 32;

export interface IssuedSecret {
  /** The plaintext: returned to the administrator once, never stored. */
  secret: string;
  stored: StoredClientSecret;
}

export function issueClientSecret(keys: ServerKeys, clientId: string, by: string | null, at: number, notes = ""): IssuedSecret {
  const secret = randomToken(CLIENT_SECRET_BYTES);
  return {
    secret,
    stored: {
      id: randomId(),
      clientId,
      lookupHash: lookupHash(keys, secret),
      hint: secret.slice(-4),
      notes,
      createdBy: by,
      createdAt: at,
      lastUsedAt: null,
    },
  };
}

/** Client IDs are 32 hex characters, like the vendor's. */
export const newClientId = (): string => randomId();
