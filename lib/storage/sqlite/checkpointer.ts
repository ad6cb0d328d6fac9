/**
 * WAL checkpoints off the request thread. By default SQLite checkpoints inside the COMMIT that
 * takes the WAL past 1,000 pages: that commit copies every page back into the database and syncs it
 * (tens of milliseconds), and on a write-heavy path such as the token exchange this was about 40%
 * of each commit's cost. Once the store has written enough to matter, a worker thread with its own
 * connection checkpoints in the background, and the writer's own automatic checkpoint is raised to
 * a backstop that only acts if the worker falls far behind (or is gone). Started lazily, so test
 * runtimes that write little never start a thread.
 */
import type Database from "better-sqlite3";
import type { Worker } from "node:worker_threads";
import { spawnSiblingWorker } from "../../workers/spawn";

/** Commits after which the worker starts. */
const START_AFTER_COMMITS = 200;
/**
 * The writer's own checkpoint threshold once the worker runs (pages; about 200 MB at 4 KiB): far
 * beyond what half a second of writes adds, so it acts only if the worker falls behind or is gone.
 */
const BACKSTOP_PAGES = 50_000;

export class Checkpointer {
  private commits = 0;
  private worker: Worker | null = null;
  private stopped = false;

  constructor(private readonly sqlite: Database.Database) {}

  /** Whether the background worker is checkpointing (for tests and diagnostics). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Called after each commit of a write. */
  committed(): void {
    if (this.worker || this.stopped || ++this.commits < START_AFTER_COMMITS) return;
    if (this.sqlite.memory) {
      this.stopped = true;
      return;
    }
    const w = spawnSiblingWorker(import.meta.url, "checkpoint-worker", { file: this.sqlite.name });
    if (!w) {
      this.stopped = true;
      return;
    }
    w.unref();
    w.on("error", () => this.fallBack(w));
    w.on("exit", () => this.fallBack(w));
    this.worker = w;
    this.sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  }

  /** Without the worker the writer checkpoints as SQLite does by default. */
  private fallBack(w: Worker): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.stopped = true;
    if (this.sqlite.open) this.sqlite.pragma("wal_autocheckpoint = 1000");
  }

  close(): void {
    this.stopped = true;
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.postMessage("stop");
      void w.terminate();
    }
  }
}
