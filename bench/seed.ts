/**
 * Benchmark data: fresh SQLite databases built through the project's own runtime (migrations, first
 * administrator), then filled in bulk inside one transaction each.
 *
 *   node --import tsx bench/seed.ts <folder> [refresh tokens] [IMS tokens]
 *
 * Reads KEYWARD_SECRET, KEYWARD_ADMIN_USERNAME and KEYWARD_ADMIN_PASSWORD from the environment (the
 * server started later must use the same values). Writes to <folder>:
 *   - search.db   1,000 users and 10,000 projects, owners spread over the users, and one
 *                 machine-to-machine OAuth2 application with a client secret and a generated key pair
 *                 (made through the services the console uses) for the JWT exchange, and one web
 *                 app with a client secret, a consent of one seeded user and <refresh tokens> (default
 *                 82,000) live refresh tokens of that user, each the only token of its own family, plus
 *                 two more for the checks before the run; and one JWT service credential (IMS) made
 *                 with createServiceCredential(), with <IMS tokens> access tokens from its exchange
 *   - apikeys.db  100,000 users, each with an API key, and the same 10,000 projects
 *   - credentials.json  the seeded users' password, a few plaintext API keys, and the OAuth2 app's
 *                 client ID, secret, private key (PKCS#8 PEM), key ID, the Customer ID (the JWT iss)
 *                 and the key creator's user ID (the JWT sub); the web app's client ID, secret, user
 *                 and its two check tokens; the service credential's bundle fields (client ID and
 *                 secret, technical account, org, PKCS#1 private key, metascopes) and its access tokens
 *   - refresh-tokens.txt  the plaintext refresh tokens of the load, one a line
 *
 * Every generated user shares ONE scrypt hash (computed once at the server's default cost), so
 * seeding does not spend minutes hashing while logins still verify a real hash at that cost.
 */
import { sign as rsaSign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../db/client";
import { hashPassword } from "../lib/crypto/password";
import { randomId } from "../lib/crypto/secrets";
import { createRuntime, type Runtime } from "../lib/runtime";
import { issueApiKey } from "../lib/services/api-keys/crypto";
import type { ServiceContext } from "../lib/services/context";
import { exchangeImsJwt } from "../lib/services/ims/exchange-jwt";
import { createOAuthApp } from "../lib/services/oauth-apps/create";
import { generateKeyPair } from "../lib/services/oauth-apps/generate-key-pair";
import { familyDeadline, mintRefreshToken } from "../lib/services/oauth/refresh-tokens";
import { createServiceCredential } from "../lib/services/service-credentials/create";
import type { StoredOAuthToken } from "../lib/storage/types";
import { consoleContext } from "../lib/testing/runtime";

const SEARCH_DB = "search.db";
const APIKEYS_DB = "apikeys.db";
const CREDENTIALS_FILE = "credentials.json";
const REFRESH_TOKENS_FILE = "refresh-tokens.txt";
/** The pool the driver sizes at its defaults (13 s at up to 6,000 req/s, + 5%, + 2 per connection). */
const DEFAULT_REFRESH_TOKENS = 82_000;
const MAX_REFRESH_TOKENS = 1_000_000;
/** Refresh tokens stored per transaction. */
const REFRESH_BATCH = 10_000;
/** The seeded user the web app's refresh tokens belong to (not the one the searches log in as). */
const REFRESH_USER = 2;
/** Access tokens of the service credential the IMS Bearer search rotates through. */
const DEFAULT_IMS_TOKENS = 10;
const MAX_IMS_TOKENS = 1_000;

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
  /** Also create a machine-to-machine OAuth2 app with a secret and a key pair. */
  oauthApp?: boolean;
  /** Also create a JWT service credential (IMS) and exchange this many of its JWTs for access tokens. */
  imsTokens?: number;
  /** Also create a web OAuth2 app and this many refresh tokens of one user, written to `refreshTokensFile`. */
  refreshTokens?: number;
  refreshTokensFile?: string;
}

