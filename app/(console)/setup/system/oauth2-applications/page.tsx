import { requireConsoleAdmin } from "@/app/_server/guard";
import { AppsTable } from "@/components/oauth-apps/apps-table";
import { CreateApp } from "@/components/oauth-apps/create-app";
import { HandedNotice } from "@/components/oauth-apps/handed-notice";
import { Card, PageTitle } from "@/components/ui/card";
import { listOAuthApps } from "@/lib/services/oauth-apps/get";
import { createAppAction } from "./actions";

export const metadata = { title: "OAuth2 Applications" };

const LIMIT_REASON_ID = "oauth-app-limit-reason";

export default async function OAuth2ApplicationsPage() {
  const { ctx } = await requireConsoleAdmin();
  const { apps, limit } = await listOAuthApps(ctx);
  const atLimit = apps.length >= limit;

  return (
    <>
      <PageTitle subtitle="Setup › System">OAuth2 Applications</PageTitle>
      <HandedNotice to={null} />
      <Card
        title="Applications"
        description="Integrations that reach the API through OAuth2: servers with the JWT flow, web apps with the authorization code flow, and single-page apps with PKCE."
      >
        <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
          <CreateApp create={createAppAction} atLimit={atLimit} reasonId={LIMIT_REASON_ID} />
          <span data-testid="app-count" className="text-slate-600">
            {apps.length} of {limit} applications
          </span>
          {atLimit && (
            <span id={LIMIT_REASON_ID} data-testid="app-limit-reason" className="rounded-md bg-amber-50 px-3 py-1.5 text-amber-900">
              You have {apps.length} of {limit} applications, the most allowed. Delete one before creating another.
            </span>
          )}
        </div>
        <AppsTable apps={apps} />
      </Card>
    </>
  );
}
