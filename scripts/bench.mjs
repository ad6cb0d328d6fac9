// npm run bench: throughput and latency of the API credential checks against a peer authorization
// server (node-oidc-provider token introspection), of the OAuth2 JWT exchange against the peer's
// client_credentials grant with private_key_jwt (and of the service credentials' IMS JWT exchange
// against the same), of the OAuth2 refresh-token grant against the peer's client_credentials grant
// with client_secret_basic, all on 127.0.0.1 with generated databases in a
// temporary folder, and the API-key search's rate while failed logins flood the same server. See
// bench/README.md for what is measured and how to read the figures.
//
// Knobs (environment): BENCH_CONNECTIONS (50), BENCH_WARMUP seconds (3), BENCH_DURATION seconds (10),
// BENCH_KEEP=1 keeps the temporary folder, BENCH_CPU_PROF=1 writes V8 CPU profiles of the Keyward
// servers to bench/results/profiles/. NEXT_DIST_DIR selects the build folder, as for npm start.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import {
  exchangeAssertionPool,
  imsExchangeContentType,
  imsExchangePool,
  peerAssertionPool,
  peerBasicRequest,
  rotatingRequests,
} from "../bench/peer/assertions.mjs";
import { SERVER_ENTRY } from "./build-server.mjs";
import { ensureBuild } from "./start.mjs";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench", "results");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

const CONNECTIONS = intEnv("BENCH_CONNECTIONS", 50);
const WARMUP_S = intEnv("BENCH_WARMUP", 3);
const DURATION_S = intEnv("BENCH_DURATION", 10);
const KEEP = process.env.BENCH_KEEP === "1";
const CPU_PROF = process.env.BENCH_CPU_PROF === "1";
/** The whole run (after the build) is cut off after this long. */
const WATCHDOG_MS = 10 * 60_000;
const READY_TIMEOUT_MS = 90_000;
const RSS_SAMPLE_MS = 200;
const SCRYPT_LOG_N = 15; // the server's default cost: login figures are only honest at it

const SECRET = "keyward-bench-secret-not-for-production-0123456789";
const ADMIN = { username: "bench-admin", password: "bench-admin-password" };
const SEARCH_PATH = "/attask/api/v20.0/proj/search?$$LIMIT=20";
const LOGIN_PATH = "/attask/api/v20.0/login";
const EXCHANGE_PATH = "/integrations/oauth2/api/v1/jwt/exchange";
const TOKEN_PATH = "/integrations/oauth2/api/v1/token";
// as @adobe/jwt-auth posts it, with the trailing slash
const IMS_EXCHANGE_PATH = "/ims/exchange/jwt/";
const TARGET = { ratio: 1.3, p99Ms: 25 };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/**
 * What each "vs peer" ratio divides by: the peer's introspection (mean of its two runs), or one run of
 * its client_credentials grant (private_key_jwt, or client_secret_basic).
 */
const BASELINES = {
  introspection: { label: "introspection", rowIds: ["peer-introspection-1", "peer-introspection-2"] },
  clientCredentialsJwt: { label: "client_credentials with private_key_jwt", rowIds: ["peer-cc-jwt"] },
  clientCredentialsBasic: { label: "client_credentials with client_secret_basic", rowIds: ["peer-cc-basic"] },
};

/** Each target: a Keyward row, the peer baseline its ratio is to, the ratio wanted (and aimed at). */
const TARGETS = [
  { id: "fast-session-search", baseline: "introspection", ratio: TARGET.ratio, p99Ms: TARGET.p99Ms },
  { id: "fast-apikey-search", baseline: "introspection", ratio: TARGET.ratio, p99Ms: TARGET.p99Ms },
  { id: "fast-jwt-exchange", baseline: "clientCredentialsJwt", ratio: 1.5, aim: 2, p99Ms: TARGET.p99Ms },
  { id: "fast-token-search", baseline: "introspection", ratio: 1.6, p99Ms: TARGET.p99Ms },
  { id: "fast-ims-exchange", baseline: "clientCredentialsJwt", ratio: TARGET.ratio, p99Ms: TARGET.p99Ms },
  { id: "fast-ims-search", baseline: "introspection", ratio: 1.6, p99Ms: TARGET.p99Ms },
  { id: "fast-refresh-token", baseline: "clientCredentialsBasic", ratio: TARGET.ratio, p99Ms: TARGET.p99Ms },
];

/**
 * Pools of single-use bodies, one per request for warm-up and measured run together: pre-signed JWTs
 * (the exchange, the peer's private_key_jwt) and seeded refresh tokens (each works once: rotation).
 * Sized from an upper bound of each server's rate (req/s) plus the bodies each connection takes when
 * it starts, with a margin. A pool that runs out shows as replays (the row is then marked with errors).
 */
const POOL_RATE_BOUND = { keyward: 9_000, peer: 3_500 };
const poolSize = (rateBound, connections) => Math.ceil((WARMUP_S + DURATION_S) * rateBound * 1.05) + 2 * connections;
/** Lifetime of our pool's jwt_tokens: well past the run, within the exchange's 24 h limit. */
const EXCHANGE_JWT_LIFETIME_S = 3600;
/**
 * The IMS exchange's pool: multipart bodies (as @adobe/jwt-auth sends them), JWTs without jti whose
 * exp runs over EXP_SPREAD_S seconds from MIN_LIFETIME_S ahead (then iat steps back), so all differ.
 */
const IMS_POOL = { format: "multipart", minLifetimeSeconds: 600, expSpreadSeconds: 43_200 };
/** Access tokens the seed gets from the IMS exchange; the IMS Bearer search rotates through them. */
const IMS_SEARCH_TOKENS = 10;

/** The login flood: failed password logins sent by a second load generator during a search run. */
const FLOOD = {
  connections: 20,
  usernames: 50, // per case, rotated over the requests
  realUsers: 10, // of them seeded accounts, the rest unknown names
  password: "wrong-password",
  target: { ratio: 0.8 }, // search req/s under the flood / the same search alone
};
/** Server settings that switch the login rate limits off, leaving concurrent password hashing as the only bound. */
const RATE_LIMITS_OFF = {
  KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "0",
  KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "0",
  KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0",
};

