"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { ServiceCredentialBundle } from "@/lib/services/service-credentials/bundle";
import type { ServiceCredentialView } from "@/lib/services/service-credentials/view";
import { formatDateTime } from "@/components/api-keys/format";
import { CopyButton } from "@/components/oauth-apps/copy-button";
import { CredentialTable } from "@/components/oauth-apps/credential-table";
import { useRun } from "@/components/oauth-apps/use-run";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { ConsoleAction } from "@/components/users/types";
import { BundleView } from "./bundle-view";
import { CertificateList } from "./certificate-list";
import { CredentialConfirm, type Pending } from "./credential-confirm";
import { count, EXPIRY_BADGES, whenUsed } from "./labels";

export interface CredentialActions {
  refresh: ConsoleAction<ServiceCredentialBundle>;
  migrate: ConsoleAction;
  revokeJwt: ConsoleAction;
  revoke: ConsoleAction;
  removeKey: ConsoleAction;
}

const COLUMNS = ["Credential", "Technical account", "Client ID", "Created", "Certificate expires", "Last used", "Live tokens", "Status", "Actions"];

/** The service credentials: one row each with its actions, and under an active JWT credential its certificates. */
export function CredentialsTable({ credentials, actions }: { credentials: ServiceCredentialView[]; actions: CredentialActions }) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [refreshed, setRefreshed] = useState<{ name: string; bundle: ServiceCredentialBundle } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const { busy, run } = useRun();

  function refresh(c: ServiceCredentialView) {
    setResult(null);
    setRefreshed(null);
    run(actions.refresh, { clientId: c.clientId }, (r) => {
      if (r.ok && r.data) setRefreshed({ name: c.name, bundle: r.data });
      setResult(r.ok ? { ok: true, message: r.message } : r);
    });
  }

  function confirm(p: Pending) {
    const fields: Record<string, string> = { clientId: p.credential.clientId };
    if (p.kind === "removeKey") fields.keyId = p.key.id;
    const action = p.kind === "removeKey" ? actions.removeKey : p.kind === "migrate" ? actions.migrate : p.kind === "revokeJwt" ? actions.revokeJwt : actions.revoke;
    setResult(null);
    run(action, fields, (r) => {
      setResult(r);
      setPending(null);
    });
  }

  return (
    <div data-testid="service-credentials" className="space-y-4 text-sm">
      <div aria-live="polite" data-testid="credentials-result">
        <Notice result={result} />
      </div>
      {refreshed && <BundleView bundle={refreshed.bundle} label="Refreshed service credential" onDismiss={() => setRefreshed(null)} />}
      <CredentialTable label="Service credentials" empty="No service credentials yet: get one above." columns={COLUMNS} count={credentials.length}>
        {credentials.map((c) => (
          <CredentialRows key={c.clientId} c={c} busy={busy} onRefresh={() => refresh(c)} onAsk={(p) => { setResult(null); setPending(p); }} />
        ))}
      </CredentialTable>
      {pending && <CredentialConfirm pending={pending} busy={busy} onConfirm={() => confirm(pending)} onCancel={() => setPending(null)} />}
    </div>
  );
}

function CredentialRows({ c, busy, onRefresh, onAsk }: { c: ServiceCredentialView; busy: boolean; onRefresh: () => void; onAsk: (p: Pending) => void }) {
  const active = c.status === "active";
  const badge = EXPIRY_BADGES[c.expiry];
  const columns = COLUMNS.length;
  return (
    <>
      <tr data-testid="credential-row" data-client-id={c.clientId} className={`align-top ${active && c.keys.length > 0 ? "" : "border-b border-slate-100"}`}>
        <td className="py-2 pr-3">
          <span data-testid="credential-name" className="font-medium">
            {c.name}
          </span>
          <span data-testid="credential-type" className="block text-xs text-slate-500">
            {c.typeLabel}
          </span>
          <span className="block text-xs text-slate-500">Metascopes: {c.metascopes.join(", ")}</span>
        </td>
        <td className="max-w-56 py-2 pr-3">
          <code data-testid="technical-account-id" className="font-mono text-xs break-all">
            {c.technicalAccountId}
          </code>
          <span data-testid="technical-account-email" className="block text-xs break-all text-slate-500">
            {c.technicalAccountEmail}
          </span>
          <span className="block text-xs text-slate-500">{c.accessLevel === "admin" ? "System Administrator" : "User"}</span>
        </td>
        <td className="py-2 pr-3">
          <span className="flex items-start gap-1">
            <code data-testid="credential-client-id" className="font-mono text-xs break-all">
              {c.clientId}
            </code>
            <CopyButton value={c.clientId} label={`Copy client ID of ${c.name}`} />
          </span>
          <span className="block text-xs text-slate-500">Secret ••••{c.secretHint}</span>
        </td>
        <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(c.createdAt)}</td>
        <td data-testid="certificate-expiry" className="py-2 pr-3 text-xs text-slate-600">
          {c.certificateExpires !== null && c.expiry !== "none" ? <span className="whitespace-nowrap">{formatDateTime(c.certificateExpires)}</span> : "—"}
          {badge && (
            <span data-testid="expiry-badge" className={`mt-1 block w-fit rounded px-1.5 py-0.5 font-medium ${badge.className}`}>
              {badge.text}
            </span>
          )}
        </td>
        <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{whenUsed(c.lastUsedAt)}</td>
        <td data-testid="credential-live-tokens" className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">
          {count(c.liveTokens, "token")}
        </td>
        <td className="py-2 pr-3">
          {active ? (
            <span data-testid="credential-status" className="rounded bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800">
              Active
            </span>
          ) : (
            <span data-testid="credential-status" className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">
              Revoked
            </span>
          )}
          {c.revokedAt !== null && <span className="mt-1 block whitespace-nowrap text-xs text-slate-500">{formatDateTime(c.revokedAt)}</span>}
        </td>
        <td className="py-2 text-right">
          {active && (
            <div className="flex flex-col items-end gap-1">
              {c.jwtEnabled && (
                <Button variant="secondary" onClick={onRefresh} disabled={busy}>
                  Refresh
                </Button>
              )}
              {!c.s2sEnabled && (
                <Button variant="secondary" onClick={() => onAsk({ kind: "migrate", credential: c })} disabled={busy}>
                  Migrate to OAuth Server-to-Server
                </Button>
              )}
              {c.jwtEnabled && c.s2sEnabled && (
                <Button variant="secondary" onClick={() => onAsk({ kind: "revokeJwt", credential: c })} disabled={busy}>
                  Revoke JWT side
                </Button>
              )}
              <Button variant="danger" onClick={() => onAsk({ kind: "revoke", credential: c })} disabled={busy}>
                Revoke
              </Button>
            </div>
          )}
        </td>
      </tr>
      {active && c.keys.length > 0 && (
        <tr data-testid="credential-certificates" data-client-id={c.clientId} className="border-b border-slate-100">
          <td colSpan={columns} className="pb-3">
            <CertificateList credential={c} busy={busy} onRemove={(key) => onAsk({ kind: "removeKey", credential: c, key })} />
          </td>
        </tr>
      )}
    </>
  );
}
