/** REST sessions, cached under `session:<id hash>`; each write evicts the sessions it changed or removed. */
import { sessions } from "../../../db/schema";
import type { Session, Store } from "../types";
import type { Scope, Touched } from "./context";
import { cacheKeys } from "./read-cache";

export function sessionsAggregate({ db, prepared, op, write, cached }: Scope): Store["sessions"] {
  const byHash = prepared(
    "SELECT id_hash AS idHash, user_id AS userId, created_at AS createdAt, last_seen_at AS lastSeenAt FROM sessions WHERE id_hash = ?",
  );
  /** Runs a DELETE ... RETURNING id_hash and reports each removed session. */
  const deleteReturning = (text: string, touched: Touched, ...params: unknown[]) => {
    const hashes = prepared(text).pluck().all(...params) as string[];
    for (const h of hashes) touched.entry(cacheKeys.session(h));
    return hashes.length;
  };
  return {
    create: write((touched, s) => {
      touched.entry(cacheKeys.session(s.idHash));
      db.insert(sessions).values(s).run();
    }),
    byHash: op((h) => cached(cacheKeys.session(h), () => (byHash.get(h) as Session | undefined) ?? null)),
    touch: write((touched, h, at) => {
      touched.entry(cacheKeys.session(h));
      prepared("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").run(at, h);
    }),
    delete: write((touched, h) => {
      touched.entry(cacheKeys.session(h));
      prepared("DELETE FROM sessions WHERE id_hash = ?").run(h);
    }),
    deleteForUser: write((touched, userId) => deleteReturning("DELETE FROM sessions WHERE user_id = ? RETURNING id_hash", touched, userId)),
    deleteForNonAdmins: write((touched) =>
      deleteReturning("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE access_level <> 'admin') RETURNING id_hash", touched),
    ),
    deleteAll: write((touched) => deleteReturning("DELETE FROM sessions RETURNING id_hash", touched)),
  };
}
