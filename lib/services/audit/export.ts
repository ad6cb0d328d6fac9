/**
 * The audit log as CSV for one filter. Rows are read in keyset pages (never one unbounded query)
 * and produced chunk by chunk, so a caller can stream them out.
 */
import { requireAdmin, type ServiceContext } from "../context";
import { AUDIT_CSV_HEADER, auditEventCells, csvRow } from "./csv";
import type { AuditCriteria } from "./filter";

export const EXPORT_PAGE_SIZE = 1000;
export const EXPORT_MAX_ROWS = 100_000;

export interface ExportOptions {
  pageSize?: number;
  maxRows?: number;
}

/**
 * The CSV text in chunks: the header, then one chunk per page of events, newest first. Stops after
 * `maxRows` events. The admin check runs at once, before the first chunk is asked for.
 */
export function exportAuditCsv(ctx: ServiceContext, criteria: AuditCriteria, opts: ExportOptions = {}): AsyncGenerator<string> {
  requireAdmin(ctx);
  return csvChunks(ctx, criteria, opts.pageSize ?? EXPORT_PAGE_SIZE, opts.maxRows ?? EXPORT_MAX_ROWS);
}

async function* csvChunks(ctx: ServiceContext, criteria: AuditCriteria, pageSize: number, maxRows: number): AsyncGenerator<string> {
  yield csvRow(AUDIT_CSV_HEADER);
  let before: number | undefined;
  let written = 0;
  while (written < maxRows) {
    const limit = Math.min(pageSize, maxRows - written);
    const events = await ctx.rt.store.audit.list({ ...criteria, beforeId: before, limit });
    if (events.length === 0) return;
    yield events.map((e) => csvRow(auditEventCells(e))).join("");
    written += events.length;
    const last = events.at(-1);
    if (events.length < limit || !last) return;
    before = last.id;
  }
}

/** A file name like keyward-audit-20260115-120000.csv for the given time. */
export function exportFileName(at: number): string {
  const stamp = new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `keyward-audit-${stamp}.csv`;
}
