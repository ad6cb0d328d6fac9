import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Keys derived from the one server secret. The secret itself never leaves this module; a leaked
 * database without it reveals no credential.
 */
export interface ServerKeys {
  /** HMAC-SHA256 key for lookup hashes of high-entropy credentials (sessions, API keys, tokens). */
  readonly lookup: Buffer;
  /** AES-256-GCM key for credentials the API must be able to return (API keys). */
  readonly encryption: Buffer;
  /** Signing secret for console session cookies. */
  readonly cookie: string;
  /** Short fingerprint of the secret, used to check two databases share it. */
  readonly fingerprint: string;
}

function derive(secret: string, label: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), `keyward:${label}`, length));
}

export function deriveKeys(secret: string): ServerKeys {
  return {
    lookup: derive(secret, "lookup"),
    encryption: derive(secret, "encryption"),
    cookie: derive(secret, "cookie").toString("base64url"),
    fingerprint: derive(secret, "fingerprint", 12).toString("base64url"),
  };
}

/**
 * The server secret from the environment or, on a first run without one, generated once into the
 * data folder with owner-only permissions.
 */
export function loadOrCreateSecret(dataDir: string, fromEnv?: string): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, "secret.key");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw e;
  }
}

export function lookupHash(keys: ServerKeys, value: string): string {
  return createHmac("sha256", keys.lookup).update(value, "utf8").digest("base64url");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, "utf8");
  const bb = Buffer.from(b, "utf8");
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** AES-256-GCM; output is iv.tag.ciphertext in base64url. `context` binds the ciphertext to its row. */
export function encrypt(keys: ServerKeys, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.encryption, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ct].map((b) => b.toString("base64url")).join(".");
}

export function decrypt(keys: ServerKeys, sealed: string, context: string): string {
  const [iv, tag, ct] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !ct) throw new Error("malformed ciphertext");
  const decipher = createDecipheriv("aes-256-gcm", keys.encryption, iv);
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
}

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function randomId(): string {
  return randomBytes(16).toString("hex");
}
