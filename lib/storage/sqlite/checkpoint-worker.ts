/**
 * The body of the checkpoint worker: its own connection to the database file, copying committed WAL
 * frames back into the database (a PASSIVE checkpoint: never waits for, never blocks, the writer)
 * a few times a second. See checkpointer.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

export const CHECKPOINT_INTERVAL_MS = 100;

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
