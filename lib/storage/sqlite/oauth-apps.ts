/**
 * OAuth2 applications, their client secrets and public keys. `client(id)` reads an app with its
 * secrets and keys as one value, cached under `oauthclient:<client ID>`; every write to any of the
 * three evicts it. Deleting an app, secret or key cascades to the tokens minted from it, so those
 * writes also drop every cached token (rare administrative writes; the next lookups reload).
 */
import { and, asc, eq } from "drizzle-orm";
import { oauthApps, oauthClientSecrets, oauthPublicKeys } from "../../../db/schema";
import type { OAuthClient, Store, StoredClientSecret, StoredOAuthApp, StoredPublicKey } from "../types";
import type { Scope, Touched } from "./context";
import { cacheKeys } from "./read-cache";

type AppRow = typeof oauthApps.$inferSelect;
type KeyRow = typeof oauthPublicKeys.$inferSelect;

const freezeApp = (r: AppRow): StoredOAuthApp =>
  Object.freeze({
    ...r,
    redirectUris: Object.freeze(JSON.parse(r.redirectUris) as string[]) as string[],
    refreshAbsoluteExpiry: r.refreshAbsoluteExpiry as StoredOAuthApp["refreshAbsoluteExpiry"],
    refreshInactivityExpiry: r.refreshInactivityExpiry as StoredOAuthApp["refreshInactivityExpiry"],
  });

const freezeKey = (r: KeyRow): StoredPublicKey =>
  Object.freeze({
    ...r,
    certificate: r.certificate ? (Object.freeze(JSON.parse(r.certificate)) as StoredPublicKey["certificate"]) : null,
  });

const appRow = (a: StoredOAuthApp): AppRow => ({ ...a, redirectUris: JSON.stringify(a.redirectUris) });

/** Evicts what a write under one app may have changed: the app's client read and every cached token. */
const appChanged = (touched: Touched, clientId: string, tokensToo: boolean) => {
  touched.entry(cacheKeys.oauthClient(clientId));
  if (tokensToo) touched.namespace("oauthtoken");
};

export function oauthAppsAggregate({ db, prepared, op, write, cached }: Scope): Store["oauthApps"] {
  const tokenCount = (column: "client_id" | "secret_id" | "public_key_id", id: string) =>
    prepared(`SELECT count(*) FROM oauth_tokens WHERE ${column} = ?`).pluck().get(id) as number;
  const readClient = (clientId: string): OAuthClient | null => {
    const app = db.select().from(oauthApps).where(eq(oauthApps.clientId, clientId)).get();
    if (!app) return null;
    const secrets = db.select().from(oauthClientSecrets).where(eq(oauthClientSecrets.clientId, clientId)).orderBy(asc(oauthClientSecrets.createdAt)).all();
    const keys = db.select().from(oauthPublicKeys).where(eq(oauthPublicKeys.clientId, clientId)).orderBy(asc(oauthPublicKeys.createdAt)).all();
    return Object.freeze({
      app: freezeApp(app),
      secrets: Object.freeze(secrets.map((s) => Object.freeze(s))) as StoredClientSecret[],
      keys: Object.freeze(keys.map(freezeKey)) as StoredPublicKey[],
    });
  };
  return {
    list: op(() => db.select().from(oauthApps).orderBy(asc(oauthApps.createdAt)).all().map(freezeApp)),
    count: op(() => prepared("SELECT count(*) FROM oauth_apps").pluck().get() as number),
    byClientId: op((clientId) => {
      const r = db.select().from(oauthApps).where(eq(oauthApps.clientId, clientId)).get();
      return r ? freezeApp(r) : null;
    }),
    client: op((clientId) => cached(cacheKeys.oauthClient(clientId), () => readClient(clientId))),
    create: write((touched, app) => {
      appChanged(touched, app.clientId, false);
      db.insert(oauthApps).values(appRow(app)).run();
    }),
    update: write((touched, clientId, patch) => {
      appChanged(touched, clientId, false);
      const { redirectUris, ...rest } = patch;
      db.update(oauthApps)
        .set({ ...rest, ...(redirectUris ? { redirectUris: JSON.stringify(redirectUris) } : {}) })
        .where(eq(oauthApps.clientId, clientId))
        .run();
    }),
    delete: write((touched, clientId) => {
      appChanged(touched, clientId, true);
      const tokens = tokenCount("client_id", clientId);
      const removed = db.delete(oauthApps).where(eq(oauthApps.clientId, clientId)).run().changes;
      return removed > 0 ? { tokens } : null;
    }),
    touch: write((touched, clientId, at) => {
      appChanged(touched, clientId, false);
      prepared("UPDATE oauth_apps SET last_used_at = ? WHERE client_id = ?").run(at, clientId);
    }),
    usage: op((now) =>
      (
        prepared(
          "SELECT client_id AS clientId, sum(kind = 'access') AS accessTokens, sum(kind = 'refresh') AS refreshTokens FROM oauth_tokens WHERE expires_at IS NULL OR expires_at > ? GROUP BY client_id",
        ).all(now) as { clientId: string; accessTokens: number | null; refreshTokens: number | null }[]
      ).map((r) => ({ clientId: r.clientId, accessTokens: r.accessTokens ?? 0, refreshTokens: r.refreshTokens ?? 0 })),
    ),
  };
}

