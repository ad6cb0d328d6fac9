/** The secrets no answer may show: the server's keys, paths, passwords and hashes, and credentials the request did not carry. */
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { ADMIN, type TestRuntime } from "../../../lib/testing/runtime";
import type { World } from "./world";

export interface Secret {
  label: string;
  value: string;
}

/** The server's secrets and the seeded passwords and password hashes, read once after seeding. */
export function serverSecrets(rt: TestRuntime, db: Database.Database, world: World): Secret[] {
  const secret = fs.readFileSync(path.join(rt.settings.dataDir, "secret.key"), "utf8").trim();
  const hashes = db.prepare("SELECT username, password_hash AS h FROM users").all() as { username: string; h: string }[];
  return [
    { label: "the server secret", value: secret },
    { label: "the lookup key", value: rt.keys.lookup.toString("base64url") },
    { label: "the lookup key", value: rt.keys.lookup.toString("hex") },
    { label: "the encryption key", value: rt.keys.encryption.toString("base64url") },
    { label: "the encryption key", value: rt.keys.encryption.toString("hex") },
    { label: "the cookie secret", value: rt.keys.cookie },
    { label: "the secret fingerprint", value: rt.keys.fingerprint },
    { label: "the database path", value: rt.settings.databasePath },
    { label: "the data folder", value: rt.dir },
    { label: "the admin password", value: ADMIN.password },
    { label: "a seeded user's password", value: world.user.password },
    ...world.scratch.map((s) => ({ label: "a seeded user's password", value: s.password })),
    ...hashes.map((u) => ({ label: `the password hash of ${u.username}`, value: u.h })),
    { label: "a password hash", value: "scrypt$" },
  ];
}

/** The secrets an answer to a request carrying `requestText` must not show. */
export function secretsFor(server: Secret[], w: World, requestText: string): Secret[] {
  const secrets = [...server];
  // Session IDs and the user's key may only come back to a request that already held them.
  const sessions: [string, string][] = [
    ["the admin's session ID", w.admin.session],
    ["the user's session ID", w.user.session],
  ];
  for (const [label, value] of sessions) {
    if (!requestText.includes(value)) secrets.push({ label, value });
  }
  if (![w.user.session, w.user.password, w.user.apiKey].some((v) => requestText.includes(v))) {
    secrets.push({ label: "the user's API key", value: w.user.apiKey });
  }
  return secrets;
}
