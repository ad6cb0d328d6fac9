/** Table snapshots, to show that a refused request (or a read) changed nothing, and the difference when it did. */
import type Database from "better-sqlite3";

export interface Snapshot {
  projects: string;
  users: string;
  apiKeys: string;
  settings: string;
  customers: string;
  certificates: string;
  lastSessionRowid: number;
}

/** Row texts ordered by key; `quote()` keeps NULL apart from the text 'NULL'. */
const rowsSql = (table: string, columns: string[], key: string) =>
  `SELECT count(*) || char(10) || coalesce(group_concat(${columns.map((c) => `quote(${c})`).join(" || ',' || ")}, char(10) ORDER BY ${key}), '') AS v FROM ${table}`;

const SNAPSHOT_SQL = {
  projects: rowsSql(
    "projects",
    ["id", "name", "description", "status", "priority", "percent_complete", "planned_start_date", "planned_completion_date", "owner_id", "entry_date", "last_update_date"],
    "id",
  ),
  // failed_logins, locked_until, updated_at and last_login_at may change on a refused sign-in.
  users: rowsSql("users", ["id", "username", "name", "email", "access_level", "is_active", "password_hash", "password_changed_at", "created_at"], "id"),
  // last_used_at is written when a valid key authenticates a request that is then refused.
  apiKeys: rowsSql("api_keys", ["user_id", "lookup_hash", "ciphertext", "hint", "created_at"], "user_id"),
  settings: rowsSql(
    "instance_settings",
    [
      "id",
      "api_key_expiry",
      "api_key_expiry_changed_at",
      "remove_key_on_password_expiry",
      "password_reset_days",
      "lockout_enabled",
      "lockout_threshold",
      "lockout_minutes",
      "sso_type",
      "sso_only",
      "x509_enabled",
      "updated_at",
    ],
    "id",
  ),
  customers: rowsSql("customers", ["id", "customer_id", "name", "secret_fingerprint", "created_at"], "id"),
  certificates: rowsSql("api_certificates", ["slot", "file_name", "der", "fingerprint256", "details", "uploaded_by", "uploaded_at"], "slot"),
};

/** The snapshot queries, prepared once on a read-only connection. */
export class TableSnapshots {
  private readonly queries: Record<keyof typeof SNAPSHOT_SQL, Database.Statement<[], { v: string }>>;
  private readonly lastSessionRowid: Database.Statement<[], { n: number }>;

  constructor(db: Database.Database) {
    this.queries = {
      projects: db.prepare(SNAPSHOT_SQL.projects),
      users: db.prepare(SNAPSHOT_SQL.users),
      apiKeys: db.prepare(SNAPSHOT_SQL.apiKeys),
      settings: db.prepare(SNAPSHOT_SQL.settings),
      customers: db.prepare(SNAPSHOT_SQL.customers),
      certificates: db.prepare(SNAPSHOT_SQL.certificates),
    };
    this.lastSessionRowid = db.prepare("SELECT coalesce(max(rowid), 0) AS n FROM sessions");
  }

  take(): Snapshot {
    return {
      projects: this.queries.projects.get()!.v,
      users: this.queries.users.get()!.v,
      apiKeys: this.queries.apiKeys.get()!.v,
      settings: this.queries.settings.get()!.v,
      customers: this.queries.customers.get()!.v,
      certificates: this.queries.certificates.get()!.v,
      lastSessionRowid: this.lastSessionRowid.get()!.n,
    };
  }
}

/** What changed between two snapshots; sessions count only when `sessions` (a read may sign in). */
export function diff(before: Snapshot, after: Snapshot, sessions: boolean): string[] {
  const out: string[] = [];
  for (const table of ["projects", "users", "apiKeys", "settings", "customers", "certificates"] as const) {
    if (before[table] === after[table]) continue;
    const was = new Set(before[table].split("\n"));
    const now = new Set(after[table].split("\n"));
    const removed = [...was].filter((r) => !now.has(r)).map((r) => `- ${r.slice(0, 300)}`);
    const added = [...now].filter((r) => !was.has(r)).map((r) => `+ ${r.slice(0, 300)}`);
    out.push(`${table} changed:\n    ${[...removed, ...added].slice(0, 6).join("\n    ")}`);
  }
  if (sessions && after.lastSessionRowid > before.lastSessionRowid) out.push("a session was started");
  return out;
}
