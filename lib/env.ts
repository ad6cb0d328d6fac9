import path from "node:path";
import { z } from "zod";

/**
 * Runtime settings, read once from the environment and validated so that a typo fails the start
 * with a readable message instead of a surprise later.
 */
const EnvSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/keyward.db"),
  /** The database as a URL; wins over DATABASE_PATH. `sqlite:<file>` or a file path, or `postgres://...`. */
  DATABASE_URL: z.string().min(1).optional(),
  KEYWARD_DATA_DIR: z.string().min(1).optional(),
  KEYWARD_SECRET: z
    .string()
    .min(32, "KEYWARD_SECRET must be at least 32 characters (use: openssl rand -base64 48)")
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  KEYWARD_PUBLIC_URL: z.string().url("KEYWARD_PUBLIC_URL must be an absolute URL such as https://keyward.example.com").optional(),
  KEYWARD_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(480),
  KEYWARD_ADMIN_USERNAME: z.string().min(1).max(100).optional(),
  KEYWARD_ADMIN_PASSWORD: z
    .string()
    .min(8, "KEYWARD_ADMIN_PASSWORD must be at least 8 characters")
    .max(256, "KEYWARD_ADMIN_PASSWORD must be at most 256 characters (longer passwords are refused at sign-in)")
    .optional(),
  /** log2 of the scrypt cost; lower only for test suites that create many users. */
  KEYWARD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  NEXTAUTH_SECRET: z.string().optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  KEYWARD_TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false"),
  /** Failed password checks allowed per client address (and per account) per window; 0 = off. */
  KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).default(10),
  KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: z.coerce.number().int().min(0).max(100_000).default(10),
  /** Failed API credential presentations (unknown API key, session ID, token) per address per window; 0 = off. */
  KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).default(30),
  /** Failed OAuth client authentications and bad assertions per client ID per window (the per-address count shares the credential limit); 0 = off. */
  KEYWARD_LIMIT_CLIENT_PER_ID: z.coerce.number().int().min(0).max(100_000).default(30),
  KEYWARD_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Keys each limit remembers; the least recently seen are forgotten first. */
  /** A limited attempt is answered after this delay, so a flood's connections cost next to nothing. */
  KEYWARD_LIMIT_REFUSAL_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  KEYWARD_LIMIT_MAX_KEYS: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  /** Password hashes computed at once (low-priority threads), and how many more may wait; beyond that a check gets 503. */
  KEYWARD_PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  KEYWARD_PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(16),
});

export interface Limits {
  passwordPerAddress: number;
  passwordPerAccount: number;
  credentialPerAddress: number;
  clientPerId: number;
  windowMs: number;
  refusalDelayMs: number;
  maxKeys: number;
  hashConcurrency: number;
  hashQueue: number;
}

/** Which database adapter the runtime opens. */
export type DatabaseTarget = { engine: "sqlite" } | { engine: "postgres"; url: string };

export interface Settings {
  /** The SQLite file (also where a generated secret goes by default). */
  databasePath: string;
  database: DatabaseTarget;
  dataDir: string;
  secret?: string;
  port: number;
  host: string;
  publicUrl: string;
  sessionIdleMs: number;
  adminUsername?: string;
  adminPassword?: string;
  scryptLogN: number;
  trustProxy: boolean;
  limits: Limits;
}

export class ConfigError extends Error {}

/** DATABASE_URL: `postgres://` / `postgresql://`, or SQLite as `sqlite:<file>`, `file:<file>` or a plain path. */
function parseDatabaseUrl(url: string): { engine: "sqlite"; path: string } | { engine: "postgres"; url: string } {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") return { engine: "postgres", url };
  if (scheme === undefined) return { engine: "sqlite", path: url };
  if (scheme !== "sqlite" && scheme !== "file") {
    throw new ConfigError(`Invalid Keyward configuration:\n  - DATABASE_URL: unsupported scheme "${scheme}:" (use sqlite:<file> or postgres://...)`);
  }
  // sqlite:data/k.db, sqlite:/srv/k.db, sqlite:///srv/k.db, sqlite://./data/k.db
  const file = url.slice(scheme.length + 1).replace(/^\/\//, "");
  if (!file) throw new ConfigError("Invalid Keyward configuration:\n  - DATABASE_URL: no database file after the scheme");
  return { engine: "sqlite", path: file };
}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid Keyward configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const target = e.DATABASE_URL === undefined ? undefined : parseDatabaseUrl(e.DATABASE_URL);
  const databasePath = path.resolve(target?.engine === "sqlite" ? target.path : e.DATABASE_PATH);
  const publicUrl = (e.KEYWARD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    databasePath,
    database: target?.engine === "postgres" ? target : { engine: "sqlite" },
    dataDir: path.resolve(e.KEYWARD_DATA_DIR ?? path.dirname(databasePath)),
    secret: e.KEYWARD_SECRET,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    sessionIdleMs: e.KEYWARD_SESSION_IDLE_MINUTES * 60_000,
    adminUsername: e.KEYWARD_ADMIN_USERNAME,
    adminPassword: e.KEYWARD_ADMIN_PASSWORD,
    scryptLogN: e.KEYWARD_SCRYPT_LOG_N,
    trustProxy: e.KEYWARD_TRUST_PROXY === "true" || e.KEYWARD_TRUST_PROXY === "1",
    limits: {
      passwordPerAddress: e.KEYWARD_LIMIT_PASSWORD_PER_ADDRESS,
      passwordPerAccount: e.KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT,
      credentialPerAddress: e.KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS,
      clientPerId: e.KEYWARD_LIMIT_CLIENT_PER_ID,
      windowMs: e.KEYWARD_LIMIT_WINDOW_SECONDS * 1000,
      refusalDelayMs: e.KEYWARD_LIMIT_REFUSAL_DELAY_MS,
      maxKeys: e.KEYWARD_LIMIT_MAX_KEYS,
      hashConcurrency: e.KEYWARD_PASSWORD_HASH_CONCURRENCY,
      hashQueue: e.KEYWARD_PASSWORD_HASH_QUEUE,
    },
  };
}
