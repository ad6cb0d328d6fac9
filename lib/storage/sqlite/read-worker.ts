/**
 * The body of a read worker: a read-only connection to the database file on a thread of the lowest
 * scheduling priority, running the object searches that scan long text (see read-pool.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { lowerThreadPriority } from "../../workers/priority";
import { registerMatchFunction } from "./match-function";

export interface ReadRequest {
  id: number;
  sql: string;
  params: unknown[];
  /** `rows`: every row as an array of column values; `first`: the first row as an object. */
  shape: "rows" | "first";
}

export type ReadReply = { id: number; result: unknown } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  lowerThreadPriority();
  const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  registerMatchFunction(db);
  const statements = new Map<string, Database.Statement>();
  port.on("message", (m: ReadRequest) => {
    try {
      let s = statements.get(m.sql);
      if (!s) {
        if (statements.size > 200) statements.clear();
        s = db.prepare(m.sql);
        statements.set(m.sql, s);
      }
      const result = m.shape === "rows" ? s.raw(true).all(...m.params) : s.raw(false).get(...m.params);
      port.postMessage({ id: m.id, result } satisfies ReadReply);
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies ReadReply);
    }
  });
}
