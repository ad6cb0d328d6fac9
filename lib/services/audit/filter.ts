/**
 * The audit log's filter, as it travels in a URL (`?action=&actor=&from=&to=&before=`): parsed and
 * validated into an AuditFilter, and written back into query strings for links and the CSV export.
 */
import { matchesSomeAuditAction } from "../../domain/audit-actions";
import type { AuditFilter } from "../../storage/types";

export const AUDIT_PAGE_SIZE = 100;

/** The filter fields as typed into the form, kept as text so the form can show them again. */
export interface AuditFilterValues {
  action: string;
  actor: string;
  from: string;
  to: string;
}

export type AuditCriteria = Omit<AuditFilter, "limit" | "beforeId">;

export interface ParsedAuditQuery {
  values: AuditFilterValues;
  criteria: AuditCriteria;
  /** Keyset cursor of the page being shown; undefined for the newest page. */
  before?: number;
  /** Readable problems with the input; when there are any, nothing should be listed. */
  errors: string[];
}

type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

const ACTION_RE = /^[A-Za-z0-9_.-]+\*?$|^\*$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const MAX_TEXT = 100;

function read(q: QueryInput, name: string): string {
  const v = q instanceof URLSearchParams ? q.get(name) : q[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? "";
}

/** Midnight UTC of a `YYYY-MM-DD` day, or null when the text is not a real calendar date. */
export function parseDay(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const back = new Date(at);
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches that.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return at;
}

export function parseAuditQuery(q: QueryInput): ParsedAuditQuery {
  const values: AuditFilterValues = { action: read(q, "action"), actor: read(q, "actor"), from: read(q, "from"), to: read(q, "to") };
  const criteria: AuditCriteria = {};
  const errors: string[] = [];

  if (values.action) {
    if (values.action.length > MAX_TEXT || !ACTION_RE.test(values.action)) {
      errors.push("Action may use letters, digits, '.', '_' and '-', with an optional '*' at the end (for example api_key.*).");
    } else if (!matchesSomeAuditAction(values.action)) {
      errors.push(`No audit action is called "${values.action}" (for example user.create, or api_key.* for every API key action).`);
    } else if (values.action !== "*") {
      criteria.action = values.action;
    }
  }
  if (values.actor) {
    if (values.actor.length > MAX_TEXT) errors.push(`Actor may be at most ${MAX_TEXT} characters.`);
    else criteria.actor = values.actor;
  }
  if (values.from) {
    const day = parseDay(values.from);
    if (day === null) errors.push(`From date "${values.from.slice(0, 40)}" is not a valid date (use YYYY-MM-DD).`);
    else criteria.from = day;
  }
  if (values.to) {
    const day = parseDay(values.to);
    if (day === null) errors.push(`To date "${values.to.slice(0, 40)}" is not a valid date (use YYYY-MM-DD).`);
    // Inclusive: the whole To day, up to its last millisecond.
    else criteria.to = day + DAY_MS - 1;
  }
  if (criteria.from !== undefined && criteria.to !== undefined && criteria.from > criteria.to) {
    errors.push("From date is after To date.");
  }

  let before: number | undefined;
  const cursor = read(q, "before");
  if (cursor) {
    if (/^[1-9]\d{0,15}$/.test(cursor)) before = Number(cursor);
    else errors.push("The page link is not valid; start again from the newest events.");
  }
  return { values, criteria, before, errors };
}

/** The query string for the given filter values (empty ones left out), plus an optional cursor. */
export function auditQueryString(values: AuditFilterValues, before?: number): string {
  const p = new URLSearchParams();
  for (const k of ["action", "actor", "from", "to"] as const) if (values[k]) p.set(k, values[k]);
  if (before !== undefined) p.set("before", String(before));
  const s = p.toString();
  return s ? `?${s}` : "";
}
