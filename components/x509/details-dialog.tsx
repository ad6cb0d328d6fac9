"use client";

import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/users/form-dialog";
import { formatDateTime } from "@/components/api-keys/format";
import type { CertificateView } from "./types";

const NONE = "—";

function dateText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? formatDateTime(t) : NONE;
}

/** The "View details" rows, in the order the vendor lists them, then the fingerprint. */
export function detailRows(c: Pick<CertificateView, "details">): [label: string, value: string][] {
  const d = c.details;
  return [
    ["Subject Common Name", d.subjectCommonName ?? NONE],
    ["Subject Organization", d.subjectOrganization ?? NONE],
    ["Subject Organization Unit", d.subjectOrganizationalUnit ?? NONE],
    ["Issuer Common Name", d.issuerCommonName ?? NONE],
    ["Issuer Organization", d.issuerOrganization ?? NONE],
    ["Issuer Organization Unit", d.issuerOrganizationalUnit ?? NONE],
    ["Serial Number", d.serialNumber || NONE],
    ["Issue Date", dateText(d.notBefore)],
    ["Expiration Date", dateText(d.notAfter)],
    ["SHA-256 fingerprint", d.fingerprint256 || NONE],
  ];
}

/** A modal with what an uploaded certificate says about itself. */
export function CertificateDetailsDialog({ certificate, onClose }: { certificate: CertificateView; onClose: () => void }) {
  return (
    <FormDialog title="Certificate details" onClose={onClose} wide>
      <p className="-mt-3 mb-4 text-sm text-slate-500">{certificate.fileName}</p>
      <dl className="grid grid-cols-[12rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        {detailRows(certificate).map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className={label === "SHA-256 fingerprint" || label === "Serial Number" ? "font-mono break-all" : "break-words"}>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-6 flex justify-end">
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </FormDialog>
  );
}