/** What the load generator needs to sign `jwt_token`s and exchange them. */
interface OAuthAppSeed {
  clientId: string;
  clientSecret: string;
  /** The JWT `iss`. */
  customerId: string;
  /** The JWT `sub`: the administrator who generated the key. */
  subject: string;
  /** The JWT header's `kid`. */
  keyId: string;
  privateKeyPem: string;
}

/** What the load generator needs for the refresh_token grant (the tokens themselves are in their file). */
interface RefreshAppSeed {
  clientId: string;
  clientSecret: string;
  userId: string;
  username: string;
  /** How many tokens the file holds. */
  tokens: number;
  tokensFile: string;
  /** Two more tokens, outside the file, for the checks before the run. */
  checkTokens: [string, string];
  ms: number;
}

/** What the load generator needs to sign `jwt_token`s for /ims/exchange/jwt, and tokens to search with. */
interface ServiceCredentialSeed {
  clientId: string;
  clientSecret: string;
  /** The JWT `sub`. */
  technicalAccountId: string;
  /** The JWT `iss`. */
  org: string;
  /** PKCS#1 PEM, as the bundle has it. */
  privateKeyPem: string;
  metascopes: string[];
  /** Access tokens from the exchange (each from its own JWT), for the Bearer search. */
  accessTokens: string[];
  ms: number;
}

interface SeedResult {
  file: string;
  users: number;
  projects: number;
  apiKeys: number;
  usernames: string[];
  keys: { userId: string; username: string; apiKey: string }[];
  oauthApp?: OAuthAppSeed;
  refreshApp?: RefreshAppSeed;
  serviceCredential?: ServiceCredentialSeed;
  ms: number;
}

const username = (i: number) => `bench.user${String(i).padStart(6, "0")}`;

async function seed(spec: SeedSpec, passwordHash: string, env: Record<string, string | undefined>): Promise<SeedResult> {
  const started = Date.now();
  const rt = await createRuntime({ env: { ...env, DATABASE_PATH: spec.file } });
  const keys = rt.keys;
  const oauthApp = spec.oauthApp ? await seedOAuthApp(rt, env.KEYWARD_ADMIN_USERNAME) : undefined;
  const serviceCredential = spec.imsTokens ? await seedServiceCredential(rt, env.KEYWARD_ADMIN_USERNAME, spec.imsTokens) : undefined;
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
  sqlite.close();

  // The refresh tokens need the seeded user, so their runtime opens after the bulk insert.
  let refreshApp: RefreshAppSeed | undefined;
  if (spec.refreshTokens) {
    if (!spec.refreshTokensFile) throw new Error("refreshTokensFile is required with refreshTokens");
    const rtRefresh = await createRuntime({ env: { ...env, DATABASE_PATH: spec.file } });
    try {
      refreshApp = await seedRefreshApp(rtRefresh, env.KEYWARD_ADMIN_USERNAME, username(REFRESH_USER), spec.refreshTokens, spec.refreshTokensFile);
    } finally {
      await rtRefresh.store.close();
    }
  }

  const final = openDatabase(spec.file).sqlite;
  final.pragma("wal_checkpoint(TRUNCATE)");
  final.exec("ANALYZE");
  final.close();

  return {
    file: spec.file,
    users: spec.users,
    projects: spec.projects,
    apiKeys: spec.apiKeys ? spec.users : 0,
    usernames: [0, 1, 2, 3, 4].filter((i) => i < spec.users).map(username),
    keys: sampleKeys,
    oauthApp,
    refreshApp,
    serviceCredential,
    ms: Date.now() - started,
  };
}

/** The administrator's service context, as in the console. */
async function adminContext(rt: Runtime, adminUsername: string | undefined): Promise<ServiceContext> {
  if (!adminUsername) throw new Error("KEYWARD_ADMIN_USERNAME must be set: the OAuth2 apps are created as that administrator");
  if (!(await rt.store.users.byUsername(adminUsername))) throw new Error(`no administrator ${adminUsername} after the first start`);
  return consoleContext(rt, adminUsername, { ip: "127.0.0.1" });
}

