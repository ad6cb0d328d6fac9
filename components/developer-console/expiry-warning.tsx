import Link from "next/link";
import { ExpiryBanner } from "@/components/ui/expiry-banner";

export interface ExpiringCredential {
  clientId: string;
  name: string;
  /** The view's expiry state ("expiring" or "expired" here). */
  expiry: string;
  certificateExpires: number | null;
}

const formatDate = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";

/**
 * The console home's banner for service credentials whose newest certificate has expired or expires
 * within 30 days. Renders nothing when none needs attention.
 */
export function ServiceCredentialExpiryWarning({ credentials }: { credentials: ExpiringCredential[] }) {
  if (credentials.length === 0) return null;
  const expired = credentials.some((c) => c.expiry === "expired");
  return (
    <ExpiryBanner expired={expired} testId="service-credential-expiry-warning" title={expired ? "A service credential's certificate has expired" : "A service credential's certificate expires soon"}>
      <ul className="mt-1 space-y-1">
        {credentials.map((c) => (
          <li key={c.clientId}>
            <span className="font-medium">{c.name}</span> ({c.clientId}):{" "}
            {c.certificateExpires === null ? "no certificate" : `${c.expiry === "expired" ? "expired" : "expires"} ${formatDate(c.certificateExpires)}`}
          </li>
        ))}
      </ul>
      <p className="mt-2">
        Refresh the credential for a new key and certificate, install the new bundle where the old one runs; the old certificate keeps working until it
        expires.{" "}
        <Link href="/developer-console" className="font-medium underline">
          Go to the Developer Console
        </Link>
      </p>
    </ExpiryBanner>
  );
}
