/**
 * The SQLite adapter of the storage port: one module per aggregate (customer, settings, users,
 * sessions, API keys, certificates, OAuth apps and tokens, service credentials and IMS tokens, objects, audit) over the shared connection context, assembled here with the
 * transaction and close.
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import { systemClock, type Clock } from "../../clock";
import type { Store } from "../types";
import { apiKeysAggregate } from "./api-keys";
import { auditAggregate } from "./audit";
import { Checkpointer } from "./checkpointer";
import { CommitQueue } from "./group-commit";
import { certificatesAggregate } from "./certificates";
import { openConnection, scopeOf } from "./context";
import { customerAggregate } from "./customer";
import { registerMatchFunction } from "./match-function";
import { clientSecretsAggregate, oauthAppsAggregate, publicKeysAggregate } from "./oauth-apps";
import { assertionIdsAggregate, consentsAggregate, oauthCodesAggregate, oauthTokensAggregate } from "./oauth-tokens";
import { objectsAggregate } from "./objects";
import { ReadCache } from "./read-cache";
import {
  imsAssertionIdsAggregate,
  imsTokensAggregate,
  serviceCredentialKeysAggregate,
  serviceCredentialsAggregate,
  signingKeysAggregate,
} from "./service-credentials";
import { sessionsAggregate } from "./sessions";
import { settingsAggregate } from "./settings";
import { usersAggregate } from "./users";

export interface SqliteStoreOptions {
  /** Where the store's own times come from (e.g. a settings update without `updatedAt`); the runtime passes its clock. */
  clock?: Clock;
  /** The read cache to use (tests pass one to look into it); by default a new one on this connection. */
  cache?: ReadCache;
}

export function createSqliteStore(db: Db, sqlite: Database.Database, opts: SqliteStoreOptions = {}): Store {
  registerMatchFunction(sqlite);
  const conn = openConnection(db, sqlite, opts.clock ?? systemClock, opts.cache ?? new ReadCache(sqlite));
  const { gate } = conn;
  const checkpointer = new Checkpointer(sqlite);
  const commits = new CommitQueue(sqlite, gate, () => checkpointer.committed());

  function build(inTx: boolean): Store {
    const scope = scopeOf(conn, inTx);
    const store: Store = {
      customer: customerAggregate(scope),
      settings: settingsAggregate(scope),
      users: usersAggregate(scope),
      sessions: sessionsAggregate(scope),
      apiKeys: apiKeysAggregate(scope),
      certificates: certificatesAggregate(scope),
      objects: objectsAggregate(scope),
      oauthApps: oauthAppsAggregate(scope),
      clientSecrets: clientSecretsAggregate(scope),
      publicKeys: publicKeysAggregate(scope),
      oauthTokens: oauthTokensAggregate(scope),
      assertionIds: assertionIdsAggregate(scope),
      oauthCodes: oauthCodesAggregate(scope),
      consents: consentsAggregate(scope),
      serviceCredentials: serviceCredentialsAggregate(scope),
      serviceCredentialKeys: serviceCredentialKeysAggregate(scope),
      imsTokens: imsTokensAggregate(scope),
      imsAssertionIds: imsAssertionIdsAggregate(scope),
      signingKeys: signingKeysAggregate(scope),
      audit: auditAggregate(scope),
      // Writes inside evict what they touch as they run, so neither commit nor rollback has to
      // clear the read cache (see Scope.write).
      // Transactions ready in the same turn commit together, each in its own savepoint (group-commit.ts).
      transaction: async <T>(fn: (tx: Store) => Promise<T>): Promise<T> => {
        if (inTx) return fn(store);
        return commits.run(() => fn(txStore));
      },
      close: async () => {
        checkpointer.close();
        conn.reader?.close();
        if (sqlite.open) sqlite.close();
      },
    };
    return store;
  }

  const txStore = build(true);
  return build(false);
}
