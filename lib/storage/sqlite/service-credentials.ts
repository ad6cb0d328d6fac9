/**
 * Service credentials, their certificates, the IMS tokens issued from them (and local development
 * tokens), accepted assertion IDs and the server's token signing keys. `withKeys(id)` reads a
 * credential with its certificates as one value, cached under `servicecredential:<client ID>`;
 * tokens are cached by ID under `imstoken:<id>`, and every delete evicts each token it removed, so a
 * revocation is refused by the next call (other processes see the commit through data_version).
 */
import { asc, desc, eq } from "drizzle-orm";
import { serviceCredentialKeys, serviceCredentials, signingKeys } from "../../../db/schema";
import type { ImsTokenKind, ServiceCredentialWithKeys, Store, StoredImsToken, StoredServiceCredential, StoredServiceCredentialKey } from "../types";
import type { Scope, Touched } from "./context";
import { jtiStoreOn } from "./assertion-ids";
import { cacheKeys } from "./read-cache";

type CredentialRow = typeof serviceCredentials.$inferSelect;

const freezeCredential = (r: CredentialRow): StoredServiceCredential =>
  Object.freeze({ ...r, metascopes: Object.freeze(JSON.parse(r.metascopes) as string[]) as string[] });

const TOKEN_COLUMNS = "id, kind, client_id AS clientId, key_id AS keyId, user_id AS userId, scope, created_at AS createdAt, expires_at AS expiresAt";

/**
 * Every statement that reads or deletes IMS tokens other than by ID. A credential's tokens are its
 * technical account's, so each goes through the (user, kind, created) or the expiry index, never a
 * scan of the table (a credential can mint tokens all day; ims-token-plans.test.ts checks the plans).
 */
const ACCOUNT_OF = "(SELECT technical_account_id FROM service_credentials WHERE client_id = ?)";
export const IMS_TOKEN_SQL = {
  usage:
    "SELECT clientId, liveTokens FROM (SELECT c.client_id AS clientId, (SELECT count(*) FROM ims_tokens t WHERE t.user_id = c.technical_account_id AND t.client_id = c.client_id AND t.expires_at > ?) AS liveTokens FROM service_credentials c) WHERE liveTokens > 0",
  deleteForKey: `DELETE FROM ims_tokens WHERE user_id = ${ACCOUNT_OF} AND key_id = ? RETURNING id`,
  deleteForAllKeys: `DELETE FROM ims_tokens WHERE user_id = ${ACCOUNT_OF} AND key_id IS NOT NULL RETURNING id`,
  deleteForCredential: `DELETE FROM ims_tokens WHERE user_id = ${ACCOUNT_OF} AND client_id = ? RETURNING id`,
  deleteForCredentialKind: `DELETE FROM ims_tokens WHERE user_id = ${ACCOUNT_OF} AND kind = ? AND client_id = ? RETURNING id`,
  deleteForUserKind: "DELETE FROM ims_tokens WHERE user_id = ? AND kind = ? RETURNING id",
  listForUserKind: `SELECT ${TOKEN_COLUMNS} FROM ims_tokens WHERE user_id = ? AND kind = ? AND expires_at > ? ORDER BY created_at DESC, id`,
  deleteExpired: "DELETE FROM ims_tokens WHERE expires_at <= ? RETURNING id",
} as const;

const CREDENTIAL_COLUMNS =
  "client_id AS clientId, name, technical_account_id AS technicalAccountId, metascopes, secret_hash AS secretHash, secret_ciphertext AS secretCiphertext, secret_hint AS secretHint, jwt_enabled AS jwtEnabled, s2s_enabled AS s2sEnabled, migrated_at AS migratedAt, created_by AS createdBy, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt";
const KEY_COLUMNS =
  "id, client_id AS clientId, spki_pem AS spkiPem, certificate_pem AS certificatePem, fingerprint256, not_before AS notBefore, not_after AS notAfter, created_by AS createdBy, created_at AS createdAt, last_used_at AS lastUsedAt";

type RawCredential = Omit<CredentialRow, "jwtEnabled" | "s2sEnabled"> & { jwtEnabled: number; s2sEnabled: number };

export function serviceCredentialsAggregate({ db, prepared, op, write, cached }: Scope): Store["serviceCredentials"] {
  // Read on every exchange (inside its transaction too, where nothing is cached): prepared once.
  const credentialById = prepared(`SELECT ${CREDENTIAL_COLUMNS} FROM service_credentials WHERE client_id = ?`);
  const keysOf = prepared(`SELECT ${KEY_COLUMNS} FROM service_credential_keys WHERE client_id = ? ORDER BY created_at, id`);
  const readWithKeys = (clientId: string): ServiceCredentialWithKeys | null => {
    const row = credentialById.get(clientId) as RawCredential | undefined;
    if (!row) return null;
    const keys = keysOf.all(clientId) as StoredServiceCredentialKey[];
    const credential = freezeCredential({ ...row, jwtEnabled: row.jwtEnabled === 1, s2sEnabled: row.s2sEnabled === 1 });
    return Object.freeze({ credential, keys: Object.freeze(keys.map((k) => Object.freeze(k))) as StoredServiceCredentialKey[] });
  };
  return {
    list: op(() => db.select().from(serviceCredentials).orderBy(asc(serviceCredentials.createdAt)).all().map(freezeCredential)),
    count: op(() => prepared("SELECT count(*) FROM service_credentials").pluck().get() as number),
    withKeys: op((clientId) => cached(cacheKeys.serviceCredential(clientId), () => readWithKeys(clientId))),
    create: write((touched, c) => {
      touched.entry(cacheKeys.serviceCredential(c.clientId));
      db.insert(serviceCredentials).values({ ...c, metascopes: JSON.stringify(c.metascopes) }).run();
    }),
    update: write((touched, clientId, patch) => {
      touched.entry(cacheKeys.serviceCredential(clientId));
      if (Object.keys(patch).length === 0) return;
      db.update(serviceCredentials).set(patch).where(eq(serviceCredentials.clientId, clientId)).run();
    }),
    touch: write((touched, clientId, at) => {
      touched.entry(cacheKeys.serviceCredential(clientId));
      prepared("UPDATE service_credentials SET last_used_at = ? WHERE client_id = ?").run(at, clientId);
    }),
    usage: op(
      (now) =>
        prepared(IMS_TOKEN_SQL.usage).all(now) as {
          clientId: string;
          liveTokens: number;
        }[],
    ),
  };
}

