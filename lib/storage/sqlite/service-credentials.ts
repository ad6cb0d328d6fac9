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
import { cacheKeys } from "./read-cache";

type CredentialRow = typeof serviceCredentials.$inferSelect;

const freezeCredential = (r: CredentialRow): StoredServiceCredential =>
  Object.freeze({ ...r, metascopes: Object.freeze(JSON.parse(r.metascopes) as string[]) as string[] });

const TOKEN_COLUMNS = "id, kind, client_id AS clientId, key_id AS keyId, user_id AS userId, scope, created_at AS createdAt, expires_at AS expiresAt";

export function serviceCredentialsAggregate({ db, prepared, op, write, cached }: Scope): Store["serviceCredentials"] {
  const readWithKeys = (clientId: string): ServiceCredentialWithKeys | null => {
    const row = db.select().from(serviceCredentials).where(eq(serviceCredentials.clientId, clientId)).get();
    if (!row) return null;
    const keys = db.select().from(serviceCredentialKeys).where(eq(serviceCredentialKeys.clientId, clientId)).orderBy(asc(serviceCredentialKeys.createdAt)).all();
    return Object.freeze({ credential: freezeCredential(row), keys: Object.freeze(keys.map((k) => Object.freeze(k))) as StoredServiceCredentialKey[] });
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
        prepared("SELECT client_id AS clientId, count(*) AS liveTokens FROM ims_tokens WHERE client_id IS NOT NULL AND expires_at > ? GROUP BY client_id").all(now) as {
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
      const tokens = deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE key_id = ? RETURNING id", id);
      prepared("DELETE FROM service_credential_keys WHERE id = ?").run(id);
      return { tokens };
    }),
    deleteAll: write((touched, clientId) => {
      touched.entry(cacheKeys.serviceCredential(clientId));
      deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE key_id IN (SELECT id FROM service_credential_keys WHERE client_id = ?) RETURNING id", clientId);
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
        ? deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE client_id = ? RETURNING id", clientId)
        : deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE client_id = ? AND kind = ? RETURNING id", clientId, kind),
    ),
    deleteForUser: write((touched, userId, kind) =>
      deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE user_id = ? AND kind = ? RETURNING id", userId, kind),
    ),
    listForUser: op(
      (userId, kind, now) =>
        prepared(`SELECT ${TOKEN_COLUMNS} FROM ims_tokens WHERE user_id = ? AND kind = ? AND expires_at > ? ORDER BY created_at DESC, id`).all(userId, kind, now) as StoredImsToken[],
    ),
    deleteExpired: write((touched, now) => deleteTokensReturning(scope, touched, "DELETE FROM ims_tokens WHERE expires_at <= ? RETURNING id", now)),
  };
}

export function imsAssertionIdsAggregate({ prepared, write }: Scope): Store["imsAssertionIds"] {
  return {
    // A stored jti whose assertion has expired no longer guards anything: it may be claimed again.
    claim: write(
      (_touched, clientId, jti, expiresAt, now) =>
        prepared(
          "INSERT INTO ims_assertion_ids (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE ims_assertion_ids.expires_at <= ?",
        ).run(clientId, jti, expiresAt, now).changes > 0,
    ),
    deleteExpired: write((_touched, now) => prepared("DELETE FROM ims_assertion_ids WHERE expires_at <= ?").run(now).changes),
  };
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
