// npm test: typecheck, lint, unit + integration tests (vitest), then Playwright API and UI tests in
// Debian's Chromium. Prints one closing line with the totals; exits non-zero on any failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const args = new Set(process.argv.slice(2));
const results = { passed: 0, failed: 0, skipped: 0 };
fs.mkdirSync(path.join(root, "test-results"), { recursive: true });

function run(cmd, cmdArgs, env = {}) {
  console.log(`\n$ ${[path.basename(cmd), ...cmdArgs].join(" ")}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return r.status ?? 1;
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (found) return found;
  const isDebian = fs.existsSync("/etc/debian_version");
  const isRoot = process.getuid?.() === 0;
  if (isDebian && isRoot) {
    console.log("Chromium is missing: installing Debian's chromium package...");
    if (run("apt-get", ["update", "-qq"]) === 0 && run("apt-get", ["install", "-y", "-qq", "chromium"], { DEBIAN_FRONTEND: "noninteractive" }) === 0 && fs.existsSync("/usr/bin/chromium")) {
      return "/usr/bin/chromium";
    }
  }
  console.error(
    "UI tests need Chromium. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary.",
  );
  process.exit(1);
}

/** openssl runs in the JWT-flow tests (the vendor's own `openssl req -x509 ...` command). */
function ensureOpenssl() {
  if (spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0) return;
  if (fs.existsSync("/etc/debian_version") && process.getuid?.() === 0) {
    console.log("openssl is missing: installing Debian's openssl package...");
    if (run("apt-get", ["update", "-qq"]) === 0 && run("apt-get", ["install", "-y", "-qq", "openssl"], { DEBIAN_FRONTEND: "noninteractive" }) === 0) return;
  }
  console.error("The JWT-flow tests need openssl. Install it (Debian: apt-get install -y openssl).");
  process.exit(1);
}

let failedSteps = [];
ensureOpenssl();

if (!args.has("--e2e-only")) {
  if (run(bin("tsc"), ["--noEmit", "-p", "."]) !== 0) failedSteps.push("typecheck");
  if (run(bin("eslint"), ["--max-warnings=0", "."]) !== 0) failedSteps.push("lint");
  const vitestJson = path.join(root, "test-results", "vitest.json");
  fs.rmSync(vitestJson, { force: true });
  const code = run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
  if (code !== 0) failedSteps.push("vitest");
  if (fs.existsSync(vitestJson)) {
    const j = JSON.parse(fs.readFileSync(vitestJson, "utf8"));
    results.passed += j.numPassedTests ?? 0;
    results.failed += j.numFailedTests ?? 0;
    results.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  }
}

if (!args.has("--unit-only")) {
  const chromium = findChromium();
  const pwJson = path.join(root, "test-results", "playwright.json");
  fs.rmSync(pwJson, { force: true });
  const code = run(bin("playwright"), ["test"], { CHROMIUM_PATH: chromium });
  if (code !== 0) failedSteps.push("playwright");
  if (fs.existsSync(pwJson)) {
    const s = JSON.parse(fs.readFileSync(pwJson, "utf8")).stats ?? {};
    results.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    results.failed += s.unexpected ?? 0;
    results.skipped += s.skipped ?? 0;
  }
}

console.log("");
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(", ")}`);
console.log(`${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(failedSteps.length || results.failed ? 1 : 0);
