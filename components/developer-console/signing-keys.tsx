"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { SigningKeyView } from "@/lib/services/ims/signing-keys";
import { formatDateTime } from "@/components/api-keys/format";
import { CredentialTable } from "@/components/oauth-apps/credential-table";
import { useRun } from "@/components/oauth-apps/use-run";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import type { ConsoleAction } from "@/components/users/types";

/** The keys IMS access tokens are signed with (published at /ims/keys), and Rotate signing key. */
export function SigningKeys({ keys, rotate }: { keys: SigningKeyView[]; rotate: ConsoleAction }) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, run } = useRun();

  function confirm() {
    setResult(null);
    run(rotate, {}, (r) => {
      setResult(r);
      setConfirming(false);
    });
  }

  return (
    <div data-testid="signing-keys" className="space-y-4 text-sm">
      <CredentialTable label="Token signing keys" empty="No signing key yet: one is made when the first token is issued." columns={["Key ID (kid)", "Algorithm", "Created", "Retired", "Published until", "Current"]} count={keys.length}>
        {keys.map((k) => (
          <tr key={k.kid} data-testid="signing-key-row" className="border-b border-slate-100">
            <td className="py-2 pr-3">
              <code data-testid="signing-key-kid" className="font-mono text-xs break-all">
                {k.kid}
              </code>
            </td>
            <td className="py-2 pr-3 text-xs">{k.alg}</td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(k.createdAt)}</td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{k.retiredAt === null ? "—" : formatDateTime(k.retiredAt)}</td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{k.publishedUntil === null ? "While current" : formatDateTime(k.publishedUntil)}</td>
            <td data-testid="signing-key-current" className="py-2 text-right text-xs">
              {k.current ? <span className="rounded bg-green-50 px-2 py-0.5 font-medium text-green-800">Current</span> : "—"}
            </td>
          </tr>
        ))}
      </CredentialTable>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={() => setConfirming(true)} disabled={busy}>
          Rotate signing key
        </Button>
        <span className="text-slate-600">
          Clients verify tokens with the JWKS at <code>/ims/keys</code>.
        </span>
      </div>
      <div aria-live="polite" data-testid="signing-keys-result">
        <Notice result={result} />
      </div>
      {confirming && (
        <ConfirmDialog open title="Rotate the token signing key?" confirmLabel="Rotate" danger={false} busy={busy} onConfirm={confirm} onCancel={() => setConfirming(false)}>
          <p>A new key signs every token from now on. The current key is retired but stays in the JWKS for a day, so the tokens it signed keep working until they expire.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
