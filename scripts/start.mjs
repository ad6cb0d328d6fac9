// npm start: build when the build is missing or older than the sources, then run the compiled Node
// entry (migrations, first-run seed, API fast path + Next.js) in production mode. Two builds, each
// checked on its own: Next's (.next/) and the server's (dist/, scripts/build-server.mjs).
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildServer, SERVER_ENTRY, SERVER_SOURCES } from "./build-server.mjs";

const root = path.resolve(import.meta.dirname, "..");
const SOURCES = ["app", "components", "lib", "db", "public", "next.config.mjs", "package.json", "postcss.config.mjs"];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

export function buildIsStale() {
  let built;
  try {
    built = fs.statSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID")).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** True when dist/server.js is missing or older than server.ts, lib/, db/ or the build settings. */
export function serverBuildIsStale() {
  let built;
  try {
    built = fs.statSync(SERVER_ENTRY).mtimeMs;
  } catch {
    return true;
  }
  return SERVER_SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export function ensureBuild() {
  if (buildIsStale()) {
    console.log("Keyward: building the console (first start or sources changed)...");
    const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  if (serverBuildIsStale()) {
    console.log("Keyward: compiling the server (first start or sources changed)...");
    buildServer();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuild();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: root,
    stdio: "inherit",
    env: { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...process.env },
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => process.exit(code ?? 0));
}