/**
 * A machine-to-machine app as an administrator makes it in the console: created (its first secret
 * shown once), then a generated RSA key pair whose private half is returned once.
 */
async function seedOAuthApp(rt: Runtime, adminUsername: string | undefined): Promise<OAuthAppSeed> {
  const ctx = await adminContext(rt, adminUsername);
  const { app, secret } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "bench machine-to-machine" });
  if (!secret) throw new Error("the machine-to-machine app got no client secret");
  const { privateKeyPem, key } = await generateKeyPair(ctx, app.clientId);
  return { clientId: app.clientId, clientSecret: secret, customerId: app.customerId, subject: key.createdBy, keyId: key.id, privateKeyPem };
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/**
 * A JWT service credential as an administrator gets it in the Developer Console (its bundle: client ID
 * and secret, technical account, org, private key), then `tokens` exchanges through the service the
 * endpoint calls, each with its own JWT shaped as @adobe/jwt-auth signs it (no kid, no jti; a distinct
 * exp each), for the access tokens the Bearer search sends.
 */
async function seedServiceCredential(rt: Runtime, adminUsername: string | undefined, tokens: number): Promise<ServiceCredentialSeed> {
  const started = Date.now();
  const ctx = await adminContext(rt, adminUsername);
  const bundle = await createServiceCredential(ctx, { name: "bench service credential" });
  const { technicalAccount, id: technicalAccountId, org, privateKey } = bundle.integration;
  if (!privateKey) throw new Error("the JWT service credential's bundle has no private key");
  const metascopes = bundle.integration.metascopes.split(",");
  const imsBase = `https://${bundle.integration.imsEndpoint}`;
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const now = Math.floor(Date.now() / 1000);
  const accessTokens: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const claims: Record<string, unknown> = { exp: now + 600 + i, iss: org, sub: technicalAccountId, aud: `${imsBase}/c/${technicalAccount.clientId}` };
    for (const m of metascopes) claims[`${imsBase}/s/${m}`] = true;
    claims.iat = now;
    const input = `${header}.${base64url(JSON.stringify(claims))}`;
    const jwt = `${input}.${base64url(rsaSign("sha256", Buffer.from(input), privateKey))}`;
    const answer = await exchangeImsJwt({ rt, actor: null, meta: { ip: "127.0.0.1" } }, { clientId: technicalAccount.clientId, clientSecret: technicalAccount.clientSecret, jwt });
    if (answer.token_type !== "bearer" || typeof answer.access_token !== "string") throw new Error(`the IMS exchange answered ${JSON.stringify(answer)}`);
    accessTokens.push(answer.access_token);
  }
  if (new Set(accessTokens).size !== accessTokens.length) throw new Error("two IMS access tokens are equal");
  return {
    clientId: technicalAccount.clientId,
    clientSecret: technicalAccount.clientSecret,
    technicalAccountId,
    org,
    privateKeyPem: privateKey,
    metascopes,
    accessTokens,
    ms: Date.now() - started,
  };
}

/**
 * A web app as an administrator makes it in the console (its first secret shown once), a user's
 * consent to it, and `count` + 2 refresh tokens of that user. Each token is the only one of its own
 * family, as if each came from its own authorization (code redemption): rotating one, or refusing
 * one sent twice (which revokes its family), leaves every other token alone. The tokens are minted
 * as the code grant mints them and stored REFRESH_BATCH per transaction.
 */
