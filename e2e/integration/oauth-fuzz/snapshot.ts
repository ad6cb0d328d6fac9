/** Snapshots of the OAuth tables (read on a read-only connection), to show what a request changed. */
import type Database from "better-sqlite3";

export interface TokenRow {
  hash: string;
  kind: string;
  clientId: string;
  grant: string;
  familyId: string | null;
  expiresAt: number | null;
  createdAt: number;
  rotatedAt: number | null;
  /** Every column, to tell a changed row from an untouched one. */
  text: string;
}

export interface CodeRow {
  hash: string;
  clientId: string;
  familyId: string | null;
  redeemedAt: number | null;
  text: string;
}

export interface OAuthSnapshot {
  tokens: Map<string, TokenRow>;
  codes: Map<string, CodeRow>;
  /** Apps, secrets, keys and consents without their last-used times. */
  settings: string;
  /** The last-used times of apps, secrets and keys. */
  lastUsed: string;
  /** `oauth_token.issue` audit events. */
  issued: number;
  /** Claimed JWT `jti` values. */
  jtis: number;
}

const rows = (table: string, columns: string[], key: string) =>
  `SELECT coalesce(group_concat(${columns.map((c) => `quote(${c})`).join(" || ',' || ")}, char(10) ORDER BY ${key}), '') AS v FROM ${table}`;

const SETTINGS_SQL = [
  rows(
    "oauth_apps",
    [
      "client_id",
      "type",
      "name",
      "description",
      "token_type",
      "redirect_uris",
      "refresh_rotation",
      "refresh_absolute_expiry",
      "refresh_inactivity_expiry",
      "refresh_reuse_seconds",
      "logo",
      "developer_name",
      "developer_email",
      "privacy_policy_url",
      "created_by",
      "created_at",
      "updated_at",
    ],
    "client_id",
  ),
  rows("oauth_client_secrets", ["id", "client_id", "lookup_hash", "hint", "notes", "created_by", "created_at"], "id"),
  rows("oauth_public_keys", ["id", "client_id", "source", "spki_pem", "fingerprint256", "thumbprint", "bits", "certificate", "created_by", "created_at"], "id"),
  rows("oauth_consents", ["user_id", "client_id", "scope", "created_at", "updated_at"], "user_id, client_id"),
];
const LAST_USED_SQL = [rows("oauth_apps", ["client_id", "last_used_at"], "client_id"), rows("oauth_client_secrets", ["id", "last_used_at"], "id"), rows("oauth_public_keys", ["id", "last_used_at"], "id")];

type Row = unknown[];

export class OAuthTables {
  private readonly tokens: Database.Statement<[], Row>;
  private readonly codes: Database.Statement<[], Row>;
  private readonly settings: Database.Statement<[], { v: string }>[];
  private readonly lastUsed: Database.Statement<[], { v: string }>[];
  private readonly issued: Database.Statement<[], { n: number }>;
  private readonly jtis: Database.Statement<[], { n: number }>;

  constructor(db: Database.Database) {
    this.tokens = db
      .prepare<[], Row>(
        "SELECT lookup_hash, kind, client_id, grant_type, family_id, expires_at, user_id, secret_id, public_key_id, scope, created_at, last_used_at, rotated_at FROM oauth_tokens",
      )
      .raw();
    this.codes = db.prepare<[], Row>("SELECT lookup_hash, client_id, family_id, redeemed_at, user_id, redirect_uri, code_challenge, scope, created_at, expires_at FROM oauth_codes").raw();
    this.settings = SETTINGS_SQL.map((q) => db.prepare<[], { v: string }>(q));
    this.lastUsed = LAST_USED_SQL.map((q) => db.prepare<[], { v: string }>(q));
    this.issued = db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'oauth_token.issue'");
    this.jtis = db.prepare("SELECT count(*) AS n FROM oauth_assertion_ids");
  }

  take(): OAuthSnapshot {
    const tokens = new Map<string, TokenRow>();
    for (const r of this.tokens.all()) {
      const [hash, kind, clientId, grant, familyId, expiresAt] = r as [string, string, string, string, string | null, number | null];
      const [createdAt, , rotatedAt] = r.slice(10) as [number, number | null, number | null];
      tokens.set(hash, { hash, kind, clientId, grant, familyId, expiresAt, createdAt, rotatedAt, text: JSON.stringify(r) });
    }
    const codes = new Map<string, CodeRow>();
    for (const r of this.codes.all()) {
      const [hash, clientId, familyId, redeemedAt] = r as [string, string, string | null, number | null];
      codes.set(hash, { hash, clientId, familyId, redeemedAt, text: JSON.stringify(r) });
    }
    return {
      tokens,
      codes,
      settings: this.settings.map((s) => s.get()!.v).join("\n--\n"),
      lastUsed: this.lastUsed.map((s) => s.get()!.v).join("\n--\n"),
      issued: this.issued.get()!.n,
      jtis: this.jtis.get()!.n,
    };
  }
}

/** Tokens added, removed and changed between two snapshots. */
export function tokenChanges(before: OAuthSnapshot, after: OAuthSnapshot): { added: TokenRow[]; removed: TokenRow[]; changed: [TokenRow, TokenRow][] } {
  const added: TokenRow[] = [];
  const removed: TokenRow[] = [];
  const changed: [TokenRow, TokenRow][] = [];
  for (const [h, row] of after.tokens) {
    const was = before.tokens.get(h);
    if (!was) added.push(row);
    else if (was.text !== row.text) changed.push([was, row]);
  }
  for (const [h, row] of before.tokens) if (!after.tokens.has(h)) removed.push(row);
  return { added, removed, changed };
}

/** Codes whose row changed (redeemed) or appeared between two snapshots. */
export function codeChanges(before: OAuthSnapshot, after: OAuthSnapshot): string[] {
  const out: string[] = [];
  for (const [h, row] of after.codes) {
    const was = before.codes.get(h);
    if (!was) out.push(`a code was created: ${row.text}`);
    else if (was.text !== row.text) out.push(`a code changed: ${was.text} -> ${row.text}`);
  }
  for (const [h, row] of before.codes) if (!after.codes.has(h)) out.push(`a code was deleted: ${row.text}`);
  return out;
}
