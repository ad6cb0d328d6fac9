/**
 * Password hashing on worker threads of the lowest scheduling priority. A scrypt hash takes a core
 * for tens of milliseconds; on the main thread's priority a flood of failed logins would take half
 * of a two-core machine from the API. At nice 19 the kernel gives the request-serving thread the
 * CPU first and hashing gets what is left, so logins slow down under load instead of everything
 * else. Where thread priorities cannot be set, the workers run at normal priority.
 */
import { Worker } from "node:worker_threads";

export interface ScryptJob {
  password: string;
  salt: Buffer;
  keylen: number;
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

// Plain CommonJS evaluated as the worker: no file to locate, whichever bundle imports this module.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, 19);
} catch {}
parentPort.on("message", ({ id, job }) => {
  try {
    const key = scryptSync(job.password.normalize("NFKC"), Buffer.from(job.salt), job.keylen, { N: job.N, r: job.r, p: job.p, maxmem: job.maxmem });
    parentPort.postMessage({ id, key });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message) });
  }
});
`;

interface Pending {
  resolve(key: Buffer): void;
  reject(e: Error): void;
}

/** One worker thread running one hash at a time. */
export class HashWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** Ends the thread once nothing is pending on it. */
  close(): void {
    const w = this.worker;
    this.worker = null;
    if (w && this.pending.size === 0) void w.terminate();
  }

  hash(job: ScryptJob): Promise<Buffer> {
    const w = this.started();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) w.ref();
      w.postMessage({ id, job });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on("message", (m: { id: number; key?: Uint8Array; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.key) p.resolve(Buffer.from(m.key));
      else p.reject(new Error(m.error ?? "password hashing failed"));
    });
    const fail = (e: Error) => {
      this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on("error", fail);
    w.on("exit", (code) => fail(new Error(`password hashing worker exited (${code})`)));
    this.worker = w;
    return w;
  }
}
