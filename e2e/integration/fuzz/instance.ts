/** The fuzzed instance: a test runtime over a real SQLite file, seeded through the API and repaired between cases. */
import Database from "better-sqlite3";
import { lookupHash } from "../../../lib/crypto/secrets";
import { actorOf } from "../../../lib/domain/actor";
import { generateApiKey } from "../../../lib/services/api-keys/manage";
import { verifyApiKey } from "../../../lib/services/api-keys/verify";
import { startSession } from "../../../lib/services/auth/sessions";
import type { ServiceContext } from "../../../lib/services/context";
import { updateUser } from "../../../lib/services/users/write";
import { setCertificateLogin } from "../../../lib/services/x509/set-login";
import { createTestRuntime, type TestRuntime } from "../../../lib/testing/runtime";
import { isPlainObject } from "./checks";
import { excerpt } from "./report";
import { serverSecrets, type Secret } from "./secrets";
import { seedWorld } from "./seed";
import { call, login, newProject, REPAIR_IP } from "./setup-api";
import { TableSnapshots, type Snapshot } from "./snapshot";
import type { World } from "./world";

/** Above this many projects, the ones the fuzzer created are removed so snapshots stay cheap. */
const MAX_PROJECTS = 300;

export class FuzzedInstance {
  private readonly tables: TableSnapshots;
  private readonly userRow: Database.Statement<[string], { username: string; access_level: string; is_active: number; failed_logins: number; locked_until: number | null }>;
  private readonly sessionRow: Database.Statement<[string], { last_seen_at: number }>;
  private readonly projectIds: Database.Statement<[], { id: string }>;
  private readonly projectCount: Database.Statement<[], { n: number }>;
  world!: World;
  secrets: Secret[] = [];

  private constructor(
    readonly rt: TestRuntime,
    private readonly db: Database.Database,
  ) {
    this.tables = new TableSnapshots(db);
    this.userRow = db.prepare("SELECT username, access_level, is_active, failed_logins, locked_until FROM users WHERE id = ?");
    this.sessionRow = db.prepare("SELECT last_seen_at FROM sessions WHERE id_hash = ?");
    this.projectIds = db.prepare("SELECT id FROM projects");
    this.projectCount = db.prepare("SELECT count(*) AS n FROM projects");
  }

  /** With `x509`, certificate login is turned on after seeding: password calls need the seeded certificates. */
  static async create(env: Record<string, string>, opts: { x509?: boolean } = {}): Promise<FuzzedInstance> {
    const rt = await createTestRuntime(env);
    const db = new Database(rt.settings.databasePath, { readonly: true, fileMustExist: true });
    const instance = new FuzzedInstance(rt, db);
    instance.world = await seedWorld(rt);
    if (opts.x509) await setCertificateLogin(instance.adminContext(), true);
    instance.secrets = serverSecrets(rt, db, instance.world);
    return instance;
  }

  close(): void {
    this.db.close();
    void this.rt.cleanup();
  }

  /** Every stored project and user, with every field, as the admin and as the user; problems found. */
  async probe(): Promise<string[]> {
    await this.repair();
    const problems: string[] = [];
    for (const who of [this.world.admin, this.world.user]) {
      for (const probe of ["/proj/search?fields=*&$$LIMIT=2000", "/user/search?fields=*&$$LIMIT=2000"]) {
        const r = await call(probe, { headers: { sessionID: who.session } });
        if (r.status !== 200 || !isPlainObject(r.body) || !Array.isArray(r.body.data)) {
          problems.push(`afterwards, GET ${probe} as ${who.username} answered ${r.status}: ${excerpt(JSON.stringify(r.body), 300)}`);
        }
      }
    }
    return problems;
  }

  snapshot(): Snapshot {
    return this.tables.take();
  }


  private adminContext(): ServiceContext {
    const a = this.world.admin;
    return { rt: this.rt, actor: actorOf({ id: a.id, username: a.username, name: "Fuzz repair", accessLevel: "admin" }, "system"), meta: { ip: REPAIR_IP, userAgent: "fuzz-repair" } };
  }

  private sessionAlive(session: string): boolean {
    const row = this.sessionRow.get(lookupHash(this.rt.keys, session));
    return !!row && this.rt.clock.now() - row.last_seen_at < this.rt.settings.sessionIdleMs - 3_600_000;
  }

  /**
   * Puts back what earlier (successful) requests changed about the seeded accounts, sessions, key and
   * projects, so every case meets a working admin and user. Repairs use the API, the services and
   * the store, never SQL of their own.
   */
  async repair(): Promise<void> {
    const rt = this.rt;
    for (const account of [this.world.admin, this.world.user]) {
      let row = this.userRow.get(account.id)!;
      if (row.username !== account.username || row.access_level !== account.accessLevel || row.is_active !== 1) {
        try {
          await updateUser(this.adminContext(), account.id, { username: account.username, accessLevel: account.accessLevel, isActive: true });
        } catch {
          // The name was taken meanwhile: keep the account under a new one.
          account.username = `${account.username}.${Date.now().toString(36)}`;
          await updateUser(this.adminContext(), account.id, { username: account.username, accessLevel: account.accessLevel, isActive: true });
        }
        row = this.userRow.get(account.id)!;
      }
      if (row.locked_until !== null && row.locked_until > rt.clock.now()) rt.clock.advance(row.locked_until - rt.clock.now() + 1000);
      const alive = this.sessionAlive(account.session);
      if (!alive || row.failed_logins > 0) {
        // A successful sign-in also clears the failure count, so the seeded accounts never lock.
        const s = await login(account.username, account.password, this.world.certificates.current.pem);
        if (s) account.session = s;
        else if (!alive) {
          const user = (await rt.store.users.byId(account.id))!;
          account.session = await startSession({ rt, actor: null, meta: { ip: REPAIR_IP, userAgent: "fuzz-repair" } }, user);
        }
      }
    }
    const user = this.world.user;
    if (!(await verifyApiKey(rt, user.apiKey))) {
      user.apiKey = await generateApiKey({ rt, actor: actorOf({ id: user.id, username: user.username, name: "Fuzz User", accessLevel: "user" }, "system"), meta: { ip: REPAIR_IP } }, user.id);
    }
    const existing = new Set(this.projectIds.all().map((r) => r.id));
    for (const kind of ["admin", "user", "scratch"] as const) {
      const ids = this.world.projects[kind];
      for (const [i, id] of ids.entries()) {
        if (existing.has(id)) continue;
        const session = kind === "admin" ? this.world.admin.session : this.world.user.session;
        ids[i] = await newProject(session, `${kind} project ${i} (again)`);
      }
    }
    if (this.projectCount.get()!.n > MAX_PROJECTS) {
      const keep = new Set(Object.values(this.world.projects).flat());
      for (const id of existing) if (!keep.has(id)) await rt.store.objects.delete("PROJ", id);
    }
  }
}
