"use client";

import type { CredentialKeyView, ServiceCredentialView } from "@/lib/services/service-credentials/view";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { count } from "./labels";

/** A change to a credential waiting for its confirmation. */
export type Pending =
  | { kind: "migrate" | "revokeJwt" | "revoke"; credential: ServiceCredentialView }
  | { kind: "removeKey"; credential: ServiceCredentialView; key: CredentialKeyView };

/** The confirmation of each change, saying what stops working. */
export function CredentialConfirm({ pending, busy, onConfirm, onCancel }: { pending: Pending; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const c = pending.credential;
  const common = { open: true, busy, onConfirm, onCancel };
  switch (pending.kind) {
    case "migrate":
      return (
        <ConfirmDialog {...common} title={`Migrate ${c.name} to OAuth Server-to-Server?`} confirmLabel="Migrate" danger={false}>
          <p>
            The credential will also accept <code>POST /ims/token/v3</code> (<code>grant_type=client_credentials</code>) with the same client ID and secret.
          </p>
          <p className="mt-2">The JWT exchange keeps working until you revoke the JWT side, so clients can move over one by one.</p>
        </ConfirmDialog>
      );
    case "revokeJwt":
      return (
        <ConfirmDialog {...common} title={`Revoke the JWT side of ${c.name}?`} confirmLabel="Revoke JWT side">
          <p>JWT exchanges are refused from now on, every access token they bought stops working at once, and the certificates are removed.</p>
          <p className="mt-2">OAuth Server-to-Server tokens keep working.</p>
        </ConfirmDialog>
      );
    case "revoke":
      return (
        <ConfirmDialog {...common} title={`Revoke ${c.name}?`} confirmLabel="Revoke credential">
          <p>
            Every token minted from this credential stops working at once ({count(c.liveTokens, "live token")} now), every later exchange fails with{" "}
            <code>invalid_client</code>, and the technical account is deactivated.
          </p>
          <p className="mt-2">This cannot be undone: clients need a new credential.</p>
        </ConfirmDialog>
      );
    case "removeKey":
      return (
        <ConfirmDialog {...common} title="Remove this certificate?" confirmLabel="Remove">
          <p className="font-mono text-xs break-all">{pending.key.fingerprint256}</p>
          <p className="mt-2">JWTs signed with its private key are refused from now on, and every access token they bought stops working at once.</p>
        </ConfirmDialog>
      );
  }
}
