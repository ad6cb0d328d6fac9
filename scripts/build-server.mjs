// Compiles the production Node entry (server.ts) and the lib/ and db/ code it imports into dist/, so
// that npm start runs plain JavaScript. esbuild bundles the project's own modules into one CommonJS
// file per entry (the format tsx gave server.ts before) and leaves every package in node_modules
// external, so better-sqlite3, next and the rest load from the installed packages.
//
// dist/server.js         the entry (node dist/server.js, from the project root)
// dist/read-worker.js    lib/storage/sqlite/read-worker.ts: read-pool.ts, bundled into server.js, starts
//                        it as the sibling module of its own file (lib/workers/spawn.ts)
// dist/checkpoint-worker.js  lib/storage/sqlite/checkpoint-worker.ts, started the same way by checkpointer.ts
//
// Run as `node scripts/build-server.mjs` (npm run build does) or through buildServer() (npm start does,
// when the output is missing or older than its sources).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

export const SERVER_DIST = path.join(root, "dist");
/** The compiled entry; its mtime is the build's start time, compared with SERVER_SOURCES by npm start. */
export const SERVER_ENTRY = path.join(SERVER_DIST, "server.js");
/** What the compiled output depends on. */
export const SERVER_SOURCES = ["server.ts", "lib", "db", "package.json", "tsconfig.json", "scripts/build-server.mjs"];

const ENTRY_POINTS = [
  // Modules started as worker threads (spawnSiblingWorker), named as they are looked up: beside the
  // bundle that contains their caller.
  { in: "lib/storage/sqlite/read-worker.ts", out: "read-worker" },
  { in: "lib/storage/sqlite/checkpoint-worker.ts", out: "checkpoint-worker" },
  { in: "server.ts", out: "server" },
];

// CommonJS has no import.meta: the module's own URL, as an ES module would see it. The banner goes
// above esbuild's "use strict", so it repeats the directive.
const MODULE_URL = "__keywardModuleUrl";
const BANNER = `"use strict";\nconst ${MODULE_URL} = require("node:url").pathToFileURL(__filename).href;`;

export function buildServer() {
  const started = new Date();
  // Loaded only when building, so a prebuilt dist/ runs without the build tool installed.
  const esbuild = createRequire(import.meta.url)("esbuild");
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: SERVER_DIST,
    bundle: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "cjs",
    tsconfig: path.join(root, "tsconfig.json"),
    define: { "import.meta.url": MODULE_URL },
    banner: { js: BANNER },
    // Any other use of import.meta would be empty in CommonJS: fail instead of breaking at run time.
    logOverride: { "empty-import-meta": "error" },
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  fs.mkdirSync(SERVER_DIST, { recursive: true });
  // Each file is replaced whole (write, then rename), so a server starting meanwhile never reads half
  // of one; maps first, the entry last.
  const files = [...result.outputFiles].sort((a, b) => rank(a.path) - rank(b.path));
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, f.contents);
    if (f.path === SERVER_ENTRY) fs.utimesSync(tmp, started, started);
    fs.renameSync(tmp, f.path);
  }
}

function rank(file) {
  if (file.endsWith(".map")) return 0;
  return file === SERVER_ENTRY ? 2 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  buildServer();
  console.log(`Keyward: compiled the server into ${path.relative(root, SERVER_DIST)}/ (${Math.round(performance.now() - t0)} ms)`);
}
