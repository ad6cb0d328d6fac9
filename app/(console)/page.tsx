import Link from "next/link";
import { redirect } from "next/navigation";
import { requireConsoleUser } from "@/app/_server/guard";
import { PageTitle } from "@/components/ui/card";
import { CertificateExpiryWarning } from "@/components/x509/expiry-warning";
import { certificatesNeedingAttention } from "@/components/x509/types";
import { ServiceCredentialExpiryWarning } from "@/components/developer-console/expiry-warning";
import { getCertificateSettings } from "@/lib/services/x509/get";
import { credentialsNeedingAttention } from "@/lib/services/service-credentials/view";

/**
 * Administrators land on Customer Info, unless something needs their attention first (an API login
 * certificate or a service credential's certificate that has expired or expires soon): then this
 * page says so. Everyone else lands
 * on their account.
 */
export default async function Home() {
  const { ctx, isAdmin } = await requireConsoleUser();
  if (!isAdmin) redirect("/account");
  const attention = certificatesNeedingAttention(await getCertificateSettings(ctx));
  const credentials = await credentialsNeedingAttention(ctx);
  if (attention.length === 0 && credentials.length === 0) redirect("/setup/system/customer-info");
  return (
    <>
      <PageTitle subtitle="Things on this instance that need an administrator's attention.">Console</PageTitle>
      <CertificateExpiryWarning certificates={attention} link />
      <ServiceCredentialExpiryWarning
        credentials={credentials.map(({ clientId, name, expiry, certificateExpires }) => ({ clientId, name, expiry, certificateExpires }))}
      />
      <p className="text-sm">
        <Link href="/setup/system/customer-info" className="text-blue-700 underline">
          Continue to Customer Info
        </Link>
      </p>
    </>
  );
}
