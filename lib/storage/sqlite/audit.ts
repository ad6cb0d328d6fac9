/** The audit log: append and list, newest first. Append-only (the schema refuses edits); not cached. */
import { and, desc, eq, gte, lt, lte, sql } from "drizzle-orm";
import { auditEvents } from "../../../db/schema";
import type { AuditEvent, Store } from "../types";
import type { Scope } from "./context";
import { escapeLike } from "./object-sql";

export function auditAggregate({ db, op, prepared }: Scope): Store["audit"] {
  // Appended on every credential write (token exchanges included): one prepared statement, not a
  // query built per call.
  const insert = prepared(
    "INSERT INTO audit_events (at, actor_id, actor_name, action, subject_type, subject_id, ip, user_agent, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  return {
    append: op((e) => {
      insert.run(e.at, e.actorId, e.actorName, e.action, e.subjectType ?? null, e.subjectId ?? null, e.ip ?? null, e.userAgent ?? null, e.details ? JSON.stringify(e.details) : null);
    }),
    list: op((f) => {
      const conds = [
        f.action
          ? f.action.endsWith("*")
            ? sql`substr(${auditEvents.action}, 1, ${f.action.length - 1}) = ${f.action.slice(0, -1)}`
            : eq(auditEvents.action, f.action)
          : undefined,
        f.actor ? sql`${auditEvents.actorName} LIKE ${"%" + escapeLike(f.actor) + "%"} ESCAPE '\\'` : undefined,
        f.from !== undefined ? gte(auditEvents.at, f.from) : undefined,
        f.to !== undefined ? lte(auditEvents.at, f.to) : undefined,
        f.beforeId !== undefined ? lt(auditEvents.id, f.beforeId) : undefined,
      ].filter(Boolean);
      return db
        .select()
        .from(auditEvents)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(auditEvents.id))
        .limit(f.limit)
        .all()
        .map((r): AuditEvent => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
    }),
  };
}