function intEnv(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

// ---------------------------------------------------------------- child processes

/** Every process this run started and has not seen exit, by pid. */
const children = new Map();

/** The pid and all its descendants (Linux /proc), children first so a parent cannot respawn them. */
function processTree(pid) {
  const out = [];
  const walk = (p) => {
    let kids = [];
    try {
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const text = fs.readFileSync(`/proc/${p}/task/${t}/children`, "utf8").trim();
        if (text) kids.push(...text.split(/\s+/).map(Number));
      }
    } catch {
      kids = [];
    }
    for (const k of kids) walk(k);
    out.push(p);
  };
  walk(pid);
  return out;
}

function killTree(pid, signal) {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

function killAllNow() {
  for (const pid of children.keys()) killTree(pid, "SIGKILL");
  children.clear();
}

function startProcess(name, args, { env, logFile }) {
  const fd = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  children.set(child.pid, child);
  const proc = { name, child, pid: child.pid, logFile, exited: null };
  proc.exitPromise = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child.pid);
      proc.exited = { code, signal };
      resolve(proc.exited);
    }),
  );
  return proc;
}

async function stopProcess(proc) {
  if (!proc || proc.exited) return;
  const tree = processTree(proc.pid);
  for (const p of tree) {
    try {
      process.kill(p, "SIGTERM");
    } catch {
      // already gone
    }
  }
  const timer = new Promise((r) => setTimeout(r, 10_000, "timeout"));
  if ((await Promise.race([proc.exitPromise, timer])) === "timeout") {
    for (const p of tree) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await proc.exitPromise;
  }
}

function logTail(proc, lines = 30) {
  try {
    return fs.readFileSync(proc.logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Runs a process to completion; rejects with its log tail when it fails or takes too long. */
async function runToEnd(name, args, opts, timeoutMs) {
  const proc = startProcess(name, args, opts);
  const timer = new Promise((r) => setTimeout(r, timeoutMs, "timeout").unref());
  const r = await Promise.race([proc.exitPromise, timer]);
  if (r === "timeout") {
    await stopProcess(proc);
    throw new Error(`${name} took longer than ${timeoutMs / 1000} s\n${logTail(proc)}`);
  }
  if (r.code !== 0) throw new Error(`${name} failed (${r.code ?? r.signal})\n${logTail(proc)}`);
  return proc;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` resolves truthy, failing early when the process exits. */
async function waitFor(proc, what, check) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exited) throw new Error(`${proc.name} exited (${proc.exited.code ?? proc.exited.signal}) before ${what}\n${logTail(proc)}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`${proc.name}: no ${what} after ${READY_TIMEOUT_MS / 1000} s\n${logTail(proc)}`);
}

// ---------------------------------------------------------------- memory

/** Resident set of a process tree in bytes (0 when gone). */
function treeRss(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

class RssSampler {
  constructor(pid) {
    this.pid = pid;
    this.peak = treeRss(pid);
    this.start = this.peak;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, treeRss(this.pid));
    }, RSS_SAMPLE_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, treeRss(this.pid));
    return { startMB: mb(this.start), peakMB: mb(this.peak) };
  }
}

/** CPU time (user + system, clock ticks) used so far by a process tree. */
function treeCpuTicks(pid) {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * Waits until the server has finished the work the warm-up left behind (requests still being
 * computed when the load generator hung up), so it does not spill into the measured run.
 */
async function settle(pid, maxMs = 15_000) {
  const deadline = Date.now() + maxMs;
  let last = treeCpuTicks(pid);
  while (Date.now() < deadline) {
    await sleep(250);
    const now = treeCpuTicks(pid);
    if (now - last <= 2) return;
    last = now;
  }
}

const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// ---------------------------------------------------------------- load

/** The load generators running now (two during a login flood). */
const cannons = new Set();

function cannon(opts, seconds) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: seconds, ...opts }, (err, res) => {
      cannons.delete(instance);
      if (err) reject(err);
      else resolve(res);
    });
    cannons.add(instance);
  });
}

function stopCannons() {
  for (const c of cannons) c.stop();
}

const statusCounts = (res) => Object.fromEntries(Object.entries(res.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));

const cannonOptions = (s) => ({
  url: s.url,
  method: s.method ?? "GET",
  headers: s.headers ?? {},
  body: s.body,
  // a rotating pool (bench/peer/assertions.mjs): a new body for every request
  ...(s.requests ? { requests: s.requests } : {}),
  verifyBody: s.verify,
  timeout: s.timeout ?? 10,
  connections: s.connections ?? CONNECTIONS,
});

/** Warm-up, then the measured run, sampling the server's memory throughout. */
async function scenario(s) {
  process.stdout.write(`\n> ${s.label}\n  warm-up ${WARMUP_S} s, measuring ${DURATION_S} s with ${s.connections ?? CONNECTIONS} connections ... `);
  const opts = cannonOptions(s);
  const sampler = new RssSampler(s.proc.pid);
  let res;
  try {
    await cannon(opts, WARMUP_S);
    await settle(s.proc.pid);
    res = await cannon(opts, DURATION_S);
  } finally {
    s.rss = sampler.stop();
  }
  const row = scenarioRow(s, opts, res);
  console.log(`${row.reqPerSec} req/s, p99 ${row.latencyMs.p99} ms${row.flagged ? "  (ERRORS, see table)" : ""}`);
  return row;
}

/**
 * A scenario whose measured run shares the server with a flood of failed logins from a second load
 * generator, started and stopped with it. The warm-up runs without the flood.
 */
