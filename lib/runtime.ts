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
import { loadSettings, type Settings } from "./env";
import { bootstrap, type BootstrapResult } from "./services/bootstrap";
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

export async function createRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const settings = loadSettings(opts.env);
  const secret = loadOrCreateSecret(settings.dataDir, settings.secret);
  const keys = deriveKeys(secret);
  const { db, sqlite } = openDatabase(settings.databasePath);
  const store = createSqliteStore(db, sqlite);
  const clock = opts.clock ?? systemClock;
  let result: BootstrapResult;
  try {
    result = await bootstrap({ store, settings, clock, secretFingerprint: keys.fingerprint });
  } catch (e) {
    store.close();
    throw e;
  }
  configurePasswordHashing({ concurrency: settings.limits.hashConcurrency, queue: settings.limits.hashQueue });
  return {
    settings,
    keys,
    store,
    clock,
    customerId: result.customerId,
    bootstrap: result,
    limiter: createLimiter(settings.limits, clock),
    lockedAttempts: new LockedAttempts(),
  };
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
