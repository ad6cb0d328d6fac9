import type Database from "better-sqlite3";
import { and, count, desc, eq, gte, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { apiKeys, auditEvents, customers, instanceSettings, sessions, users } from "../../../db/schema";
import { OBJECTS, type ObjectDef } from "../../domain/objects";
import type { ObjectQuery } from "../../domain/object-query";
import type { FieldDef } from "../../domain/objects";
import type { AuditEvent, InstanceSettings, ObjectRow, Session, Store, StoredApiKey, UserWithSecret } from "../types";
import { AppError } from "../../errors";
import { registerMatchFunction } from "./match-function";
import { compileCount, compileSearch, escapeLike, scansText } from "./object-sql";
import { ReadPool } from "./read-pool";
import { ReadCache } from "./read-cache";

/**
 * Serialises transactions on the one connection. While a transaction is open, calls from outside it
 * wait, so no other request's statement can land inside it.
 */
class Gate {
  private tail: Promise<void> = Promise.resolve();
  busy = false;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
      release();
    }
  }

  /** Resolves when no transaction is open. */
  async idle(): Promise<void> {
    while (this.busy) await this.tail;
  }
}

function objectDef(objCode: string): ObjectDef {
  const def = OBJECTS.get(objCode);
  if (!def) throw new Error(`unknown object ${objCode}`);
  return def;
}

function rowToUser(r: typeof users.$inferSelect): UserWithSecret {
  return { ...r, lockedUntil: r.lockedUntil ?? null, lastLoginAt: r.lastLoginAt ?? null };
}