async function seedRefreshApp(rt: Runtime, adminUsername: string | undefined, userName: string, count: number, file: string): Promise<RefreshAppSeed> {
  const started = Date.now();
  const ctx = await adminContext(rt, adminUsername);
  const user = await rt.store.users.byUsername(userName);
  if (!user) throw new Error(`no seeded user ${userName}`);
  const { app, secret } = await createOAuthApp(ctx, { type: "web", name: "bench web", redirectUris: ["https://bench.example/cb"], tokenType: "Bearer" });
  if (!secret) throw new Error("the web app got no client secret");
  const stored = await rt.store.oauthApps.byClientId(app.clientId);
  if (!stored) throw new Error(`the web app ${app.clientId} is not stored`);
  if (!stored.refreshRotation) throw new Error("the web app was created without refresh-token rotation");
  const now = rt.clock.now();
  await rt.store.consents.put({ userId: user.id, clientId: app.clientId, scope: "", createdAt: now, updatedAt: now });

  const expiresAt = familyDeadline(stored, now);
  const tokens = new Array<string>(count + 2);
  for (let done = 0; done < tokens.length; ) {
    const n = Math.min(REFRESH_BATCH, tokens.length - done);
    // Minted (HMAC of each value) before the transaction, which then awaits only its own inserts.
    const rows = new Array<StoredOAuthToken>(n);
    for (let i = 0; i < n; i++) {
      const minted = mintRefreshToken(rt, { clientId: app.clientId, userId: user.id, familyId: randomId(), scope: "", expiresAt });
      tokens[done + i] = minted.token;
      rows[i] = minted.stored;
    }
    await rt.store.transaction(async (tx) => {
      for (const row of rows) await tx.oauthTokens.create(row);
    });
    done += n;
  }
  if (new Set(tokens).size !== tokens.length) throw new Error("two refresh tokens are equal");
  const checkTokens: [string, string] = [tokens[count]!, tokens[count + 1]!];
  fs.writeFileSync(file, tokens.slice(0, count).join("\n") + "\n", { mode: 0o600 });
  return {
    clientId: app.clientId,
    clientSecret: secret,
    userId: user.id,
    username: user.username,
    tokens: count,
    tokensFile: path.basename(file),
    checkTokens,
    ms: Date.now() - started,
  };
}

function countArg(arg: string | undefined, what: string, dflt: number, max: number): number {
  if (arg === undefined) return dflt;
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`the ${what} count must be an integer from 1 to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node --import tsx bench/seed.ts <folder> [refresh tokens] [IMS tokens]");
  const refreshTokens = countArg(process.argv[3], "refresh token", DEFAULT_REFRESH_TOKENS, MAX_REFRESH_TOKENS);
  const imsTokens = countArg(process.argv[4], "IMS token", DEFAULT_IMS_TOKENS, MAX_IMS_TOKENS);
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

  const search = await seed(
    {
      file: path.join(dir, SEARCH_DB),
      users: 1_000,
      projects: PROJECTS,
      apiKeys: false,
      oauthApp: true,
      imsTokens,
      refreshTokens,
      refreshTokensFile: path.join(dir, REFRESH_TOKENS_FILE),
    },
    passwordHash,
    env,
  );
  const apikeys = await seed({ file: path.join(dir, APIKEYS_DB), users: 100_000, projects: PROJECTS, apiKeys: true }, passwordHash, env);

  const out = {
    password: USER_PASSWORD,
    scryptLogN: logN,
    search: { ...search, keys: undefined, oauthApp: undefined, refreshApp: undefined, serviceCredential: undefined },
    apikeys,
    oauthApp: search.oauthApp,
    refreshApp: search.refreshApp,
    serviceCredential: search.serviceCredential,
  };
  fs.writeFileSync(path.join(dir, CREDENTIALS_FILE), JSON.stringify(out, null, 2), { mode: 0o600 });
  for (const r of [search, apikeys]) {
    const app = r.oauthApp ? ", 1 machine-to-machine OAuth2 app with a key pair" : "";
    const ims = r.serviceCredential ? `, 1 JWT service credential with ${r.serviceCredential.accessTokens.length} access tokens (${r.serviceCredential.ms} ms)` : "";
    const web = r.refreshApp ? `, 1 web OAuth2 app with ${r.refreshApp.tokens} + 2 refresh tokens of ${r.refreshApp.username} (${r.refreshApp.ms} ms of it)` : "";
    console.log(`seeded ${path.basename(r.file)}: ${r.users} users, ${r.projects} projects, ${r.apiKeys} API keys${app}${ims}${web} in ${r.ms} ms`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