async function floodScenario(s, flood) {
  process.stdout.write(
    `\n> ${s.label}\n  warm-up ${WARMUP_S} s, measuring ${DURATION_S} s with ${CONNECTIONS} connections` +
      ` + ${FLOOD.connections} connections of failed logins ... `,
  );
  const opts = cannonOptions(s);
  let next = 0;
  const floodOpts = {
    url: flood.url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    // one request whose body is the next username's, in turn over all connections
    requests: [{ setupRequest: (req) => ({ ...req, body: flood.bodies[next++ % flood.bodies.length] }) }],
    connections: FLOOD.connections,
    // logins queue behind the scrypt threads when nothing answers them cheaply
    timeout: 60,
  };
  const sampler = new RssSampler(s.proc.pid);
  let res, floodRes;
  try {
    await cannon(opts, WARMUP_S);
    await settle(s.proc.pid);
    [res, floodRes] = await Promise.all([cannon(opts, DURATION_S), cannon(floodOpts, DURATION_S)]);
  } finally {
    s.rss = sampler.stop();
  }
  const row = scenarioRow(s, opts, res);
  row.flood = floodOutcome(floodRes, flood);
  // Refusals (401, 429, 503) are the expected answers; anything else, or no answer, is an error.
  const floodFailed = row.flood.outcomes.other > 0 || row.flood.errors > 0 || row.flood.totalRequests === 0;
  row.flagged = row.flagged || floodFailed;
  const o = row.flood.outcomes;
  console.log(
    `${row.reqPerSec} req/s, p99 ${row.latencyMs.p99} ms; logins ${row.flood.reqPerSec} req/s` +
      ` (401: ${o[401]}, 429: ${o[429]}, 503: ${o[503]}, other: ${o.other}, errors: ${row.flood.errors})` +
      `${row.flagged ? "  (ERRORS, see table)" : ""}`,
  );
  return row;
}

/** The failed logins' side of a flood: rate and answers by status. */
function floodOutcome(res, flood) {
  const statusCodes = statusCounts(res);
  const outcomes = { 401: 0, 429: 0, 503: 0, other: 0 };
  for (const [code, n] of Object.entries(statusCodes)) {
    if (code in outcomes) outcomes[code] += n;
    else outcomes.other += n;
  }
  return {
    connections: FLOOD.connections,
    usernames: flood.bodies.length,
    realUsers: flood.realUsers,
    reqPerSec: Math.round(res.requests.average * 10) / 10,
    totalRequests: res.requests.total,
    latencyMs: { p50: res.latency.p50, p99: res.latency.p99, max: res.latency.max },
    outcomes,
    errors: res.errors,
    timeouts: res.timeouts,
    statusCodes,
  };
}

/** The table and JSON row of a measured run. */
function scenarioRow(s, opts, res) {
  if (s.proc.exited) throw new Error(`${s.proc.name} exited during "${s.label}"\n${logTail(s.proc)}`);
  const statusCodes = statusCounts(res);
  const row = {
    id: s.id,
    scenario: s.label,
    server: s.server,
    method: opts.method,
    path: new URL(s.url).pathname + new URL(s.url).search,
    credential: s.credential,
    reqPerSec: Math.round(res.requests.average * 10) / 10,
    totalRequests: res.requests.total,
    latencyMs: { mean: res.latency.average, p50: res.latency.p50, p90: res.latency.p90, p99: res.latency.p99, max: res.latency.max },
    non2xx: res.non2xx,
    errors: res.errors,
    timeouts: res.timeouts,
    mismatches: res.mismatches,
    statusCodes,
    rssMB: s.rss,
    baseline: s.baseline ?? "introspection",
    notes: s.notes,
  };
  row.flagged = row.non2xx > 0 || row.errors > 0 || row.mismatches > 0 || row.totalRequests === 0;
  if (s.pool) {
    // replayed > 0: the pool ran out and bodies were sent a second time (refused as replays)
    row.pool = { items: s.poolItems ?? "signed JWTs", ...s.pool.stats() };
    row.flagged = row.flagged || row.pool.replayed > 0;
  }
  return row;
}

// ---------------------------------------------------------------- servers

function serverEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("KEYWARD_") || ["DATABASE_PATH", "PORT", "HOST", "NEXTAUTH_SECRET", "NEXTAUTH_URL"].includes(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    KEYWARD_SECRET: SECRET,
    KEYWARD_ADMIN_USERNAME: ADMIN.username,
    KEYWARD_ADMIN_PASSWORD: ADMIN.password,
    KEYWARD_SCRYPT_LOG_N: String(SCRYPT_LOG_N),
    ...extra,
  };
}

/**
 * `node dist/server.js` (the API fast path) or `next start` (the route handler path). With
 * BENCH_CPU_PROF=1 its profile goes to bench/results/profiles/<profileDir> (default: the kind).
 */
async function startKeyward(kind, dbFile, tmp, extraEnv = {}, profileDir = kind) {
  const port = await freePort();
  const env = serverEnv({ DATABASE_PATH: dbFile, KEYWARD_DATA_DIR: tmp, PORT: String(port), HOST: "127.0.0.1", ...extraEnv });
  const prof = CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", path.join(resultsDir, "profiles", profileDir)] : [];
  const args =
    kind === "next"
      ? [...prof, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"]
      : [...prof, SERVER_ENTRY];
  const proc = startProcess(`keyward (${kind})`, args, { env, logFile: path.join(tmp, `keyward-${kind}-${port}.log`) });
  const base = `http://127.0.0.1:${port}`;
  // Any API answer (401 without a credential) means the server is up and its handler is loaded.
  await waitFor(proc, "HTTP answer", async () => (await fetch(base + SEARCH_PATH)).status === 401);
  return { proc, base };
}

async function apiLogin(base, username, password) {
  const r = await fetch(base + LOGIN_PATH, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }).toString(),
  });
  const body = await r.json();
  if (r.status !== 200 || !body?.data?.sessionID) throw new Error(`login as ${username} failed: ${r.status} ${JSON.stringify(body)}`);
  return body.data.sessionID;
}

