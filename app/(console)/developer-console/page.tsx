import { requireConsoleAdmin } from "@/app/_server/guard";
import { Card, PageTitle } from "@/components/ui/card";

export const metadata = { title: "Integrations" };

// Placeholder: service credentials for server-to-server calls are a later capability.
export default async function DeveloperConsolePage() {
  await requireConsoleAdmin();
  return (
    <>
      <PageTitle subtitle="Developer Console">Integrations</PageTitle>
      <Card title="Not available yet" description="Service credentials for server-to-server integrations will be managed here.">
        <p className="text-sm text-slate-600">
          Get Service Credentials (a JSON bundle whose signed JWT is exchanged for a 24-hour bearer token), local development
          tokens and revocation. Until then, integrations use per-user API keys.
        </p>
      </Card>
    </>
  );
}
