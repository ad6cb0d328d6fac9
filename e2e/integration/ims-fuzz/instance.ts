/** The fuzzed instance: a test runtime over a real SQLite file, its seeded IMS world, a read-only view of the IMS tables, and the secrets no answer may show. */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { decrypt } from "../../../lib/crypto/secrets";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../../lib/testing/runtime";
import { WorldKeeper } from "./world";

export interface TokenRow {
  id: string;
  kind: string;
  clientId: string | null;
  userId: string;
  scope: string;
}

export class ImsFuzzInstance {
  readonly keeper: WorldKeeper;
  private serverSecrets: { label: string; value: string }[] = [];
  private readonly tokensSince: Database.Statement<[number], TokenRow>;
  private readonly tokensOf: Database.Statement<[string], { n: number }>;
  private readonly issueEvents: Database.Statement<[], { n: number }>;
  private readonly jtiRows: Database.Statement<[string], { n: number }>;
  private readonly storedSecrets: Database.Statement<[], string>;

  private constructor(
    readonly rt: TestRuntime,
    private readonly db: Database.Database,
    readonly limitsOn: boolean,
  ) {
    this.keeper = new WorldKeeper(rt);
    this.tokensSince = db.prepare<[number], TokenRow>("SELECT id, kind, client_id AS clientId, user_id AS userId, scope FROM ims_tokens WHERE created_at >= ?");
    this.tokensOf = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM ims_tokens WHERE client_id = ?");
    this.issueEvents = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'ims_token.issue'");
    this.jtiRows = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM ims_assertion_ids WHERE jti = ?");
    this.storedSecrets = db.prepare<[], string>("SELECT secret_hash FROM service_credentials UNION ALL SELECT secret_ciphertext FROM service_credentials UNION ALL SELECT private_key_ciphertext FROM signing_keys").pluck();
  }

  static async create(env: Record<string, string>, limitsOn: boolean): Promise<ImsFuzzInstance> {
    const rt = await createTestRuntime(env);
    const db = new Database(rt.settings.databasePath, { readonly: true, fileMustExist: true });
    const instance = new ImsFuzzInstance(rt, db, limitsOn);
    await instance.keeper.seed();
    instance.serverSecrets = await instance.readServerSecrets();
    return instance;
  }

  close(): void {
    this.db.close();
    void this.rt.cleanup();
  }

  /** Tokens stored at or after a time (the clock stands still during a case). */
  tokensCreatedSince(at: number): Map<string, TokenRow> {
    return new Map(this.tokensSince.all(at).map((r) => [r.id, r]));
  }

  liveTokensOf(clientId: string): number {
    return this.tokensOf.get(clientId)!.n;
  }

  issuedEvents(): number {
    return this.issueEvents.get()!.n;
  }

  claimedJti(jti: string): number {
    return this.jtiRows.get(jti)!.n;
  }

  /** Everything no answer may show: the server's keys and files, stored hashes, and every secret the world handed out. */
  secrets(): { label: string; value: string }[] {
    return [...this.serverSecrets, ...this.keeper.secrets];
  }

  private async readServerSecrets(): Promise<{ label: string; value: string }[]> {
    const { rt } = this;
    const secret = fs.readFileSync(path.join(rt.settings.dataDir, "secret.key"), "utf8").trim();
    const signing = await rt.store.signingKeys.list();
    const signingPems = signing.map((k) => decrypt(rt.keys, k.privateKeyCiphertext, `signing-key:${k.kid}`));
    return [
      { label: "the server secret", value: secret },
      ...(["base64url", "base64", "hex"] as const).flatMap((enc) => [
        { label: "the lookup key", value: rt.keys.lookup.toString(enc) },
        { label: "the encryption key", value: rt.keys.encryption.toString(enc) },
      ]),
      { label: "the cookie secret", value: rt.keys.cookie },
      { label: "the secret fingerprint", value: rt.keys.fingerprint },
      { label: "the database path", value: rt.settings.databasePath },
      { label: "the data folder", value: rt.dir },
      { label: "the admin password", value: ADMIN.password },
      ...signingPems.flatMap((pem) => pem.split("\n").filter((l) => l.length >= 32 && !l.startsWith("-----")).map((value) => ({ label: "a line of the token signing key", value }))),
      ...this.storedSecrets.all().map((value) => ({ label: "a stored client secret hash or sealed key", value })),
    ];
  }
}
