/**
 * OAuth tokens, `byHash` cached under `oauthtoken:<lookup hash>` (each write evicts the tokens it
 * changed or removed), and the `jti` values of accepted JWT assertions.
 */
import type { Store, StoredOAuthToken } from "../types";
import type { Scope, Touched } from "./context";
import { cacheKeys } from "./read-cache";

const TOKEN_COLUMNS =
  "lookup_hash AS lookupHash, kind, client_id AS clientId, user_id AS userId, grant_type AS \"grant\", secret_id AS secretId, public_key_id AS publicKeyId, family_id AS familyId, scope, created_at AS createdAt, expires_at AS expiresAt, last_used_at AS lastUsedAt, rotated_at AS rotatedAt";

export function oauthTokensAggregate({ prepared, op, write, cached }: Scope): Store["oauthTokens"] {
  const byHash = prepared(`SELECT ${TOKEN_COLUMNS} FROM oauth_tokens WHERE lookup_hash = ?`);
  // Written on every exchange: prepared once rather than built per call.
  const insert = prepared(
    "INSERT INTO oauth_tokens (lookup_hash, kind, client_id, user_id, grant_type, secret_id, public_key_id, family_id, scope, created_at, expires_at, last_used_at, rotated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  /** Runs a DELETE ... RETURNING lookup_hash and evicts each removed token. */
  const deleteReturning = (text: string, touched: Touched, ...params: unknown[]) => {
    const hashes = prepared(text).pluck().all(...params) as string[];
    for (const h of hashes) touched.entry(cacheKeys.oauthToken(h));
    return hashes.length;
  };
  return {
    create: write((touched, t) => {
      touched.entry(cacheKeys.oauthToken(t.lookupHash));
      insert.run(t.lookupHash, t.kind, t.clientId, t.userId, t.grant, t.secretId, t.publicKeyId, t.familyId, t.scope, t.createdAt, t.expiresAt, t.lastUsedAt, t.rotatedAt);
    }),
    byHash: op((h) => cached(cacheKeys.oauthToken(h), () => (byHash.get(h) as StoredOAuthToken | undefined) ?? null)),
    touch: write((touched, h, at) => {
      touched.entry(cacheKeys.oauthToken(h));
      prepared("UPDATE oauth_tokens SET last_used_at = ? WHERE lookup_hash = ?").run(at, h);
    }),
    delete: write((touched, h) => deleteReturning("DELETE FROM oauth_tokens WHERE lookup_hash = ? RETURNING lookup_hash", touched, h) > 0),
    deleteForUser: write((touched, userId, clientId) =>
      clientId === undefined
        ? deleteReturning("DELETE FROM oauth_tokens WHERE user_id = ? RETURNING lookup_hash", touched, userId)
        : deleteReturning("DELETE FROM oauth_tokens WHERE user_id = ? AND client_id = ? RETURNING lookup_hash", touched, userId, clientId),
    ),
    deleteExpired: write((touched, now) =>
      deleteReturning("DELETE FROM oauth_tokens WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING lookup_hash", touched, now),
    ),
  };
}

export function assertionIdsAggregate({ prepared, write }: Scope): Store["assertionIds"] {
  return {
    // A stored jti whose assertion has expired no longer guards anything: it may be claimed again.
    claim: write(
      (_touched, clientId, jti, expiresAt, now) =>
        prepared(
          "INSERT INTO oauth_assertion_ids (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE oauth_assertion_ids.expires_at <= ?",
        ).run(clientId, jti, expiresAt, now).changes > 0,
    ),
    deleteExpired: write((_touched, now) => prepared("DELETE FROM oauth_assertion_ids WHERE expires_at <= ?").run(now).changes),
  };
}
