/**
 * CSV encoding (RFC 4180) for the audit export. Audit rows hold attacker-chosen text (a failed
 * sign-in records the username as typed), so cells that a spreadsheet would run as a formula are
 * defused with a leading single quote.
 */
import type { AuditEvent } from "../../storage/types";

export const CSV_NEWLINE = "\r\n";

export const AUDIT_CSV_HEADER = [
  "id",
  "time_utc",
  "actor",
  "actor_id",
  "action",
  "subject_type",
  "subject_id",
  "ip",
  "user_agent",
  "details",
] as const;

// Tab and carriage return also start formulas in some spreadsheet programs.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text as-is, objects as JSON, null as empty; quoted only when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, terminated by CRLF. */
export function csvRow(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(",") + CSV_NEWLINE;
}

export function auditEventCells(e: AuditEvent): unknown[] {
  return [
    e.id,
    new Date(e.at).toISOString(),
    e.actorName,
    e.actorId,
    e.action,
    e.subjectType,
    e.subjectId,
    e.ip,
    e.userAgent,
    e.details,
  ];
}