/** Runs a DELETE ... RETURNING id on ims_tokens and evicts each removed token. */
const deleteTokensReturning = (scope: Scope, touched: Touched, text: string, ...params: unknown[]) => {
  const ids = scope.prepared(text).pluck().all(...params) as string[];
  for (const id of ids) touched.entry(cacheKeys.imsToken(id));
  return ids.length;
};

export function serviceCredentialKeysAggregate(scope: Scope): Store["serviceCredentialKeys"] {
  const { db, prepared, op, write } = scope;
  const ownerOf = (id: string) => prepared("SELECT client_id FROM service_credential_keys WHERE id = ?").pluck().get(id) as string | undefined;
  return {
    list: op((clientId) =>
      db.select().from(serviceCredentialKeys).where(eq(serviceCredentialKeys.clientId, clientId)).orderBy(asc(serviceCredentialKeys.createdAt)).all(),
    ),
    create: write((touched, k) => {
      touched.entry(cacheKeys.serviceCredential(k.clientId));
      db.insert(serviceCredentialKeys).values(k).run();
    }),
    delete: write((touched, clientId, id) => {
      if (ownerOf(id) !== clientId) return null;
      touched.entry(cacheKeys.serviceCredential(clientId));
      // The tokens go first, by name, so each is evicted (the key's cascade would do it silently).
      const tokens = deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteForKey, clientId, id);
      prepared("DELETE FROM service_credential_keys WHERE id = ?").run(id);
      return { tokens };
    }),
    deleteAll: write((touched, clientId) => {
      touched.entry(cacheKeys.serviceCredential(clientId));
      deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteForAllKeys, clientId);
      return prepared("DELETE FROM service_credential_keys WHERE client_id = ?").run(clientId).changes;
    }),
    touch: write((touched, id, at) => {
      const clientId = ownerOf(id);
      if (clientId === undefined) return;
      touched.entry(cacheKeys.serviceCredential(clientId));
      prepared("UPDATE service_credential_keys SET last_used_at = ? WHERE id = ?").run(at, id);
    }),
  };
}

export function imsTokensAggregate(scope: Scope): Store["imsTokens"] {
  const { prepared, op, write, cached } = scope;
  // Written on every exchange and read on every call that is not cached: prepared once.
  const insert = prepared("INSERT INTO ims_tokens (id, kind, client_id, key_id, user_id, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const byId = prepared(`SELECT ${TOKEN_COLUMNS} FROM ims_tokens WHERE id = ?`);
  return {
    create: write((touched, t) => {
      touched.entry(cacheKeys.imsToken(t.id));
      insert.run(t.id, t.kind, t.clientId, t.keyId, t.userId, t.scope, t.createdAt, t.expiresAt);
    }),
    byId: op((id) => cached(cacheKeys.imsToken(id), () => (byId.get(id) as StoredImsToken | undefined) ?? null)),
    delete: write((touched, id) => deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE id = ? RETURNING id", id) > 0),
    deleteForCredential: write((touched, clientId, kind?: ImsTokenKind) =>
      kind === undefined
        ? deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteForCredential, clientId, clientId)
        : deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteForCredentialKind, clientId, kind, clientId),
    ),
    deleteForUser: write((touched, userId, kind) =>
      deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteForUserKind, userId, kind),
    ),
    listForUser: op(
      (userId, kind, now) =>
        prepared(IMS_TOKEN_SQL.listForUserKind).all(userId, kind, now) as StoredImsToken[],
    ),
    deleteExpired: write((touched, now) => deleteTokensReturning(scope, touched, IMS_TOKEN_SQL.deleteExpired, now)),
  };
}

export function imsAssertionIdsAggregate(scope: Scope): Store["imsAssertionIds"] {
  return jtiStoreOn(scope, "ims_assertion_ids");
}

export function signingKeysAggregate({ db, prepared, op, write, cached }: Scope): Store["signingKeys"] {
  return {
    list: op(
      () =>
        cached(cacheKeys.signingKeys, () =>
          db
            .select()
            .from(signingKeys)
            .orderBy(desc(signingKeys.createdAt), asc(signingKeys.kid))
            .all()
            .map((k) => Object.freeze(k)),
        ) ?? [],
    ),
    create: write((touched, k) => {
      touched.entry(cacheKeys.signingKeys);
      db.insert(signingKeys).values(k).run();
    }),
    retireOthers: write((touched, exceptKid, at) => {
      touched.entry(cacheKeys.signingKeys);
      return prepared("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?").run(at, exceptKid).changes;
    }),
    deleteRetiredBefore: write((touched, before) => {
      touched.entry(cacheKeys.signingKeys);
      return prepared("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?").run(before).changes;
    }),
  };
}
