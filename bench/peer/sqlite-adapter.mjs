// A persistent oidc-provider adapter over better-sqlite3, so the peer stores tokens the way Keyward
// stores sessions and keys (one SQLite file, WAL, indexed lookups) instead of in its bounded
// development LRU. One table holds every model; grant, user-code and session-uid lookups are indexed.
import Database from "better-sqlite3";

const epochTime = () => Math.floor(Date.now() / 1000);

/**
 * Opens (creating if needed) the store and returns the adapter class to pass as the provider's
 * `adapter` option. Expired rows are never returned and are purged once a minute.
 */
export function createSqliteAdapter(file) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -32000");
  db.exec(`
    CREATE TABLE IF NOT EXISTS oidc_models (
      model       TEXT NOT NULL,
      id          TEXT NOT NULL,
      payload     TEXT NOT NULL,
      grant_id    TEXT,
      user_code   TEXT,
      uid         TEXT,
      expires_at  INTEGER,
      consumed_at INTEGER,
      PRIMARY KEY (model, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
    CREATE INDEX IF NOT EXISTS oidc_models_expires ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;
  `);

  const stmt = {
    upsert: db.prepare(`
      INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
      VALUES (@model, @id, @payload, @grantId, @userCode, @uid, @expiresAt, NULL)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at, consumed_at = NULL`),
    find: db.prepare(
      "SELECT payload, consumed_at AS consumedAt FROM oidc_models WHERE model = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    findByUserCode: db.prepare(
      "SELECT payload, consumed_at AS consumedAt FROM oidc_models WHERE model = ? AND user_code = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    findByUid: db.prepare(
      "SELECT payload, consumed_at AS consumedAt FROM oidc_models WHERE model = ? AND uid = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    consume: db.prepare("UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?"),
    destroy: db.prepare("DELETE FROM oidc_models WHERE model = ? AND id = ?"),
    revokeByGrantId: db.prepare("DELETE FROM oidc_models WHERE grant_id = ?"),
    purge: db.prepare("DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= ?"),
  };

  const purge = setInterval(() => stmt.purge.run(Date.now()), 60_000);
  purge.unref();

  const decode = (row) => {
    if (!row) return undefined;
    const payload = JSON.parse(row.payload);
    if (row.consumedAt !== null) payload.consumed = row.consumedAt;
    return payload;
  };

  class SqliteAdapter {
    constructor(model) {
      this.model = model;
    }

    async upsert(id, payload, expiresIn) {
      stmt.upsert.run({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : null,
      });
    }

    async find(id) {
      return decode(stmt.find.get(this.model, id, Date.now()));
    }

    async findByUserCode(userCode) {
      return decode(stmt.findByUserCode.get(this.model, userCode, Date.now()));
    }

    async findByUid(uid) {
      return decode(stmt.findByUid.get(this.model, uid, Date.now()));
    }

    async consume(id) {
      stmt.consume.run(epochTime(), this.model, id);
    }

    async destroy(id) {
      stmt.destroy.run(this.model, id);
    }

    async revokeByGrantId(grantId) {
      stmt.revokeByGrantId.run(grantId);
    }
  }

  return { Adapter: SqliteAdapter, db, close: () => db.close() };
}