export function createSqliteStore(db: Db, sqlite: Database.Database): Store {
  const gate = new Gate();
  const cache = new ReadCache(sqlite);
  registerMatchFunction(sqlite);
  const reader = sqlite.memory ? null : new ReadPool(sqlite.name, { queueLimit: 16, deadlineMs: 10_000 });
  const stmtCache = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    let s = stmtCache.get(text);
    if (!s) {
      if (stmtCache.size > 500) stmtCache.clear();
      s = sqlite.prepare(text);
      stmtCache.set(text, s);
    }
    return s;
  };
  const sessionByHash = sqlite.prepare(
    "SELECT id_hash AS idHash, user_id AS userId, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE id_hash = ?",
  );
  const keyByHash = sqlite.prepare(
    "SELECT user_id AS userId, lookup_hash AS lookupHash, ciphertext, hint, created_at AS createdAt, last_used_at AS lastUsedAt FROM api_keys WHERE lookup_hash = ?",
  );
  const userById = sqlite.prepare("SELECT * FROM users WHERE id = ?");
  const settingsRow = sqlite.prepare("SELECT * FROM instance_settings WHERE id = 1");

  const mapRow = (fields: FieldDef[], values: unknown[]): ObjectRow => {
    const row: ObjectRow = {};
    fields.forEach((f, i) => (row[f.name] = values[i]));
    return row;
  };

  const snakeToUser = (r: Record<string, unknown>): UserWithSecret => ({
    id: r.id as string,
    username: r.username as string,
    name: r.name as string,
    email: r.email as string,
    passwordHash: r.password_hash as string,
    accessLevel: r.access_level as "admin" | "user",
    isActive: r.is_active === 1,
    passwordChangedAt: r.password_changed_at as number,
    failedLogins: r.failed_logins as number,
    lockedUntil: (r.locked_until as number | null) ?? null,
    lastLoginAt: (r.last_login_at as number | null) ?? null,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  });

  const snakeToSettings = (r: Record<string, unknown>): InstanceSettings => ({
    apiKeyExpiry: r.api_key_expiry as InstanceSettings["apiKeyExpiry"],
    apiKeyExpiryChangedAt: r.api_key_expiry_changed_at as number,
    removeKeyOnPasswordExpiry: r.remove_key_on_password_expiry === 1,
    passwordResetDays: (r.password_reset_days as number | null) ?? null,
    lockoutEnabled: r.lockout_enabled === 1,
    lockoutThreshold: r.lockout_threshold as number,
    lockoutMinutes: r.lockout_minutes as number,
    ssoType: r.sso_type as InstanceSettings["ssoType"],
    ssoOnly: r.sso_only === 1,
    updatedAt: r.updated_at as number,
  });

  function build(inTx: boolean): Store {
    // Outside a transaction, wait while one is open; inside, run straight away.
    // The check is repeated after each wait: another transaction may have begun meanwhile, and the
    // statement must run synchronously right after a check that found the connection free.
    const op =
      <A extends unknown[], R>(fn: (...a: A) => R) =>
      async (...a: A): Promise<R> => {
        if (!inTx) while (gate.busy) await gate.idle();
        return fn(...a);
      };
    /** A write: afterwards nothing cached may be served again. */
    const write =
      <A extends unknown[], R>(fn: (...a: A) => R) =>
      op((...a: A): R => {
        try {
          return fn(...a);
        } finally {
          cache.clear();
        }
      });
    /** Object writes clear the cache only for objects whose rows it holds (users). */
    const writeObject =
      <A extends [string, ...unknown[]], R>(fn: (...a: A) => R) =>
      op((...a: A): R => {
        try {
          return fn(...a);
        } finally {
          if (a[0] === "USER") cache.clear();
        }
      });
    /**
     * Searches that scan long text go to the read worker, except inside a transaction (which must see
     * its own writes). Undefined means "read here": no worker, or it could not start.
     */
    const readOffThread = async <T>(q: ObjectQuery, text: string, params: unknown[], shape: "rows" | "first"): Promise<T | undefined> => {
      if (inTx || !reader || !scansText(q) || !reader.available) return undefined;
      try {
        return (await reader.read(text, params, shape)) as T;
      } catch (e) {
        if (e instanceof AppError) throw e;
        console.error("keyward: read worker failed; reading on the main connection:", e instanceof Error ? e.message : e);
        return undefined;
      }
    };
    /** A cached read, outside transactions only (inside one, data may still roll back). */
    const cached = <T>(key: string, load: () => T | null): T | null => (inTx ? load() : cache.get(key, load));

    const store: Store = {
      customer: {
        get: op(() => db.select().from(customers).where(eq(customers.id, 1)).get() ?? null),
        create: write((c) => {
          db.insert(customers).values({ id: 1, ...c }).run();
        }),
        setSecretFingerprint: write((fingerprint) => {
          db.update(customers).set({ secretFingerprint: fingerprint }).where(eq(customers.id, 1)).run();
        }),
      },
      settings: {
        get: op(() =>
          cached("settings", () => {
            const r = settingsRow.get() as Record<string, unknown> | undefined;
            if (r) return snakeToSettings(r);
          // Defaults; "changed at 0" makes every key's expiry count from its own creation.
            db.insert(instanceSettings).values({ id: 1, apiKeyExpiryChangedAt: 0, updatedAt: 0 }).onConflictDoNothing().run();
            return snakeToSettings(settingsRow.get() as Record<string, unknown>);
          })!,
        ),
        update: write((patch) => {
          db.insert(instanceSettings).values({ id: 1, apiKeyExpiryChangedAt: 0, updatedAt: 0 }).onConflictDoNothing().run();
          db.update(instanceSettings)
            .set({ ...patch, updatedAt: patch.updatedAt ?? Date.now() })
            .where(eq(instanceSettings.id, 1))
            .run();
          return snakeToSettings(settingsRow.get() as Record<string, unknown>);
        }),
      },
      users: {
        byId: op((id) =>
          cached(`user:${id}`, () => {
            const r = userById.get(id) as Record<string, unknown> | undefined;
            return r ? snakeToUser(r) : null;
          }),
        ),
        byUsername: op((username) => {
          const r = db
            .select()
            .from(users)
            .where(sql`${users.username} = ${username} COLLATE NOCASE`)
            .get();
          return r ? rowToUser(r) : null;
        }),
        list: op(({ search, limit, offset }) => {
          const term = search?.trim();
          const cond = term
            ? or(...[users.username, users.name, users.email].map((c) => sql`${c} LIKE ${"%" + escapeLike(term) + "%"} ESCAPE '\\'`))
            : undefined;
          const rows = db.select().from(users).where(cond).orderBy(sql`${users.username} COLLATE NOCASE`).limit(limit).offset(offset).all();
          const total = db.select({ n: count() }).from(users).where(cond).get()?.n ?? 0;
          return {
            users: rows.map((r) => {
              const { passwordHash: _omit, ...u } = rowToUser(r);
              return u;
            }),
            total,
          };
        }),
        countAdmins: op((opts) => {
          const cond = opts?.activeOnly
            ? and(eq(users.accessLevel, "admin"), eq(users.isActive, true))
            : eq(users.accessLevel, "admin");
          return db.select({ n: count() }).from(users).where(cond).get()?.n ?? 0;
        }),
        create: write((u) => {
          db.insert(users).values({ ...u, updatedAt: u.createdAt }).run();
        }),
        update: write((id, patch) => {
          db.update(users).set(patch).where(eq(users.id, id)).run();
        }),
      },
      sessions: {
        create: write((s) => {
          db.insert(sessions).values(s).run();
        }),
        byHash: op((h) => cached(`session:${h}`, () => (sessionByHash.get(h) as Session | undefined) ?? null)),
        touch: op((h, at) => {
          prepared("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").run(at, h);
          cache.delete(`session:${h}`);
        }),
        delete: write((h) => {
          prepared("DELETE FROM sessions WHERE id_hash = ?").run(h);
        }),
        deleteForUser: write((userId) => prepared("DELETE FROM sessions WHERE user_id = ?").run(userId).changes),
        deleteForNonAdmins: write(
          () => prepared("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE access_level <> 'admin')").run().changes,
        ),
      },
      apiKeys: {
        byUser: op((userId) => db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).get() ?? null),
        byLookupHash: op((h) => cached(`apikey:${h}`, () => (keyByHash.get(h) as StoredApiKey | undefined) ?? null)),
        put: write((k) => {
          db.insert(apiKeys).values(k).onConflictDoUpdate({ target: apiKeys.userId, set: k }).run();
        }),
        delete: write((userId) => db.delete(apiKeys).where(eq(apiKeys.userId, userId)).run().changes > 0),
        deleteAll: write(() => db.delete(apiKeys).run().changes),
        touch: op((userId, at) => {
          const row = prepared("UPDATE api_keys SET last_used_at = ? WHERE user_id = ? RETURNING lookup_hash AS h").get(at, userId) as
            | { h: string }
            | undefined;
          if (row) cache.delete(`apikey:${row.h}`);
        }),
        list: op(() => db.select().from(apiKeys).all()),
      },
      objects: {
        search: async (objCode, q: ObjectQuery) => {
          const c = compileSearch(objectDef(objCode), q);
          const rows = (await readOffThread<unknown[][]>(q, c.sql, c.params, "rows")) ?? (await op(() => prepared(c.sql).raw(true).all(...c.params) as unknown[][])());
          return rows.map((v) => mapRow(q.fields, v));
        },
        count: async (objCode, q: ObjectQuery) => {
          const c = compileCount(objectDef(objCode), q);
          const row = (await readOffThread<{ n: number }>(q, c.sql, c.params, "first")) ?? (await op(() => prepared(c.sql).get(...c.params) as { n: number })());
          return row.n;
        },
        byIds: op((objCode, ids, fieldNames) => {
          const def = objectDef(objCode);
          const fields = fieldNames.map((n) => def.fields.find((f) => f.name === n)!);
          if (ids.length === 0) return [];
          const text = `SELECT ${fields.map((f) => `"${f.column}"`).join(", ")} FROM "${def.table}" WHERE id IN (${ids.map(() => "?").join(",")})`;
          const rows = (prepared(text).raw(true).all(...ids) as unknown[][]).map((v) => mapRow(fields, v));
          const byId = new Map(rows.map((r) => [r.ID as string, r]));
          return ids.map((id) => byId.get(id)).filter((r): r is ObjectRow => r !== undefined);
        }),
        insert: writeObject((objCode, values) => {
          const def = objectDef(objCode);
          const cols = Object.keys(values).map((k) => def.fields.find((f) => f.name === k)!.column);
          prepared(`INSERT INTO "${def.table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(
            ...Object.values(values),
          );
        }),
        update: writeObject((objCode, id, values) => {
          const def = objectDef(objCode);
          const keys = Object.keys(values);
          if (keys.length === 0) return;
          const sets = keys.map((k) => `"${def.fields.find((f) => f.name === k)!.column}" = ?`);
          prepared(`UPDATE "${def.table}" SET ${sets.join(", ")} WHERE id = ?`).run(...Object.values(values), id);
        }),
        delete: writeObject((objCode, id) => prepared(`DELETE FROM "${objectDef(objCode).table}" WHERE id = ?`).run(id).changes > 0),
        ownerOf: op((objCode, id) => {
          const def = objectDef(objCode);
          const col = def.ownerField ? def.fields.find((f) => f.name === def.ownerField)!.column : "id";
          const r = prepared(`SELECT "${col}" AS o FROM "${def.table}" WHERE id = ?`).get(id) as { o: string | null } | undefined;
          return r === undefined ? undefined : r.o;
        }),
      },
      audit: {
        append: op((e) => {
          db.insert(auditEvents)
            .values({ ...e, details: e.details ? JSON.stringify(e.details) : null })
            .run();
        }),
        list: op((f) => {
          const conds = [
            f.action
              ? f.action.endsWith("*")
                ? sql`substr(${auditEvents.action}, 1, ${f.action.length - 1}) = ${f.action.slice(0, -1)}`
                : eq(auditEvents.action, f.action)
              : undefined,
            f.actor ? sql`${auditEvents.actorName} LIKE ${"%" + escapeLike(f.actor) + "%"} ESCAPE '\\'` : undefined,
            f.from !== undefined ? gte(auditEvents.at, f.from) : undefined,
            f.to !== undefined ? lte(auditEvents.at, f.to) : undefined,
            f.beforeId !== undefined ? lt(auditEvents.id, f.beforeId) : undefined,
          ].filter(Boolean);
          return db
            .select()
            .from(auditEvents)
            .where(conds.length ? and(...conds) : undefined)
            .orderBy(desc(auditEvents.id))
            .limit(f.limit)
            .all()
            .map((r): AuditEvent => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
        }),
      },
      transaction: async <T>(fn: (tx: Store) => Promise<T>): Promise<T> => {
        if (inTx) return fn(store);
        return gate.run(async () => {
          sqlite.exec("BEGIN IMMEDIATE");
          try {
            const result = await fn(txStore);
            sqlite.exec("COMMIT");
            return result;
          } catch (e) {
            if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
            throw e;
          } finally {
            cache.clear();
          }
        });
      },
      close: () => {
        reader?.close();
        sqlite.close();
      },
    };
    return store;
  }

  const txStore = build(true);
  return build(false);
}
