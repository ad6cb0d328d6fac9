import Link from "next/link";
import { ExpiryBanner } from "@/components/ui/expiry-banner";
import { SLOT_LABEL, type CertificateView } from "./types";

/**
 * The banner for API login certificates that have expired or expire within 30 days. Renders nothing
 * when no certificate needs attention.
 */
export function CertificateExpiryWarning({ certificates, link = false }: { certificates: CertificateView[]; link?: boolean }) {
  if (certificates.length === 0) return null;
  const expired = certificates.some((c) => c.expiry === "expired");
  return (
    <ExpiryBanner expired={expired} testId="certificate-expiry-warning" title={expired ? "An API login certificate has expired" : "An API login certificate expires soon"}>
      <ul className="mt-1 space-y-1">
        {certificates.map((c) => (
          <li key={c.slot}>
            {SLOT_LABEL[c.slot]} <span className="font-medium">{c.fileName}</span>: {c.expiryWarning}
          </li>
        ))}
      </ul>
      <p className="mt-2">
        Get a renewed certificate from your certificate authority, add it as the next certificate, move your API clients over to it, then remove the old
        one.
        {link && (
          <>
            {" "}
            <Link href="/setup/system/customer-info" className="font-medium underline">
              Go to Customer Info
            </Link>
          </>
        )}
      </p>
    </ExpiryBanner>
  );
}
