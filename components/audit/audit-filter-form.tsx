import { AUDIT_ACTION_NAMES, AUDIT_ACTIONS } from "@/lib/domain/audit-actions";

export interface AuditFilterFields {
  action: string;
  actor: string;
  from: string;
  to: string;
}

const INPUT = "w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm";

/** The audit filter as a plain GET form, so every filtered view is a shareable URL. */
export function AuditFilterForm({ values }: { values: AuditFilterFields }) {
  return (
    <form method="get" action="/audit-log" aria-label="Filter audit events" className="grid grid-cols-1 items-end gap-3 md:grid-cols-5">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Action</span>
        <input name="action" list="audit-actions" defaultValue={values.action} placeholder="user.create or api_key.*" className={INPUT} />
        <datalist id="audit-actions">
          {AUDIT_ACTION_NAMES.map((a) => (
            <option key={a} value={a} label={AUDIT_ACTIONS[a]} />
          ))}
        </datalist>
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Actor</span>
        <input name="actor" defaultValue={values.actor} placeholder="part of a username" className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">From (UTC)</span>
        <input name="from" type="date" defaultValue={values.from} className={INPUT} />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">To (UTC)</span>
        <input name="to" type="date" defaultValue={values.to} className={INPUT} />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800">
          Filter
        </button>
        <a href="/audit-log" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
          Clear
        </a>
      </div>
    </form>
  );
}
