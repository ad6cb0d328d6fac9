/**
 * Runs the object searches that scan long text on a worker thread with its own read-only
 * connection. better-sqlite3 is synchronous and cannot interrupt a statement, so a scan of 10,000
 * descriptions (120 MB of multi-byte text, about a second) on the main connection would stop every
 * other request. On the worker it waits only its own caller; the worker runs at the lowest priority,
 * so the scan gets the CPU the request thread leaves. WAL lets it read while the main connection
 * writes; it sees every committed change.
 *
 * Bounded: at most `queueLimit` reads wait (beyond, 503), and a read unanswered after `deadlineMs`
 * is refused with 503 while the worker is replaced (a statement cannot be stopped, but it no longer
 * holds anyone up); reads queued behind it on that worker get a 503 to try again.
 */
import type { Worker } from "node:worker_threads";
import { ServiceBusy } from "../../errors";
import { spawnSiblingWorker } from "../../workers/spawn";
import type { ReadReply, ReadRequest } from "./read-worker";

const TOO_LONG = new ServiceBusy("The search took too long. Narrow its filters and try again.");
const BEHIND_A_LATE_READ = new ServiceBusy("The server was busy with a long search. Try again in a moment.");

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class ReadPool {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private unavailable = false;

  constructor(
    private readonly file: string,
    private readonly opts: { queueLimit: number; deadlineMs: number },
  ) {}

  /** False when no worker can be started here (then the caller reads on its own connection). */
  get available(): boolean {
    return !this.unavailable && this.started() !== null;
  }

  read(sql: string, params: unknown[], shape: ReadRequest["shape"]): Promise<unknown> {
    const w = this.started();
    if (!w) return Promise.reject(new Error("no read worker"));
    if (this.pending.size >= this.opts.queueLimit) return Promise.reject(new ServiceBusy("Too many searches over long text are running. Try again in a moment."));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.replace(BEHIND_A_LATE_READ, id, TOO_LONG), this.opts.deadlineMs);
      this.pending.set(id, { resolve, reject, timer });
      if (this.pending.size === 1) w.ref();
      w.postMessage({ id, sql, params, shape } satisfies ReadRequest);
    });
  }

  close(): void {
    this.unavailable = true;
    this.replace(new Error("the store is closed"));
  }

  private started(): Worker | null {
    if (this.worker || this.unavailable) return this.worker;
    const w = spawnSiblingWorker(import.meta.url, "read-worker", { file: this.file });
    if (!w) {
      this.unavailable = true;
      return null;
    }
    w.unref();
    w.on("message", (m: ReadReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (this.pending.size === 0) w.unref();
      if ("error" in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    w.on("error", (e) => this.worker === w && this.replace(e));
    w.on("exit", () => this.worker === w && this.replace(new Error("the read worker stopped")));
    this.worker = w;
    return w;
  }

  /**
   * Fails everything waiting on the current worker and lets the next read start a fresh one. A read
   * that ran out of time gets `lateReason`; the others, queued behind it on the same thread, `reason`.
   */
  private replace(reason: Error, lateId?: number, lateReason?: Error): void {
    const w = this.worker;
    this.worker = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(id === lateId && lateReason ? lateReason : reason);
    }
    this.pending.clear();
    if (w) void w.terminate();
  }
}