export function clientSecretsAggregate({ db, prepared, op, write }: Scope): Store["clientSecrets"] {
  const ownerOf = (id: string) => prepared("SELECT client_id FROM oauth_client_secrets WHERE id = ?").pluck().get(id) as string | undefined;
  return {
    list: op((clientId) => db.select().from(oauthClientSecrets).where(eq(oauthClientSecrets.clientId, clientId)).orderBy(asc(oauthClientSecrets.createdAt)).all()),
    create: write((touched, s) => {
      appChanged(touched, s.clientId, false);
      db.insert(oauthClientSecrets).values(s).run();
    }),
    setNotes: write((touched, clientId, id, notes) => {
      appChanged(touched, clientId, false);
      const where = and(eq(oauthClientSecrets.clientId, clientId), eq(oauthClientSecrets.id, id));
      return db.update(oauthClientSecrets).set({ notes }).where(where).run().changes > 0;
    }),
    delete: write((touched, clientId, id) => {
      appChanged(touched, clientId, true);
      const tokens = prepared("SELECT count(*) FROM oauth_tokens WHERE secret_id = ?").pluck().get(id) as number;
      const where = and(eq(oauthClientSecrets.clientId, clientId), eq(oauthClientSecrets.id, id));
      return db.delete(oauthClientSecrets).where(where).run().changes > 0 ? { tokens } : null;
    }),
    touch: write((touched, id, at) => {
      const clientId = ownerOf(id);
      if (clientId === undefined) return;
      appChanged(touched, clientId, false);
      prepared("UPDATE oauth_client_secrets SET last_used_at = ? WHERE id = ?").run(at, id);
    }),
  };
}

export function publicKeysAggregate({ db, prepared, op, write }: Scope): Store["publicKeys"] {
  const ownerOf = (id: string) => prepared("SELECT client_id FROM oauth_public_keys WHERE id = ?").pluck().get(id) as string | undefined;
  return {
    list: op((clientId) =>
      db.select().from(oauthPublicKeys).where(eq(oauthPublicKeys.clientId, clientId)).orderBy(asc(oauthPublicKeys.createdAt)).all().map(freezeKey),
    ),
    create: write((touched, k) => {
      appChanged(touched, k.clientId, false);
      db.insert(oauthPublicKeys)
        .values({ ...k, certificate: k.certificate ? JSON.stringify(k.certificate) : null })
        .run();
    }),
    delete: write((touched, clientId, id) => {
      appChanged(touched, clientId, true);
      const tokens = prepared("SELECT count(*) FROM oauth_tokens WHERE public_key_id = ?").pluck().get(id) as number;
      const where = and(eq(oauthPublicKeys.clientId, clientId), eq(oauthPublicKeys.id, id));
      return db.delete(oauthPublicKeys).where(where).run().changes > 0 ? { tokens } : null;
    }),
    touch: write((touched, id, at) => {
      const clientId = ownerOf(id);
      if (clientId === undefined) return;
      appChanged(touched, clientId, false);
      prepared("UPDATE oauth_public_keys SET last_used_at = ? WHERE id = ?").run(at, id);
    }),
  };
}