async function checkSearch(base, headers) {
  const r = await fetch(base + SEARCH_PATH, { headers });
  const body = await r.json();
  if (r.status !== 200 || !Array.isArray(body?.data) || body.data.length !== 20) {
    throw new Error(`proj/search check failed: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

const searchBodyOk = (b) => b.startsWith('{"data":[{');
const tokenBodyOk = (b) => b.includes('"access_token"');
/** The IMS exchange's answer: `{"token_type":"bearer","access_token":"...","expires_in":86400000}`. */
const IMS_TOKEN_TTL_MS = 86_400_000;
const imsTokenBodyOk = (b) => b.includes('"token_type":"bearer"') && b.includes('"access_token":"') && b.includes(`"expires_in":${IMS_TOKEN_TTL_MS}`);
const imsAnswerOk = (r) =>
  r.status === 200 && r.json?.token_type === "bearer" && typeof r.json.access_token === "string" && r.json.expires_in === IMS_TOKEN_TTL_MS && imsTokenBodyOk(r.body);

/** A token request outside the load generator: its status and parsed body. */
async function tokenRequest(url, { headers, body }) {
  const r = await fetch(url, { method: "POST", headers, body });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // reported below as text
  }
  return { status: r.status, json, text: text.slice(0, 300), body: text };
}

/**
 * One body must get a token and the same body sent again must be refused (its jti is spent), so the
 * run measures the replay check. Returns the token.
 */
async function checkSingleUse(what, url, headers, body) {
  const first = await tokenRequest(url, { headers, body });
  if (first.status !== 200 || typeof first.json?.access_token !== "string") throw new Error(`${what} check failed: ${first.status} ${first.text}`);
  const again = await tokenRequest(url, { headers, body });
  if (again.status < 400) throw new Error(`${what} check: a replayed JWT was accepted (${again.status} ${again.text})`);
  return first.json.access_token;
}

/**
 * The IMS exchange before its run: one body must get a token in the exchange's shape, and the token
 * must search; the same body sent again must get another token (its JWT has no jti, as
 * @adobe/jwt-auth signs it, so there is no replay check to pay for: the pool's JWTs differ anyway).
 */
async function checkImsExchange(url, headers, body, base) {
  const first = await tokenRequest(url, { headers, body });
  if (!imsAnswerOk(first)) throw new Error(`IMS exchange check failed: ${first.status} ${first.text}`);
  await checkSearch(base, { authorization: `Bearer ${first.json.access_token}` });
  const again = await tokenRequest(url, { headers, body });
  if (!imsAnswerOk(again) || again.json.access_token === first.json.access_token) {
    throw new Error(`IMS exchange check: the same JWT (no jti) sent again got ${again.status} ${again.text} (want a new token)`);
  }
}

/**
 * The refresh_token grant before its run, with two tokens outside the pool: the first must get an
 * access token and a new refresh token, and the same token sent again must be refused with
 * invalid_grant (rotation: each works once). The second must still be answered after that refusal,
 * and its successor too, so the run measures successful rotations.
 */
async function checkRefreshRotation(url, authorization, [first, second]) {
  const refresh = (token) =>
    tokenRequest(url, { headers: { ...FORM, authorization }, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}` });
  const rotated = async (token, what) => {
    const r = await refresh(token);
    const next = r.json?.refresh_token;
    if (r.status !== 200 || typeof r.json?.access_token !== "string" || typeof next !== "string" || next === token) {
      throw new Error(`refresh_token grant check (${what}) failed: ${r.status} ${r.text}`);
    }
    return next;
  };
  await rotated(first, "a seeded token");
  const again = await refresh(first);
  if (again.status !== 400 || again.json?.error !== "invalid_grant") {
    throw new Error(`refresh_token grant check: a rotated refresh token sent again got ${again.status} ${again.text} (want 400 invalid_grant)`);
  }
  await rotated(await rotated(second, "another seeded token after the refusal"), "its successor");
}

