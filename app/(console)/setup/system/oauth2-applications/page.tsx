import { requireConsoleAdmin } from "@/app/_server/guard";
import { Card, PageTitle } from "@/components/ui/card";

export const metadata = { title: "OAuth2 Applications" };

// Placeholder: OAuth2 applications (JWT, authorization code and PKCE flows) are a later capability.
export default async function OAuth2ApplicationsPage() {
  await requireConsoleAdmin();
  return (
    <>
      <PageTitle subtitle="Setup › System">OAuth2 Applications</PageTitle>
      <Card title="Not available yet" description="Applications that reach the API through OAuth2 will be registered here.">
        <p className="text-sm text-slate-600">
          Up to 10 applications: server authentication with the JWT flow, user authentication with the authorization code flow,
          and single-page apps with PKCE. Until then, integrations use per-user API keys (Customer Info › API Key Settings).
        </p>
      </Card>
    </>
  );
}
