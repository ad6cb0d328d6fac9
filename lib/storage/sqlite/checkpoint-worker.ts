/**
 * The body of the checkpoint worker: its own connection to the database file, copying committed WAL
 * frames back into the database (a PASSIVE checkpoint: never waits for, never blocks, the writer)
 * twice a second. See checkpointer.ts. Not more often: a checkpoint copies each page once however
 * often it changed since the last one, and ends with a sync; at 100 ms the syncs and copies of hot
 * pages (the audit log's tail, B-tree inner pages) were what stalled the writer's own file writes,
 * which showed as a token-endpoint p99 of 37-65 ms under load, against 16-20 ms at 500 ms.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

export const CHECKPOINT_INTERVAL_MS = 500;

if (parentPort) {
  const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
  db.pragma("busy_timeout = 1000");
  const timer = setInterval(() => {
    try {
      db.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // Busy or closing: the next turn tries again, and the writer's own backstop remains.
    }
  }, CHECKPOINT_INTERVAL_MS);
  parentPort.on("message", (m: unknown) => {
    if (m !== "stop") return;
    clearInterval(timer);
    db.close();
    parentPort?.close();
  });
}
