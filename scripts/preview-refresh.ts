// npm run preview:refresh -- --from <production db> --to <preview db>
// Copies production's API keys into the preview database (see lib/services/api-keys/preview-refresh.ts).
// Each database's server secret is KEYWARD_SECRET when set, else secret.key beside the database;
// --from-secret-file / --to-secret-file point elsewhere.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/client";
import { deriveKeys } from "../lib/crypto/secrets";
import { refreshPreviewKeys, SecretsDiffer } from "../lib/services/api-keys/preview-refresh";
import { createSqliteStore } from "../lib/storage/sqlite/store";

function fail(message: string): never {
  console.error(`preview:refresh: ${message}`);
  process.exit(2);
}

function secretFor(dbPath: string, file: string | undefined): string {
  if (!file && process.env.KEYWARD_SECRET) return process.env.KEYWARD_SECRET;
  const f = file ?? path.join(path.dirname(dbPath), "secret.key");
  try {
    return fs.readFileSync(f, "utf8").trim();
  } catch {
    return fail(`no server secret for ${dbPath}: set KEYWARD_SECRET or provide ${f}`);
  }
}

function open(dbPath: string, secretFile: string | undefined) {
  if (!fs.existsSync(dbPath)) fail(`database not found: ${dbPath}`);
  const { db, sqlite } = openDatabase(path.resolve(dbPath));
  return { store: createSqliteStore(db, sqlite), keys: deriveKeys(secretFor(dbPath, secretFile)) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      "from-secret-file": { type: "string" },
      "to-secret-file": { type: "string" },
    },
  });
  if (!values.from || !values.to) fail("usage: npm run preview:refresh -- --from <production db> --to <preview db>");
  if (path.resolve(values.from) === path.resolve(values.to)) fail("--from and --to are the same database");
  const prod = open(values.from, values["from-secret-file"]);
  const preview = open(values.to, values["to-secret-file"]);
  try {
    const r = await refreshPreviewKeys(prod, preview, Date.now());
    console.log(`Preview refresh done: ${r.matched} matched, ${r.overwritten} overwritten, ${r.skipped} skipped (no such user in preview), ${r.removed} preview-only keys removed.`);
  } catch (e) {
    if (e instanceof SecretsDiffer) fail(e.message);
    throw e;
  } finally {
    await prod.store.close();
    await preview.store.close();
  }
}

void main();
