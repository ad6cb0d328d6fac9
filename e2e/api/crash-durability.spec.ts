// Crash durability: a production server killed with SIGKILL in the middle of concurrent project creates
// loses none of the creates it acknowledged with a 2xx answer. The test runs its own server on a fresh
// database, kills it under load, restarts it on the same file and finds every acknowledged ID, through the
// API and in the SQLite file itself, which must also pass PRAGMA integrity_check.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";

const ROOT = path.resolve(__dirname, "..", "..");
const ADMIN = { username: "crash-admin", password: "crash-admin-password" };
const LOOPS = 16;
const KILL_AFTER_MS = 3_000;
const MAX_REQUESTS = 50_000;

interface Server { child: ChildProcess; log: string[]; exited: Promise<number | null> }
const started: Server[] = [];
let tmpDir = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(env: NodeJS.ProcessEnv, api: string): Promise<Server> {
  const child = spawn(process.execPath, ["dist/server.js"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const keep = (b: Buffer) => {
    log.push(...b.toString().split("\n").filter(Boolean));
    log.splice(0, Math.max(0, log.length - 40));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const server = { child, log, exited };
  started.push(server);
  let gone = false;
  void exited.then(() => (gone = true));
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && !gone; ) {
    const r = await fetch(`${api}/proj/search`).catch(() => undefined);
    if (r) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`server ${gone ? "exited" : "never became ready"}; log tail:\n${log.join("\n")}`);
}

async function stopServer(s: Server, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill(signal);
  const timer = setTimeout(() => s.child.kill("SIGKILL"), 10_000);
  await s.exited;
  clearTimeout(timer);
}

async function login(api: string): Promise<string> {
  const r = await fetch(`${api}/login`, { method: "POST", body: new URLSearchParams(ADMIN) });
  expect(r.status).toBe(200);
  return (await r.json()).data.sessionID;
}

test.afterAll(async () => {
  for (const s of started) await stopServer(s, "SIGKILL");
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

test("no acknowledged project create is lost when the server is killed with SIGKILL under load", async () => {
  test.setTimeout(120_000);
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-crash-"));
  const dbPath = path.join(tmpDir, "keyward.db");
  const port = await freePort();
  const api = `http://127.0.0.1:${port}/attask/api/v20.0`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_PATH: dbPath,
    KEYWARD_DATA_DIR: tmpDir,
    KEYWARD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    KEYWARD_ADMIN_USERNAME: ADMIN.username,
    KEYWARD_ADMIN_PASSWORD: ADMIN.password,
    KEYWARD_SCRYPT_LOG_N: "10",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const begun = Date.now();

  const first = await startServer(env, api);
  const sessionID = await login(api);
  const acked: string[] = [];
  let sent = 0;
  let rejected = 0;
  let failed = 0;
  let killedAt = 0;
  const t0 = Date.now();
  const loop = async (n: number) => {
    for (let i = 0; first.child.exitCode === null && first.child.signalCode === null && sent < MAX_REQUESTS; i++) {
      if (!killedAt && (Date.now() - t0 >= KILL_AFTER_MS || sent >= MAX_REQUESTS * 0.8)) {
        killedAt = Date.now();
        process.kill(first.child.pid!, "SIGKILL");
      }
      sent++;
      try {
        const r = await fetch(`${api}/proj`, {
          method: "POST",
          headers: { sessionID, "content-type": "application/json" },
          body: JSON.stringify({ name: `crash-${n}-${i}` }),
        });
        const body = await r.json();
        if (r.ok) acked.push(body.data.ID);
        else rejected++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
  await first.exited;
  expect(killedAt, "the server was killed while the loops were sending").toBeGreaterThan(0);
  expect(acked.length).toBeGreaterThan(500);

  const second = await startServer(env, api);
  const sid = await login(api);
  const found = new Set<string>();
  for (let i = 0; i < acked.length; i += 200) {
    const r = await fetch(`${api}/proj?id=${acked.slice(i, i + 200).join(",")}&fields=ID`, { headers: { sessionID: sid } });
    if (r.status === 404) continue;
    expect(r.status).toBe(200);
    const data = (await r.json()).data;
    for (const p of Array.isArray(data) ? data : [data]) found.add(p.ID);
  }
  const count = (await (await fetch(`${api}/proj/count`, { headers: { sessionID: sid } })).json()).data.count;
  await stopServer(second, "SIGTERM");

  const db = new Database(dbPath, { readonly: true });
  const integrity = db.pragma("integrity_check", { simple: true }) as string;
  const inFile = db
    .prepare("SELECT count(*) AS n FROM projects WHERE id IN (SELECT value FROM json_each(?))")
    .get(JSON.stringify(acked)) as { n: number };
  db.close();

  console.log(
    `crash durability: ${sent} sent, ${acked.length} acknowledged, ${rejected} rejected, ${failed} failed; ` +
      `after restart ${found.size} found via API (count ${count}), ${inFile.n} in the file, ` +
      `${acked.length - found.size} lost; integrity_check ${integrity}; ${Date.now() - begun} ms`,
  );
  expect(acked.length - found.size, "acknowledged creates missing after the restart").toBe(0);
  expect(inFile.n).toBe(acked.length);
  expect(count).toBeGreaterThanOrEqual(acked.length);
  expect(integrity).toBe("ok");
});
