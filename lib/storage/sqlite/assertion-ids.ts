/**
 * Accepted JWT `jti` values, one table per kind of client (OAuth apps, service credentials), each
 * keyed by (client_id, jti) and kept until the assertion's own expiry, so none is replayed.
 */
import type { Scope } from "./context";

export interface JtiStore {
  /** Records a `jti` until `expiresAt`; false when the client already has it (a replay). */
  claim(clientId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

export function jtiStoreOn({ prepared, write }: Scope, table: "oauth_assertion_ids" | "ims_assertion_ids"): JtiStore {
  return {
    // A stored jti whose assertion has expired no longer guards anything: it may be claimed again.
    claim: write(
      (_touched, clientId: string, jti: string, expiresAt: number, now: number) =>
        prepared(
          `INSERT INTO ${table} (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = excluded.expires_at WHERE ${table}.expires_at <= ?`,
        ).run(clientId, jti, expiresAt, now).changes > 0,
    ),
    deleteExpired: write((_touched, now: number) => prepared(`DELETE FROM ${table} WHERE expires_at <= ?`).run(now).changes),
  };
}
