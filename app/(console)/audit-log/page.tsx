import { requireConsoleAdmin } from "@/app/_server/guard";
import { AuditFilterForm } from "@/components/audit/audit-filter-form";
import { AuditTable } from "@/components/audit/audit-table";
import { Card, PageTitle } from "@/components/ui/card";
import { auditQueryString, parseAuditQuery } from "@/lib/services/audit/filter";
import { listAuditPage } from "@/lib/services/audit/list";

const LINK = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const { ctx } = await requireConsoleAdmin();
  const query = parseAuditQuery(await searchParams);
  // A bad filter lists nothing rather than something that looks filtered but is not.
  const page = query.errors.length ? null : await listAuditPage(ctx, query.criteria, query.before);

  return (
    <>
      <PageTitle subtitle="Sign-ins, credential changes and administration, newest first. Times are UTC.">Audit log</PageTitle>
      <Card title="Filter">
        <AuditFilterForm values={query.values} />
      </Card>
      <Card title="Events">
        {query.errors.length > 0 && (
          <div role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {query.errors.map((e) => (
              <p key={e}>{e}</p>
            ))}
          </div>
        )}
        {page && (
          <>
            <nav aria-label="Audit pages" className="mb-4 flex flex-wrap items-center gap-2">
              {query.before !== undefined && (
                <a href={`/audit-log${auditQueryString(query.values)}`} className={LINK}>
                  Newest
                </a>
              )}
              {page.olderBefore !== undefined && (
                <a href={`/audit-log${auditQueryString(query.values, page.olderBefore)}`} className={LINK}>
                  Older
                </a>
              )}
              <span className="text-sm text-slate-500" data-testid="audit-count">
                {page.events.length} {page.events.length === 1 ? "event" : "events"} on this page
              </span>
              <a href={`/audit-log/export${auditQueryString(query.values)}`} download className={`${LINK} ml-auto`}>
                Export CSV
              </a>
            </nav>
            <AuditTable events={page.events} />
          </>
        )}
      </Card>
    </>
  );
}
