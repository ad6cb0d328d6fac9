import { randomBytes, timingSafeEqual } from "node:crypto";
import { ServiceBusy } from "../errors";
import { HashWorker, type ScryptJob } from "./hash-worker";

/**
 * scrypt password hashes in a self-describing format: `scrypt$<logN>$<r>$<p>$<salt>$<hash>`.
 * Parameters live in each hash, so raising the cost later keeps old hashes verifiable.
 */
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * Bounds the password hashing in flight: `concurrency` low-priority worker threads, each hashing one
 * password at a time, and a short queue; beyond the queue a check is refused at once with 503
 * rather than waited on, so a flood of failed logins cannot build an unbounded backlog.
 */
export class HashGate {
  private readonly idle: HashWorker[];
  private readonly waiting: ((w: HashWorker) => void)[] = [];
  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {
    this.idle = Array.from({ length: concurrency }, () => new HashWorker());
  }

  async hash(job: ScryptJob): Promise<Buffer> {
    let worker = this.idle.pop();
    if (!worker) {
      if (this.waiting.length >= this.queueLimit) throw new ServiceBusy("Too many sign-in attempts are being checked right now. Try again in a moment.");
      worker = await new Promise<HashWorker>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await worker.hash(job);
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Stops the idle workers (work in flight finishes on the worker it runs on). */
  close(): void {
    for (const w of this.idle.splice(0)) w.close();
  }
}

// One gate per process, even where a bundler loads this module twice (the Node entry and Next's
// server bundle share the process).
const GATE = Symbol.for("keyward.passwordHashGate");
type Holder = { [GATE]?: HashGate };

function gate(): HashGate {
  return ((globalThis as Holder)[GATE] ??= new HashGate(2, 16));
}

/** Sets the process-wide bound on password hashing (from the settings at start). */
export function configurePasswordHashing(opts: { concurrency: number; queue: number }): void {
  const g = (globalThis as Holder)[GATE];
  if (!g || g.concurrency !== opts.concurrency || g.queueLimit !== opts.queue) {
    (globalThis as Holder)[GATE] = new HashGate(opts.concurrency, opts.queue);
    g?.close();
  }
}

function scryptAsync(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // NFKC normalisation runs on the worker too: its cost grows faster than linearly on crafted input.
  return gate().hash({ password, salt, keylen: KEYLEN, N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

export async function hashPassword(password: string, logN = 15): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, logN, R, P);
  return ["scrypt", logN, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, logN = "", r = "", p = "", salt = "", hash = ""] = parts;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), Number(logN), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when the username is unknown so timing reveals nothing. */
let decoy: Promise<string> | undefined;
export function decoyHash(logN: number): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"), logN);
  return decoy;
}

export const PASSWORD_MIN_LENGTH = 8;
/** No password is longer, so a longer one is wrong without hashing it. */
export const PASSWORD_MAX_LENGTH = 256;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}
