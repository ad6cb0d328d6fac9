/**
 * Test support: a SQLite store over a fresh, migrated file in a temporary folder, with a fixed clock,
 * its read cache and its own connection exposed (a statement run on that connection bypasses the store
 * and leaves the cache as it is, which lets a test see whether a lookup was served from memory).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import { openDatabase } from "../../../db/client";
import { fixedClock } from "../../clock";
import type { StoreUnderTest } from "../contract";
import type { Store } from "../types";
import { ReadCache } from "./read-cache";
import { createSqliteStore } from "./store";

export interface SqliteTestStore extends StoreUnderTest {
  store: Store;
  /** The store's own connection. */
  sqlite: Database.Database;
  cache: ReadCache;
  clock: ReturnType<typeof fixedClock>;
  file: string;
}

export async function openSqliteTestStore(): Promise<SqliteTestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-store-"));
  const file = path.join(dir, "store.db");
  const { db, sqlite } = openDatabase(file);
  const cache = new ReadCache(sqlite);
  const clock = fixedClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const store = createSqliteStore(db, sqlite, { clock, cache });
  return {
    store,
    sqlite,
    cache,
    clock,
    file,
    // The schema's triggers refuse both; the attempt goes through the connection the store uses.
    tamperWithAudit: async (id, how) => {
      if (how === "update") sqlite.prepare("UPDATE audit_events SET action = 'tampered' WHERE id = ?").run(id);
      else sqlite.prepare("DELETE FROM audit_events WHERE id = ?").run(id);
    },
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