/** Signs a pool while nothing is measured (signing takes both cores), printing how long it took. */
async function signPool(what, sign) {
  const started = Date.now();
  process.stdout.write(`\nbench: signing ${what} ... `);
  const pool = await sign();
  console.log(`${pool.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return pool;
}

/**
 * The bodies of one flood's failed logins: `realUsers` seeded accounts, then unknown names up to
 * FLOOD.usernames, all with a wrong password.
 */
function floodBodies(realUsers, tag) {
  const names = [...realUsers];
  for (let i = 0; names.length < FLOOD.usernames; i++) names.push(`nobody.${tag}.${String(i).padStart(2, "0")}`);
  return names.map((username) => new URLSearchParams({ username, password: FLOOD.password }).toString());
}

// ---------------------------------------------------------------- report

function fmt(n, digits = 1) {
  return typeof n === "number" && Number.isFinite(n) ? n.toFixed(digits) : "-";
}

function table(rows) {
  const head = ["scenario", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "peak RSS MB", "vs peer"];
  const body = rows.map((r) => [
    (r.flagged ? "! " : "") + r.scenario,
    fmt(r.reqPerSec),
    fmt(r.latencyMs.p50, 0),
    fmt(r.latencyMs.p99, 0),
    String(r.non2xx),
    String(r.errors + r.mismatches),
    fmt(r.rssMB.peakMB),
    typeof r.ratioToPeer === "number" ? `${fmt(r.ratioToPeer, 2)}x` : "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

// ---------------------------------------------------------------- main

async function main() {
  const t0 = Date.now();
  ensureBuild();
  const watchdog = setTimeout(() => {
    console.error(`\nbench: still running after ${WATCHDOG_MS / 60_000} min, stopping everything.`);
    stopCannons();
    killAllNow();
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-bench-"));
  tmpDir = tmp;
  const loadBefore = os.loadavg();
  if (loadBefore[0] > 0.5 * os.cpus().length) {
    console.log(`bench: warning: the machine is busy (load ${loadBefore[0].toFixed(2)} on ${os.cpus().length} CPUs); figures will be low and noisy.`);
  }
  const rows = [];
  try {
    console.log(`bench: temporary folder ${tmp}`);

    // 1. data
    console.log("bench: seeding databases ...");
    // one refresh token per request of the refresh_token grant's warm-up and measured run
    const refreshPoolSize = poolSize(POOL_RATE_BOUND.keyward, CONNECTIONS);
    const seedProc = await runToEnd(
      "seed",
      ["--import", "tsx", path.join(root, "bench", "seed.ts"), tmp, String(refreshPoolSize), String(IMS_SEARCH_TOKENS)],
      { env: serverEnv({}), logFile: path.join(tmp, "seed.log") },
      180_000,
    );
    console.log(fs.readFileSync(seedProc.logFile, "utf8").trim().replace(/^/gm, "  "));
    const creds = JSON.parse(fs.readFileSync(path.join(tmp, "credentials.json"), "utf8"));
    const user = creds.search.usernames[1];
    const apiKeyUser = creds.apikeys.keys[Math.floor(Math.random() * creds.apikeys.keys.length)];

    // 2. the peer, measured first and again after Keyward so slow drift on a shared machine shows
    const peerPort = await freePort();
    const peerOut = path.join(tmp, "peer.json");
    const peer = startProcess("oidc-provider peer", [path.join(root, "bench", "peer", "server.mjs")], {
      env: { ...process.env, NODE_ENV: "production", PEER_PORT: String(peerPort), PEER_DB: path.join(tmp, "peer.db"), PEER_OUT: peerOut },
      logFile: path.join(tmp, "peer.log"),
    });
    await waitFor(peer, "token", async () => fs.existsSync(peerOut));
    const peerInfo = JSON.parse(fs.readFileSync(peerOut, "utf8"));
    const introspection = {
      url: peerInfo.introspectionEndpoint,
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${peerInfo.clientId}:${peerInfo.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `token=${encodeURIComponent(peerInfo.token)}`,
    };
    const check = await fetch(introspection.url, introspection);
    const checkBody = await check.json();
    if (check.status !== 200 || checkBody.active !== true) throw new Error(`peer introspection check failed: ${JSON.stringify(checkBody)}`);
    const peerScenario = (run) =>
      scenario({
        id: `peer-introspection-${run}`,
        label: `peer: oidc-provider POST /token/introspection (run ${run})`,
        server: "oidc-provider 9.13.3, SQLite adapter",
        credential: "client_secret_basic + opaque access token",
        proc: peer,
        ...introspection,
        verify: (b) => b.includes('"active":true'),
        notes: "RFC 7662; the store holds 100,000 access tokens over 1,000 grants",
      });
    rows.push(await peerScenario(1));

    // 3. Keyward, API fast path in the Node entry, 1,000 users / 10,000 projects
    const fast = await startKeyward("node", path.join(tmp, "search.db"), tmp);
    let sessionID;
    try {
      sessionID = await apiLogin(fast.base, user, creds.password);
      await checkSearch(fast.base, { sessionID });
      rows.push(
        await scenario({
          id: "fast-session-search",
          label: "keyward fast path: GET proj/search (sessionID)",
          server: "node dist/server.js",
          credential: "sessionID header",
          proc: fast.proc,
          url: fast.base + SEARCH_PATH,
          headers: { sessionID },
          verify: searchBodyOk,
          notes: "1,000 users, 10,000 projects",
        }),
      );
      rows.push(
        await scenario({
          id: "fast-login",
          label: `keyward fast path: POST /login (scrypt 2^${SCRYPT_LOG_N})`,
          server: "node dist/server.js",
          credential: "username + password",
          proc: fast.proc,
          url: fast.base + LOGIN_PATH,
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username: user, password: creds.password }).toString(),
          verify: (b) => b.includes('"sessionID"'),
          // Within the server's password-hashing bound (2 at once, 16 waiting): more parallel logins
          // are answered 503 by design, which is what the flood scenarios measure.
          connections: 16,
          timeout: 60,
          notes: `scrypt N=2^${SCRYPT_LOG_N}, r=8, p=1 per login; each login also writes a session and an audit row`,
        }),
      );
    } finally {
      await stopProcess(fast.proc);
    }

    // 4. the same request through Next's route handler (app/attask/[...path]/route.ts)
    const viaNext = await startKeyward("next", path.join(tmp, "search.db"), tmp);
    try {
      await checkSearch(viaNext.base, { sessionID });
      rows.push(
        await scenario({
          id: "next-session-search",
          label: "keyward via Next route handler: GET proj/search (sessionID)",
          server: "next start",
          credential: "sessionID header",
          proc: viaNext.proc,
          url: viaNext.base + SEARCH_PATH,
          headers: { sessionID },
          verify: searchBodyOk,
          notes: "same handler and database as the fast path, served by next start",
        }),
      );
    } finally {
      await stopProcess(viaNext.proc);
    }

    // 5. API keys: 100,000 users with a key each; then the same search under a flood of failed
    //    logins, with the server's default limits and, restarted, with the login rate limits off
    const apiKeysDb = path.join(tmp, "apikeys.db");
    const apiKeySearch = (server) => ({
      server: "node dist/server.js",
      credential: "apiKey header",
      proc: server.proc,
      url: server.base + SEARCH_PATH,
      headers: { apiKey: apiKeyUser.apiKey },
      verify: searchBodyOk,
    });
    // Seeded accounts for the floods, never the search's own. Account lockout is kept in the
    // database, so each case gets accounts the other has not locked.
    const floodAccounts = [...new Set([...creds.apikeys.keys.map((k) => k.username), ...creds.apikeys.usernames])].filter(
      (u) => u !== apiKeyUser.username,
    );
    const loginFlood = (server, tag, accounts) => ({ url: server.base + LOGIN_PATH, realUsers: accounts.length, bodies: floodBodies(accounts, tag) });
    const floodNotes = (limits) =>
      `100,000 users each with an API key, 10,000 projects; during the measured run ${FLOOD.connections} more connections ` +
      `send failed logins (${FLOOD.usernames} usernames, ${FLOOD.realUsers} of them seeded accounts); ${limits}`;

    const keyed = await startKeyward("node", apiKeysDb, tmp);
    try {
      await checkSearch(keyed.base, { apiKey: apiKeyUser.apiKey });
      rows.push(
        await scenario({
          id: "fast-apikey-search",
          label: "keyward fast path: GET proj/search (apiKey, 100k keys)",
          ...apiKeySearch(keyed),
          notes: "100,000 users each with an API key, 10,000 projects",
        }),
      );
      rows.push(
        await floodScenario(
          {
            id: "fast-apikey-search-flood-default",
            label: "keyward fast path: GET proj/search (apiKey) under login flood (default limits)",
            ...apiKeySearch(keyed),
            notes: floodNotes("the server's default login limits"),
          },
          loginFlood(keyed, "default", floodAccounts.slice(0, FLOOD.realUsers)),
        ),
      );
    } finally {
      await stopProcess(keyed.proc);
    }

    const unlimited = await startKeyward("node", apiKeysDb, tmp, RATE_LIMITS_OFF);
    try {
      await checkSearch(unlimited.base, { apiKey: apiKeyUser.apiKey });
      rows.push(
        await floodScenario(
          {
            id: "fast-apikey-search-flood-limits-off",
            label: "keyward fast path: GET proj/search (apiKey) under login flood (rate limits off: hashing bound only)",
            ...apiKeySearch(unlimited),
            notes: floodNotes(`${Object.keys(RATE_LIMITS_OFF).join(", ")} set to 0`),
          },
          loginFlood(unlimited, "unlimited", floodAccounts.slice(FLOOD.realUsers, 2 * FLOOD.realUsers)),
        ),
      );
    } finally {
      await stopProcess(unlimited.proc);
    }

    // 6. the OAuth2 JWT exchange with the app seeded in the search database, then a search with a token
    //    it issued; one server process each, so that a CPU profile shows one of them
    const app = creds.oauthApp;
    const exchangeParams = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      issuer: app.customerId,
      subject: app.subject,
      privateKey: app.privateKeyPem,
      kid: app.keyId,
      expiresIn: EXCHANGE_JWT_LIFETIME_S,
    };
    let accessToken;
    const exchanger = await startKeyward("node", path.join(tmp, "search.db"), tmp, {}, "node-jwt-exchange");
    try {
      const url = exchanger.base + EXCHANGE_PATH;
      const [probe] = await exchangeAssertionPool({ ...exchangeParams, count: 1 });
      accessToken = await checkSingleUse("JWT exchange", url, FORM, probe);
      const size = poolSize(POOL_RATE_BOUND.keyward, CONNECTIONS);
      const pool = rotatingRequests(await signPool(`${size} jwt_tokens for the exchange`, () => exchangeAssertionPool({ ...exchangeParams, count: size })));
      rows.push(
        await scenario({
          id: "fast-jwt-exchange",
          label: "keyward fast path: POST jwt/exchange (vs peer client_credentials + private_key_jwt)",
          server: "node dist/server.js",
          credential: "client_id + client_secret + RS256 jwt_token (own jti each)",
          proc: exchanger.proc,
          url,
          method: "POST",
          headers: FORM,
          requests: pool.requests,
          pool,
          verify: tokenBodyOk,
          baseline: "clientCredentialsJwt",
          notes:
            "a machine-to-machine app with one secret and one generated RSA 2048 key; each request: HMAC of the client secret, " +
            "RS256 verification, jti claimed, token and audit row stored in one SQLite transaction",
        }),
      );
    } finally {
      await stopProcess(exchanger.proc);
    }

    const tokenServer = await startKeyward("node", path.join(tmp, "search.db"), tmp);
    try {
      const headers = { authorization: `Bearer ${accessToken}` };
      await checkSearch(tokenServer.base, headers);
      rows.push(
        await scenario({
          id: "fast-token-search",
          label: "keyward fast path: GET proj/search (Bearer access token from jwt/exchange)",
          server: "node dist/server.js",
          credential: "Authorization: Bearer <OAuth2 access token>",
          proc: tokenServer.proc,
          url: tokenServer.base + SEARCH_PATH,
          headers,
          verify: searchBodyOk,
          notes: "1,000 users, 10,000 projects; the token table holds every token the exchange run issued",
        }),
      );
    } finally {
      await stopProcess(tokenServer.proc);
    }

    // 6a. the service credentials' IMS JWT exchange (POST /ims/exchange/jwt, multipart as
    //     @adobe/jwt-auth sends it), then a search with the access tokens the seed got from it; a
    //     fresh process each
    const ims = creds.serviceCredential;
    const imsServer = await startKeyward("node", path.join(tmp, "search.db"), tmp, {}, "node-ims-exchange");
    try {
      const url = imsServer.base + IMS_EXCHANGE_PATH;
      const imsParams = {
        clientId: ims.clientId,
        clientSecret: ims.clientSecret,
        org: ims.org,
        technicalAccountId: ims.technicalAccountId,
        privateKey: ims.privateKeyPem,
        metascopes: ims.metascopes,
        // the package's `ims` option set to this server
        imsBase: imsServer.base,
        format: IMS_POOL.format,
        minLifetime: IMS_POOL.minLifetimeSeconds,
        expSpread: IMS_POOL.expSpreadSeconds,
      };
      const headers = { "content-type": imsExchangeContentType(IMS_POOL.format) };
      const [probe] = await imsExchangePool({ ...imsParams, count: 1, minLifetime: 300 });
      await checkImsExchange(url, headers, probe, imsServer.base);
      const size = poolSize(POOL_RATE_BOUND.keyward, CONNECTIONS);
      const pool = rotatingRequests(await signPool(`${size} jwt_tokens for the IMS exchange`, () => imsExchangePool({ ...imsParams, count: size })));
      rows.push(
        await scenario({
          id: "fast-ims-exchange",
          label: "keyward fast path: POST ims/exchange/jwt (multipart; vs peer client_credentials + private_key_jwt)",
          server: "node dist/server.js",
          credential: "client_id + client_secret + RS256 jwt_token (no jti, distinct exp each), multipart/form-data",
          proc: imsServer.proc,
          url,
          method: "POST",
          headers,
          requests: pool.requests,
          pool,
          poolItems: "signed JWTs (multipart bodies)",
          verify: imsTokenBodyOk,
          baseline: "clientCredentialsJwt",
          notes:
            "a JWT service credential from createServiceCredential() (one secret, one RSA 2048 key); each request: multipart parsed, " +
            "HMAC of the client secret, RS256 verification and claims, ES256 access token signed, token row and audit row stored in one SQLite transaction",
        }),
      );
    } finally {
      await stopProcess(imsServer.proc);
    }

    const imsSearchServer = await startKeyward("node", path.join(tmp, "search.db"), tmp);
    try {
      const tokens = ims.accessTokens;
      if (tokens.length !== IMS_SEARCH_TOKENS || new Set(tokens).size !== tokens.length) {
        throw new Error(`the seed got ${tokens.length} IMS access tokens (want ${IMS_SEARCH_TOKENS} distinct ones)`);
      }
      for (const t of tokens) await checkSearch(imsSearchServer.base, { authorization: `Bearer ${t}` });
      rows.push(
        await scenario({
          id: "fast-ims-search",
          label: `keyward fast path: GET proj/search (Bearer IMS access token, ${tokens.length} rotated)`,
          server: "node dist/server.js",
          credential: "Authorization: Bearer <IMS access token (ES256 JWT)>",
          proc: imsSearchServer.proc,
          url: imsSearchServer.base + SEARCH_PATH,
          // static requests, each built once per connection, cycled in turn: a token per request
          requests: tokens.map((t) => ({ headers: { authorization: `Bearer ${t}` } })),
          verify: searchBodyOk,
          notes:
            `1,000 users, 10,000 projects; ${tokens.length} access tokens the seed got from the exchange, in turn; ` +
            "the token table holds every token the IMS exchange run issued",
        }),
      );
    } finally {
      await stopProcess(imsSearchServer.proc);
    }

    // 6b. the refresh_token grant of the web app seeded in the same database, a fresh process (and
    //     profile folder); each request spends one of the seeded refresh tokens
    const web = creds.refreshApp;
    const refreshTokens = fs.readFileSync(path.join(tmp, web.tokensFile), "utf8").split("\n").filter(Boolean);
    if (refreshTokens.length !== refreshPoolSize || new Set(refreshTokens).size !== refreshPoolSize) {
      throw new Error(`the seed wrote ${refreshTokens.length} refresh tokens (want ${refreshPoolSize} distinct ones)`);
    }
    const refreshPool = rotatingRequests(refreshTokens.map((t) => `grant_type=refresh_token&refresh_token=${encodeURIComponent(t)}`));
    refreshTokens.length = 0;
    const webBasic = `Basic ${Buffer.from(`${encodeURIComponent(web.clientId)}:${encodeURIComponent(web.clientSecret)}`).toString("base64")}`;
    const refresher = await startKeyward("node", path.join(tmp, "search.db"), tmp, {}, "node-refresh-token");
    try {
      const url = refresher.base + TOKEN_PATH;
      await checkRefreshRotation(url, webBasic, web.checkTokens);
      rows.push(
        await scenario({
          id: "fast-refresh-token",
          label: "keyward fast path: POST token refresh_token (vs peer client_credentials + client_secret_basic)",
          server: "node dist/server.js",
          credential: "client_secret_basic + refresh token (rotated: each once)",
          proc: refresher.proc,
          url,
          method: "POST",
          headers: { ...FORM, authorization: webBasic },
          requests: refreshPool.requests,
          pool: refreshPool,
          poolItems: "refresh tokens",
          verify: (b) => b.includes('"access_token"') && b.includes('"refresh_token"'),
          baseline: "clientCredentialsBasic",
          notes:
            `a web app (rotation on) and ${refreshPoolSize.toLocaleString("en-US")} seeded refresh tokens of one user, each its own family; ` +
            "each request: HMAC of the client secret, refresh token looked up and marked rotated, its successor, an access token " +
            "and an audit row stored in one SQLite transaction",
        }),
      );
    } finally {
      await stopProcess(refresher.proc);
    }

    // 7. the peer again: introspection, then its client_credentials grant (after the second
    //    introspection run, so the tokens it stores do not change what introspection reads)
    rows.push(await peerScenario(2));
    const jwtClient = peerInfo.privateKeyJwt;
    const peerJwtParams = { tokenEndpoint: peerInfo.tokenEndpoint, clientId: jwtClient.clientId, privateKey: jwtClient.privateJwk, kid: jwtClient.kid };
    const [peerProbe] = await peerAssertionPool({ ...peerJwtParams, count: 1 });
    await checkSingleUse("peer client_credentials (private_key_jwt)", peerInfo.tokenEndpoint, FORM, peerProbe);
    const peerSize = poolSize(POOL_RATE_BOUND.peer, CONNECTIONS);
    const peerPool = rotatingRequests(await signPool(`${peerSize} client assertions for the peer`, () => peerAssertionPool({ ...peerJwtParams, count: peerSize })));
    rows.push(
      await scenario({
        id: "peer-cc-jwt",
        label: "peer: oidc-provider POST /token client_credentials (private_key_jwt)",
        server: "oidc-provider 9.13.3, SQLite adapter",
        credential: "private_key_jwt: RS256 client_assertion (own jti each)",
        proc: peer,
        url: peerInfo.tokenEndpoint,
        method: "POST",
        headers: FORM,
        requests: peerPool.requests,
        pool: peerPool,
        verify: tokenBodyOk,
        baseline: "clientCredentialsJwt",
        notes: "each request: RS256 verification of the client assertion, jti looked up and stored, opaque access token stored",
      }),
    );
    const basic = peerBasicRequest({ tokenEndpoint: peerInfo.tokenEndpoint, ...peerInfo.basic });
    const basicCheck = await tokenRequest(basic.url, basic);
    if (basicCheck.status !== 200 || typeof basicCheck.json?.access_token !== "string") {
      throw new Error(`peer client_credentials (client_secret_basic) check failed: ${basicCheck.status} ${basicCheck.text}`);
    }
    rows.push(
      await scenario({
        id: "peer-cc-basic",
        label: "peer: oidc-provider POST /token client_credentials (client_secret_basic)",
        server: "oidc-provider 9.13.3, SQLite adapter",
        credential: "client_secret_basic",
        proc: peer,
        ...basic,
        verify: tokenBodyOk,
        baseline: "clientCredentialsBasic",
        notes: "the baseline for the refresh_token grant; each request: client secret compared, opaque access token stored",
      }),
    );
    await stopProcess(peer);
  } finally {
    killAllNow();
    if (KEEP) console.log(`bench: kept ${tmp}`);
    removeTmp();
  }

  // 8. report; each ratio is to the row's peer baseline (introspection: the mean of its two runs)
  const baselines = Object.fromEntries(
    Object.entries(BASELINES).map(([key, b]) => {
      const runs = rows.filter((r) => b.rowIds.includes(r.id)).map((r) => r.reqPerSec);
      const mean = runs.length ? Math.round((runs.reduce((x, y) => x + y, 0) / runs.length) * 10) / 10 : null;
      return [key, { label: b.label, reqPerSec: mean, runs }];
    }),
  );
  const peerRuns = baselines.introspection.runs;
  const peerRps = baselines.introspection.reqPerSec;
  for (const r of rows) {
    const b = baselines[r.baseline]?.reqPerSec;
    r.ratioToPeer = b ? Math.round((r.reqPerSec / b) * 100) / 100 : null;
  }
  const targets = TARGETS.map((t) => {
    const r = rows.find((x) => x.id === t.id);
    const ok = !!r && !r.flagged && r.ratioToPeer >= t.ratio && r.latencyMs.p99 < t.p99Ms;
    return {
      id: t.id,
      scenario: r?.scenario,
      baseline: t.baseline,
      wantRatio: t.ratio,
      aimRatio: t.aim ?? null,
      wantP99Ms: t.p99Ms,
      ratioToPeer: r?.ratioToPeer,
      p99Ms: r?.latencyMs.p99,
      met: ok,
      ...(t.aim ? { aimReached: ok && r.ratioToPeer >= t.aim } : {}),
    };
  });

  // the login floods: the search under the flood against the same search alone in this run
  const alone = rows.find((r) => r.id === "fast-apikey-search");
  const floods = rows
    .filter((r) => r.flood)
    .map((r) => {
      const ratio = alone?.reqPerSec ? Math.round((r.reqPerSec / alone.reqPerSec) * 100) / 100 : null;
      const pass = !r.flagged && !alone?.flagged && ratio !== null && ratio >= FLOOD.target.ratio;
      const { reqPerSec: loginReqPerSec, outcomes, errors: loginErrors } = r.flood;
      return { id: r.id, scenario: r.scenario, aloneReqPerSec: alone?.reqPerSec ?? null, reqPerSec: r.reqPerSec, ratio, p99Ms: r.latencyMs.p99, pass, loginReqPerSec, outcomes, loginErrors };
    });

  console.log(`\n${table(rows)}\n`);
  const b = baselines;
  console.log(
    `"vs peer" is req/s divided by the peer's matching run: its introspection (mean of the two runs, ${b.introspection.reqPerSec} req/s) ` +
      `for the searches and the login, its ${b.clientCredentialsJwt.label} (${b.clientCredentialsJwt.reqPerSec} req/s) for the JWT and IMS exchanges, ` +
      `and its ${b.clientCredentialsBasic.label} (${b.clientCredentialsBasic.reqPerSec} req/s) for the refresh_token grant.`,
  );
  for (const t of targets) {
    const aim = t.aimRatio ? `, aim ${t.aimRatio}x${t.aimReached ? " reached" : ""}` : "";
    console.log(
      `target ${t.met ? "MET   " : "MISSED"} ${t.scenario}: ${fmt(t.ratioToPeer, 2)}x peer ${BASELINES[t.baseline].label} ` +
        `(want >= ${t.wantRatio}x${aim}), p99 ${fmt(t.p99Ms, 0)} ms (want < ${t.wantP99Ms} ms)`,
    );
  }
  for (const r of rows.filter((x) => x.pool)) {
    console.log(
      `pool   ${r.pool.replayed ? "TOO SMALL" : "ok       "} ${r.scenario}: ${r.pool.size} ${r.pool.items}, ${r.pool.used} sent, ${r.pool.replayed} sent again`,
    );
  }
  for (const f of floods) {
    const o = f.outcomes;
    console.log(
      `flood  ${f.pass ? "PASS        " : "BELOW TARGET"} ${f.scenario}: ${fmt(f.reqPerSec)} req/s vs ${fmt(f.aloneReqPerSec)} alone = ` +
        `${fmt(f.ratio, 2)} (want >= ${FLOOD.target.ratio}), p99 ${fmt(f.p99Ms, 0)} ms; ` +
        `failed logins ${fmt(f.loginReqPerSec)} req/s: 401 ${o[401]}, 429 ${o[429]}, 503 ${o[503]}, other ${o.other}, errors ${f.loginErrors}`,
    );
  }
  const flagged = rows.filter((r) => r.flagged);
  for (const r of flagged) {
    console.log(`ERRORS in "${r.scenario}": non-2xx ${r.non2xx}, errors ${r.errors}, body mismatches ${r.mismatches}, status codes ${JSON.stringify(r.statusCodes)}`);
    if (r.flood) console.log(`  its failed logins: errors ${r.flood.errors} (timeouts ${r.flood.timeouts}), status codes ${JSON.stringify(r.flood.statusCodes)}`);
    if (r.pool?.replayed) console.log(`  its pool of ${r.pool.size} ${r.pool.items} ran out: ${r.pool.replayed} requests reused one (raise POOL_RATE_BOUND)`);
  }
  console.log(`note: login runs one scrypt (N=2^${SCRYPT_LOG_N}, the server default) per request, so its rate is bounded by CPU, not by the server.`);
  console.log(`note: a flood's ratio is the search's req/s under ${FLOOD.connections} connections of failed logins divided by the same search alone; 401, 429 and 503 are the expected answers to them.`);
  console.log("note: absolute figures drift by 25% or more on shared machines; compare the ratios.");

  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? null,
      totalMemMB: Math.round(os.totalmem() / 1024 / 1024),
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadavgBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
      loadavgAfter: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    settings: {
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      scryptLogN: SCRYPT_LOG_N,
      rssSampleMs: RSS_SAMPLE_MS,
      buildDir: process.env.NEXT_DIST_DIR || ".next",
      // profiled servers are slower: such figures are not comparable with others
      cpuProfile: CPU_PROF,
    },
    peerReqPerSec: { mean: peerRps, runs: peerRuns },
    peerBaselines: baselines,
    jwtPools: { rateBoundReqPerSec: POOL_RATE_BOUND, exchangeJwtLifetimeSeconds: EXCHANGE_JWT_LIFETIME_S, imsExchange: IMS_POOL },
    imsSearchTokens: IMS_SEARCH_TOKENS,
    refreshTokenPool: { rateBoundReqPerSec: POOL_RATE_BOUND.keyward, size: poolSize(POOL_RATE_BOUND.keyward, CONNECTIONS) },
    target: { ...TARGET, results: targets },
    loginFlood: { ...FLOOD.target, connections: FLOOD.connections, usernames: FLOOD.usernames, realUsers: FLOOD.realUsers, rateLimitsOff: RATE_LIMITS_OFF, results: floods },
    scenarios: rows,
    runSeconds: Math.round((Date.now() - t0) / 1000),
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(`bench: wrote bench/results/latest.json (${report.runSeconds} s)`);
  if (flagged.length) process.exitCode = 1;
}

/** The run's temporary folder, removed on any exit unless BENCH_KEEP=1. */
let tmpDir = null;
function removeTmp() {
  if (!tmpDir || KEEP) return;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  tmpDir = null;
}

process.on("exit", () => {
  killAllNow();
  removeTmp();
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    stopCannons();
    killAllNow();
    process.exit(130);
  });
}

main().catch((e) => {
  console.error(`\nbench failed: ${e instanceof Error ? e.message : e}`);
  killAllNow();
  process.exit(1);
});
