/** The fuzzed instance: a test runtime over a real SQLite file, its seeded OAuth world, a read-only view of its tables and the secrets no answer may show. */
import fs from "node:fs";
import path from "node:path";
import { hkdfSync } from "node:crypto";
import Database from "better-sqlite3";
import { authorizationServerMetadata } from "../../../lib/services/oauth/metadata";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../../lib/testing/runtime";
import type { Secret } from "../fuzz/secrets";
import { OAuthTables } from "./snapshot";
import { WorldKeeper } from "./world";

export class OAuthFuzzInstance {
  readonly tables: OAuthTables;
  readonly keeper: WorldKeeper;
  /** Secrets no answer may show, whatever the request carried. */
  alwaysSecret: Secret[] = [];
  readonly metadata: unknown;
  private readonly storedHashes: Database.Statement<[], string>;

  private constructor(
    readonly rt: TestRuntime,
    private readonly db: Database.Database,
    readonly limitsOn: boolean,
  ) {
    this.tables = new OAuthTables(db);
    this.keeper = new WorldKeeper(rt);
    this.metadata = authorizationServerMetadata(rt);
    this.storedHashes = db.prepare<[], string>("SELECT lookup_hash FROM oauth_client_secrets UNION ALL SELECT password_hash FROM users").pluck();
  }

  static async create(env: Record<string, string>, limitsOn: boolean): Promise<OAuthFuzzInstance> {
    const rt = await createTestRuntime(env);
    const db = new Database(rt.settings.databasePath, { readonly: true, fileMustExist: true });
    const instance = new OAuthFuzzInstance(rt, db, limitsOn);
    await instance.keeper.seed();
    instance.alwaysSecret = instance.serverSecrets();
    return instance;
  }

  close(): void {
    this.db.close();
    void this.rt.cleanup();
  }

  private serverSecrets(): Secret[] {
    const { rt } = this;
    const secret = fs.readFileSync(path.join(rt.settings.dataDir, "secret.key"), "utf8").trim();
    const consentKey = Buffer.from(hkdfSync("sha256", rt.keys.lookup, Buffer.alloc(0), "keyward:consent", 32));
    const pemLines = [...this.keeper.known].filter(([, label]) => label.includes("private key")).map(([pem]) => pem.split("\n")[2] ?? "");
    return [
      { label: "the server secret", value: secret },
      ...(["base64url", "base64", "hex"] as const).flatMap((enc) => [
        { label: "the lookup key", value: rt.keys.lookup.toString(enc) },
        { label: "the encryption key", value: rt.keys.encryption.toString(enc) },
        { label: "the consent key", value: consentKey.toString(enc) },
      ]),
      { label: "the cookie secret", value: rt.keys.cookie },
      { label: "the secret fingerprint", value: rt.keys.fingerprint },
      { label: "the database path", value: rt.settings.databasePath },
      { label: "the data folder", value: rt.dir },
      { label: "the admin password", value: ADMIN.password },
      ...pemLines.filter((l) => l.length >= 32).map((value) => ({ label: "a line of a private key", value })),
      ...this.storedHashes.all().map((value) => ({ label: "a stored secret or password hash", value })),
      { label: "a password hash", value: "scrypt$" },
    ];
  }
}
