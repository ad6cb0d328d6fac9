/**
 * Benchmark data: fresh SQLite databases built through the project's own runtime (migrations, first
 * administrator), then filled in bulk inside one transaction each.
 *
 *   node --import tsx bench/seed.ts <folder>
 *
 * Reads KEYWARD_SECRET, KEYWARD_ADMIN_USERNAME and KEYWARD_ADMIN_PASSWORD from the environment (the
 * server started later must use the same values). Writes to <folder>:
 *   - search.db   1,000 users and 10,000 projects, owners spread over the users
 *   - apikeys.db  100,000 users, each with an API key, and the same 10,000 projects
 *   - credentials.json  the seeded users' password and a few plaintext API keys
 *
 * Every generated user shares ONE scrypt hash (computed once at the server's default cost), so
 * seeding does not spend minutes hashing while logins still verify a real hash at that cost.
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../db/client";
import { hashPassword } from "../lib/crypto/password";
import { randomId } from "../lib/crypto/secrets";
import { createRuntime } from "../lib/runtime";
import { issueApiKey } from "../lib/services/api-keys/crypto";

const SEARCH_DB = "search.db";
const APIKEYS_DB = "apikeys.db";
const CREDENTIALS_FILE = "credentials.json";

const USER_PASSWORD = "bench-password-1";
const PROJECTS = 10_000;
const SAMPLE_KEYS = 20;
const STATUSES = ["CUR", "PLN", "CPL", "ONH", "REQ"];
const DAY = 86_400_000;

interface SeedSpec {
  file: string;
  users: number;
  projects: number;
  apiKeys: boolean;
}

interface SeedResult {
  file: string;
  users: number;
  projects: number;
  apiKeys: number;
  usernames: string[];
  keys: { userId: string; username: string; apiKey: string }[];
  ms: number;
}

const username = (i: number) => `bench.user${String(i).padStart(6, "0")}`;

async function seed(spec: SeedSpec, passwordHash: string, env: Record<string, string | undefined>): Promise<SeedResult> {
  const started = Date.now();
  const rt = await createRuntime({ env: { ...env, DATABASE_PATH: spec.file } });
  const keys = rt.keys;
  await rt.store.close();

  const { sqlite } = openDatabase(spec.file);
  const now = Date.now();
  const insertUser = sqlite.prepare(
    `INSERT INTO users (id, username, name, email, password_hash, access_level, is_active, password_changed_at,
       failed_logins, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'user', 1, ?, 0, ?, ?)`,
  );
  const insertKey = sqlite.prepare(
    "INSERT INTO api_keys (user_id, lookup_hash, ciphertext, hint, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, NULL)",
  );
  const insertProject = sqlite.prepare(
    `INSERT INTO projects (id, name, description, status, priority, percent_complete, planned_start_date,
       planned_completion_date, owner_id, entry_date, last_update_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const userIds = new Array<string>(spec.users);
  const sampleKeys: SeedResult["keys"] = [];
  const sampleEvery = Math.max(1, Math.floor(spec.users / SAMPLE_KEYS));

  sqlite.transaction(() => {
    for (let i = 0; i < spec.users; i++) {
      const id = randomId();
      userIds[i] = id;
      const name = username(i);
      insertUser.run(id, name, `Bench User ${i}`, `${name}@bench.invalid`, passwordHash, now, now, now);
      if (spec.apiKeys) {
        const issued = issueApiKey(keys, id);
        insertKey.run(id, issued.stored.lookupHash, issued.stored.ciphertext, issued.stored.hint, now);
        if (i % sampleEvery === 0 && sampleKeys.length < SAMPLE_KEYS) sampleKeys.push({ userId: id, username: name, apiKey: issued.shown });
      }
    }
    for (let i = 0; i < spec.projects; i++) {
      const start = now - (i % 365) * DAY;
      insertProject.run(
        randomId(),
        `Project ${String(i).padStart(5, "0")}`,
        i % 3 === 0 ? null : `Generated project ${i} for the benchmark`,
        STATUSES[i % STATUSES.length],
        i % 5,
        (i * 7) % 101,
        start,
        start + 90 * DAY,
        userIds[i % spec.users],
        start,
        start,
      );
    }
  })();
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("ANALYZE");
  sqlite.close();

  return {
    file: spec.file,
    users: spec.users,
    projects: spec.projects,
    apiKeys: spec.apiKeys ? spec.users : 0,
    usernames: [0, 1, 2, 3, 4].filter((i) => i < spec.users).map(username),
    keys: sampleKeys,
    ms: Date.now() - started,
  };
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node --import tsx bench/seed.ts <folder>");
  fs.mkdirSync(dir, { recursive: true });
  const env: Record<string, string | undefined> = {
    KEYWARD_SECRET: process.env.KEYWARD_SECRET,
    KEYWARD_ADMIN_USERNAME: process.env.KEYWARD_ADMIN_USERNAME,
    KEYWARD_ADMIN_PASSWORD: process.env.KEYWARD_ADMIN_PASSWORD,
    KEYWARD_SCRYPT_LOG_N: process.env.KEYWARD_SCRYPT_LOG_N,
    KEYWARD_DATA_DIR: dir,
  };
  if (!env.KEYWARD_SECRET) throw new Error("KEYWARD_SECRET must be set so the server can verify the seeded keys");

  const logN = Number(env.KEYWARD_SCRYPT_LOG_N || 15);
  const passwordHash = await hashPassword(USER_PASSWORD, logN);

  const search = await seed({ file: path.join(dir, SEARCH_DB), users: 1_000, projects: PROJECTS, apiKeys: false }, passwordHash, env);
  const apikeys = await seed({ file: path.join(dir, APIKEYS_DB), users: 100_000, projects: PROJECTS, apiKeys: true }, passwordHash, env);

  const out = {
    password: USER_PASSWORD,
    scryptLogN: logN,
    search: { ...search, keys: undefined },
    apikeys,
  };
  fs.writeFileSync(path.join(dir, CREDENTIALS_FILE), JSON.stringify(out, null, 2), { mode: 0o600 });
  for (const r of [search, apikeys]) {
    console.log(`seeded ${path.basename(r.file)}: ${r.users} users, ${r.projects} projects, ${r.apiKeys} API keys in ${r.ms} ms`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
