import path from "node:path";
import { z } from "zod";

/**
 * Runtime settings, read once from the environment and validated so that a typo fails the start
 * with a readable message instead of a surprise later.
 */
const EnvSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/keyward.db"),
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
  KEYWARD_ADMIN_PASSWORD: z.string().min(8, "KEYWARD_ADMIN_PASSWORD must be at least 8 characters").optional(),
  /** log2 of the scrypt cost; lower only for test suites that create many users. */
  KEYWARD_SCRYPT_LOG_N: z.coerce.number().int().min(10).max(20).default(15),
  NEXTAUTH_SECRET: z.string().optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  KEYWARD_TRUST_PROXY: z.enum(["true", "false", "1", "0"]).default("false"),
});

export interface Settings {
  databasePath: string;
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
}

export class ConfigError extends Error {}

export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const parsed = EnvSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid Keyward configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const databasePath = path.resolve(e.DATABASE_PATH);
  const publicUrl = (e.KEYWARD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    databasePath,
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
  };
}
