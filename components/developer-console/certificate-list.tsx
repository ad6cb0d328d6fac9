"use client";

import type { CredentialKeyView, ServiceCredentialView } from "@/lib/services/service-credentials/view";
import { formatDateTime } from "@/components/api-keys/format";
import { Button } from "@/components/ui/button";
import { EXPIRY_BADGES, whenUsed } from "./labels";

/**
 * The certificates of one JWT credential: each verifies JWTs until its own expiry. All but the last
 * can be removed here (the last one goes with "Revoke JWT side" or "Revoke").
 */
export function CertificateList({ credential, busy, onRemove }: { credential: ServiceCredentialView; busy: boolean; onRemove: (key: CredentialKeyView) => void }) {
  const removable = credential.keys.length > 1;
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2">
      <table aria-label={`Certificates of ${credential.name}`} className="w-full text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-3 font-medium">Certificate (SHA-256 fingerprint)</th>
            <th className="py-1 pr-3 font-medium">Valid from</th>
            <th className="py-1 pr-3 font-medium">Expires</th>
            <th className="py-1 pr-3 font-medium">Last used</th>
            <th className="py-1 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {credential.keys.map((k) => {
            const badge = EXPIRY_BADGES[k.expiry];
            return (
              <tr key={k.id} data-testid="certificate-row" data-key-id={k.id} className="align-top">
                <td className="max-w-72 py-1 pr-3">
                  <code data-testid="certificate-fingerprint" className="font-mono break-all">
                    {k.fingerprint256}
                  </code>
                </td>
                <td className="whitespace-nowrap py-1 pr-3 text-slate-600">{formatDateTime(k.notBefore)}</td>
                <td className="py-1 pr-3 text-slate-600">
                  <span className="whitespace-nowrap">{formatDateTime(k.notAfter)}</span>
                  {badge && <span className={`ml-1 rounded px-1.5 py-0.5 font-medium ${badge.className}`}>{badge.text}</span>}
                </td>
                <td className="whitespace-nowrap py-1 pr-3 text-slate-600">{whenUsed(k.lastUsedAt)}</td>
                <td className="py-1 text-right">
                  {removable && (
                    <Button variant="secondary" onClick={() => onRemove(k)} disabled={busy} className="px-2 py-0.5 text-xs" aria-label={`Remove certificate ${k.fingerprint256.slice(0, 11)}`}>
                      Remove
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
