"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { LocalDevelopmentToken, LocalTokenView } from "@/lib/services/ims/local-token";
import { formatDateTime } from "@/components/api-keys/format";
import { CopyButton } from "@/components/oauth-apps/copy-button";
import { CredentialTable } from "@/components/oauth-apps/credential-table";
import { useRun } from "@/components/oauth-apps/use-run";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import type { ConsoleAction } from "@/components/users/types";
import { count } from "./labels";

export interface LocalTokenActions {
  issue: ConsoleAction<LocalDevelopmentToken>;
  revoke: ConsoleAction;
}

/**
 * Get Local Development Token: a 24-hour token acting as the signed-in person, shown once as the
 * vendor's answer `{"ok":true,"statusCode":200,"accessToken":"..."}`; below, their live tokens and
 * the way to end them all.
 */
export function LocalToken({ tokens, actions }: { tokens: LocalTokenView[]; actions: LocalTokenActions }) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [issued, setIssued] = useState<LocalDevelopmentToken | null>(null);
  const [confirming, setConfirming] = useState(false);
  const { busy, run } = useRun();

  function issue() {
    setResult(null);
    setIssued(null);
    run(actions.issue, {}, (r) => {
      if (r.ok && r.data) setIssued(r.data);
      setResult(r.ok ? null : r);
    });
  }

  function revoke() {
    setResult(null);
    run(actions.revoke, {}, (r) => {
      setResult(r);
      setConfirming(false);
      if (r.ok) setIssued(null);
    });
  }

  const shown = issued ? JSON.stringify({ ok: issued.ok, statusCode: issued.statusCode, accessToken: issued.accessToken }, null, 2) : null;

  return (
    <div data-testid="local-token" className="space-y-4 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <Button onClick={issue} disabled={busy}>
          {busy && !confirming ? "Getting…" : "Get Local Development Token"}
        </Button>
        <span className="text-slate-600">
          Use it as <code>Authorization: Bearer &lt;token&gt;</code> on the REST API: it acts as you, for 24 hours.
        </span>
      </div>

      {issued && shown && (
        <div role="region" aria-label="Local development token" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900">
          <p className="font-medium">Copy this token now. It is shown only this once.</p>
          <p className="mt-1">
            Whoever holds it can act as you on the REST API until{" "}
            <span data-testid="local-token-expires" className="font-medium">
              {formatDateTime(issued.expiresAt)}
            </span>
            . Keyward keeps only its ID (to revoke it), not the token.
          </p>
          <pre data-testid="local-token-json" className="mt-3 overflow-auto rounded bg-white p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-900 select-all">
            {shown}
          </pre>
          <div className="mt-3 flex flex-wrap gap-2">
            <CopyButton value={issued.accessToken} label="Copy access token" />
            <Button variant="secondary" onClick={() => setIssued(null)}>
              Done
            </Button>
          </div>
        </div>
      )}

      <div aria-live="polite" data-testid="local-token-result">
        <Notice result={result} />
      </div>

      <div>
        <h3 className="mb-2 font-medium" data-testid="local-token-count">
          You have {count(tokens.length, "live local development token")}.
        </h3>
        <CredentialTable label="Your local development tokens" empty="None: get one above." columns={["Token", "Issued", "Expires"]} count={tokens.length}>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="local-token-row" className="border-b border-slate-100">
              <td className="py-2 pr-3">
                <code className="font-mono text-xs">{t.id}…</code>
              </td>
              <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(t.createdAt)}</td>
              <td className="whitespace-nowrap py-2 text-right text-xs text-slate-600">{formatDateTime(t.expiresAt)}</td>
            </tr>
          ))}
        </CredentialTable>
        <div className="mt-3">
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={busy || tokens.length === 0}>
            Revoke my local development tokens
          </Button>
        </div>
      </div>

      {confirming && (
        <ConfirmDialog open title="Revoke your local development tokens?" confirmLabel="Revoke tokens" busy={busy} onConfirm={revoke} onCancel={() => setConfirming(false)}>
          <p>Every local development token you were given stops working at once ({count(tokens.length, "live token")}). Tokens of service credentials are not affected.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
