/**
 * The process-wide runtime: settings, server keys and the store, opened once (migrations applied,
 * first-run seed done) and shared by the Node entry and the Next.js route tree.
 */
import { openDatabase } from "../db/client";
import { systemClock, type Clock } from "./clock";
import { configurePasswordHashing } from "./crypto/password";
import { deriveKeys, loadOrCreateSecret, type ServerKeys } from "./crypto/secrets";
import { createLimiter, type InstanceLimiter } from "./security/limits";
import { LockedAttempts } from "./services/auth/locked-attempts";
import { ConfigError, loadSettings, type Settings } from "./env";
import { bootstrap, type BootstrapResult } from "./services/bootstrap";
import { ensureSigningKey } from "./services/ims/signing-keys";
import { createSqliteStore } from "./storage/sqlite/store";
import type { Store } from "./storage/types";

export interface Runtime {
  settings: Settings;
  keys: ServerKeys;
  store: Store;
  clock: Clock;
  customerId: string;
  bootstrap: BootstrapResult;
  /** The one rate limiter of this process. */
  limiter: InstanceLimiter;
  /** Refused attempts on locked accounts, audited once per lock period. */
  lockedAttempts: LockedAttempts;
}

export interface RuntimeOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
}

/**
 * The store adapter the configuration names (DATABASE_URL; SQLite at DATABASE_PATH by default), as a
 * function that opens it. An adapter this build does not have is refused here, before anything is written.
 */
function storeAdapter(settings: Settings): (clock: Clock) => Store {
  switch (settings.database.engine) {
    case "sqlite":
      return (clock) => {
        const { db, sqlite } = openDatabase(settings.databasePath);
        return createSqliteStore(db, sqlite, { clock });
      };
    case "postgres":
      throw new ConfigError(
        "DATABASE_URL names a PostgreSQL database, but PostgreSQL is not available yet in this version of Keyward. " +
          "Unset DATABASE_URL (or set it to sqlite:<file>) to use SQLite.",
      );
  }
}

export async function createRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const settings = loadSettings(opts.env);
  const clock = opts.clock ?? systemClock;
  const openStore = storeAdapter(settings);
  const secret = loadOrCreateSecret(settings.dataDir, settings.secret);
  const keys = deriveKeys(secret);
  // Before bootstrap, whose first-start admin is the first password hash.
  configurePasswordHashing({ concurrency: settings.limits.hashConcurrency, queue: settings.limits.hashQueue });
  const store = openStore(clock);
  let result: BootstrapResult;
  try {
    result = await bootstrap({ store, settings, clock, secretFingerprint: keys.fingerprint });
  } catch (e) {
    await store.close();
    throw e;
  }
  const rt: Runtime = {
    settings,
    keys,
    store,
    clock,
    customerId: result.customerId,
    bootstrap: result,
    limiter: createLimiter(settings.limits, clock),
    lockedAttempts: new LockedAttempts(),
  };
  try {
    // The IMS token signing key (a first start creates it; later starts find it).
    await ensureSigningKey(rt);
  } catch (e) {
    await store.close();
    throw e;
  }
  return rt;
}

const GLOBAL_KEY = Symbol.for("keyward.runtime");
type Holder = { [GLOBAL_KEY]?: Promise<Runtime> };

/** The shared runtime of this process (created on first use). */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as Holder;
  g[GLOBAL_KEY] ??= createRuntime().then((rt) => {
    if (rt.bootstrap.createdAdmin) printAdminLogin(rt);
    return rt;
  });
  return g[GLOBAL_KEY];
}

/** Installs an already created runtime as this process's shared one (the Node entry does this). */
export function setRuntime(rt: Runtime): void {
  (globalThis as Holder)[GLOBAL_KEY] = Promise.resolve(rt);
}

export function printAdminLogin(rt: Runtime): void {
  const a = rt.bootstrap.createdAdmin;
  if (!a) return;
  const lines = [
    "",
    "  Keyward: first start, an administrator was created.",
    `  Console:  ${rt.settings.publicUrl}/`,
    `  Username: ${a.username}`,
    a.generatedPassword ? `  Password: ${a.generatedPassword}   (shown once; change it under My account)` : "  Password: from KEYWARD_ADMIN_PASSWORD",
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
