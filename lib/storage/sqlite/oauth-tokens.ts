/**
 * OAuth tokens, `byHash` cached under `oauthtoken:<lookup hash>` (each write evicts the tokens it
 * changed or removed), the `jti` values of accepted JWT assertions, authorization codes and consents.
 */
import type { Store, StoredConsent, StoredOAuthCode, StoredOAuthToken } from "../types";
import type { Scope, Touched } from "./context";
import { jtiStoreOn } from "./assertion-ids";
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
    deleteSignInTokens: write((touched, userId) =>
      deleteReturning("DELETE FROM oauth_tokens WHERE user_id = ? AND grant_type <> 'jwt_bearer' RETURNING lookup_hash", touched, userId),
    ),
    deleteFamily: write((touched, familyId) => deleteReturning("DELETE FROM oauth_tokens WHERE family_id = ? RETURNING lookup_hash", touched, familyId)),
    markRotated: write((touched, h, at) => {
      touched.entry(cacheKeys.oauthToken(h));
      return prepared("UPDATE oauth_tokens SET rotated_at = ? WHERE lookup_hash = ? AND rotated_at IS NULL").run(at, h).changes > 0;
    }),
  };
}

const CODE_COLUMNS =
  "lookup_hash AS lookupHash, client_id AS clientId, user_id AS userId, redirect_uri AS redirectUri, code_challenge AS codeChallenge, scope, created_at AS createdAt, expires_at AS expiresAt, redeemed_at AS redeemedAt, family_id AS familyId";

/** Authorization codes: written and read once each, never cached. */
export function oauthCodesAggregate({ prepared, op, write }: Scope): Store["oauthCodes"] {
  return {
    create: write((_touched, c) => {
      prepared(
        "INSERT INTO oauth_codes (lookup_hash, client_id, user_id, redirect_uri, code_challenge, scope, created_at, expires_at, redeemed_at, family_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ).run(c.lookupHash, c.clientId, c.userId, c.redirectUri, c.codeChallenge, c.scope, c.createdAt, c.expiresAt, c.redeemedAt, c.familyId);
    }),
    byHash: op((h) => (prepared(`SELECT ${CODE_COLUMNS} FROM oauth_codes WHERE lookup_hash = ?`).get(h) as StoredOAuthCode | undefined) ?? null),
    redeem: write(
      (_touched, h, at, familyId) =>
        prepared("UPDATE oauth_codes SET redeemed_at = ?, family_id = ? WHERE lookup_hash = ? AND redeemed_at IS NULL").run(at, familyId, h).changes > 0,
    ),
    deleteExpired: write((_touched, now) => prepared("DELETE FROM oauth_codes WHERE expires_at <= ?").run(now).changes),
  };
}

const CONSENT_COLUMNS = "user_id AS userId, client_id AS clientId, scope, created_at AS createdAt, updated_at AS updatedAt";

export function consentsAggregate({ prepared, op, write }: Scope): Store["consents"] {
  return {
    get: op(
      (userId, clientId) =>
        (prepared(`SELECT ${CONSENT_COLUMNS} FROM oauth_consents WHERE user_id = ? AND client_id = ?`).get(userId, clientId) as StoredConsent | undefined) ?? null,
    ),
    put: write((_touched, c) => {
      prepared(
        "INSERT INTO oauth_consents (user_id, client_id, scope, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, updated_at = excluded.updated_at",
      ).run(c.userId, c.clientId, c.scope, c.createdAt, c.updatedAt);
    }),
    listForUser: op((userId) => prepared(`SELECT ${CONSENT_COLUMNS} FROM oauth_consents WHERE user_id = ? ORDER BY created_at`).all(userId) as StoredConsent[]),
    delete: write((_touched, userId, clientId) => prepared("DELETE FROM oauth_consents WHERE user_id = ? AND client_id = ?").run(userId, clientId).changes > 0),
  };
}

export function assertionIdsAggregate(scope: Scope): Store["assertionIds"] {
  return jtiStoreOn(scope, "oauth_assertion_ids");
}
