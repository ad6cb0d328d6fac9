/**
 * What the aggregates of one SQLite store share: the connection and its transaction gate, the read
 * cache, the prepared-statement cache, the read worker and the clock; and, per side of a transaction,
 * the `op` / `write` / `cached` wrappers every method goes through.
 */
import type Database from "better-sqlite3";
import type { Db } from "../../../db/client";
import type { Clock } from "../../clock";
import { Gate } from "./gate";
import type { CacheKey, Namespace, ReadCache } from "./read-cache";
import { ReadPool } from "./read-pool";

export interface Connection {
  db: Db;
  sqlite: Database.Database;
  gate: Gate;
  cache: ReadCache;
  clock: Clock;
  /** The read worker for searches that scan long text; null for an in-memory database. */
  reader: ReadPool | null;
  /** One prepared statement per SQL text, reused. A text is always run in the same mode (raw, pluck). */
  prepared: (text: string) => Database.Statement;
}

export function openConnection(db: Db, sqlite: Database.Database, clock: Clock, cache: ReadCache): Connection {
  const statements = new Map<string, Database.Statement>();
  return {
    db,
    sqlite,
    clock,
    gate: new Gate(),
    cache,
    reader: sqlite.memory ? null : new ReadPool(sqlite.name, { queueLimit: 16, deadlineMs: 10_000 }),
    prepared: (text) => {
      let s = statements.get(text);
      if (!s) {
        if (statements.size > 500) statements.clear();
        s = sqlite.prepare(text);
        statements.set(text, s);
      }
      return s;
    },
  };
}

/** What a write reports having changed; the cache drops exactly that afterwards. */
export interface Touched {
  entry: (key: CacheKey) => void;
  namespace: (ns: Namespace) => void;
}

export interface Scope extends Connection {
  /** True on the transaction's side: reads bypass the cache (the data may still roll back). */
  inTx: boolean;
  /** A statement that changes nothing cached. Outside a transaction it waits while one is open. */
  op: <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A) => Promise<R>;
  /**
   * A write: `fn` reports what it touched, which is evicted once it returns or throws. Inside a
   * transaction the eviction happens straight away, so a rollback leaves nothing stale (nothing is
   * cached while a transaction is open: its reads bypass the cache and reads from outside wait).
   */
  write: <A extends unknown[], R>(fn: (touched: Touched, ...a: A) => R) => (...a: A) => Promise<R>;
  /** A cached read, outside transactions only. */
  cached: <T>(key: CacheKey, load: () => T | null) => T | null;
}

export function scopeOf(conn: Connection, inTx: boolean): Scope {
  const { gate, cache } = conn;
  // Outside a transaction, wait while one is open; inside, run straight away.
  // The check is repeated after each wait: another transaction may have begun meanwhile, and the
  // statement must run synchronously right after a check that found the connection free.
  const op =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    async (...a: A): Promise<R> => {
      if (!inTx) while (gate.busy) await gate.idle();
      return fn(...a);
    };
  const write = <A extends unknown[], R>(fn: (touched: Touched, ...a: A) => R) =>
    op((...a: A): R => {
      const entries: CacheKey[] = [];
      const spaces: Namespace[] = [];
      try {
        return fn({ entry: (k) => entries.push(k), namespace: (ns) => spaces.push(ns) }, ...a);
      } finally {
        for (const k of entries) cache.evict(k);
        for (const ns of spaces) cache.evictNamespace(ns);
      }
    });
  const cached = <T>(key: CacheKey, load: () => T | null): T | null => (inTx ? load() : cache.get(key, load));
  return { ...conn, inTx, op, write, cached };
}
