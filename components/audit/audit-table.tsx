import { describeAuditAction } from "@/lib/domain/audit-actions";
import type { AuditEvent } from "@/lib/storage/types";

const AGENT_CHARS = 40;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function Subject({ e }: { e: AuditEvent }) {
  if (!e.subjectType && !e.subjectId) return <span className="text-slate-400">—</span>;
  return (
    <span title={e.subjectId ?? undefined}>
      {e.subjectType}
      {e.subjectId && <span className="ml-1 font-mono text-xs text-slate-500">{shorten(e.subjectId, 9)}</span>}
    </span>
  );
}

/** Audit events as a table, newest first as given. */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) {
    return <p className="rounded-md bg-slate-50 px-3 py-6 text-center text-sm text-slate-500">No events match this filter.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table aria-label="Audit events" className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Time (UTC)</th>
            <th className="py-2 pr-3">Actor</th>
            <th className="py-2 pr-3">Action</th>
            <th className="py-2 pr-3">Subject</th>
            <th className="py-2 pr-3">IP</th>
            <th className="py-2 pr-3">User agent</th>
            <th className="py-2">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-event-id={e.id} className="border-b border-slate-100 align-top">
              <td className="whitespace-nowrap py-2 pr-3 font-mono text-xs">{new Date(e.at).toISOString()}</td>
              <td className="whitespace-nowrap py-2 pr-3" title={e.actorId ?? undefined}>
                {e.actorName}
              </td>
              <td className="py-2 pr-3 font-mono text-xs" title={describeAuditAction(e.action) || undefined}>
                {e.action}
              </td>
              <td className="py-2 pr-3">
                <Subject e={e} />
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{e.ip ?? ""}</td>
              <td className="py-2 pr-3 text-xs text-slate-600" title={e.userAgent ?? undefined}>
                {e.userAgent ? shorten(e.userAgent, AGENT_CHARS) : ""}
              </td>
              <td className="max-w-md break-all py-2 font-mono text-xs text-slate-600">{e.details ? JSON.stringify(e.details) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
