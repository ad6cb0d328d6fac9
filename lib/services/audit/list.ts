/** Reading the audit log one page at a time, newest first, with a keyset cursor on the event id. */
import type { AuditEvent } from "../../storage/types";
import { requireAdmin, type ServiceContext } from "../context";
import { AUDIT_PAGE_SIZE, type AuditCriteria } from "./filter";

export interface AuditPage {
  events: AuditEvent[];
  /** Cursor for the next older page; undefined when this page reaches the oldest match. */
  olderBefore?: number;
}

export async function listAuditPage(
  ctx: ServiceContext,
  criteria: AuditCriteria,
  before?: number,
  pageSize: number = AUDIT_PAGE_SIZE,
): Promise<AuditPage> {
  requireAdmin(ctx);
  // One row more than shown tells whether an older page exists without counting the table.
  const rows = await ctx.rt.store.audit.list({ ...criteria, beforeId: before, limit: pageSize + 1 });
  const events = rows.slice(0, pageSize);
  const olderBefore = rows.length > pageSize ? events.at(-1)?.id : undefined;
  return { events, olderBefore };
}
