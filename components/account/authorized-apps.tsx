"use client";

import { useState } from "react";
import { formatDateTime } from "@/components/api-keys/format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { useConsoleAction } from "@/components/users/use-console-action";
import type { ConsoleAction } from "@/components/users/types";

export interface AuthorizedAppView {
  clientId: string;
  name: string;
  developerName: string;
  privacyPolicyUrl: string;
  authorizedAt: number;
  lastUsedAt: number | null;
}

/** The OAuth2 applications the user has allowed to act for them, each revocable. */
export function AuthorizedApps({ apps, revoke }: { apps: AuthorizedAppView[]; revoke: ConsoleAction }) {
  const { result, run, pending } = useConsoleAction(revoke);
  const [confirming, setConfirming] = useState<AuthorizedAppView | null>(null);
  return (
    <div data-testid="authorized-apps">
      {apps.length === 0 ? (
        <p className="text-sm text-slate-500">You have not authorized any application.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2 font-medium">Application</th>
              <th className="py-2 font-medium">Authorized</th>
              <th className="py-2 font-medium">Last authorized</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.clientId} className="border-t border-slate-100" data-testid={`authorized-app-${a.clientId}`}>
                <td className="py-2">
                  <div className="font-medium">{a.name}</div>
                  {a.developerName && <div className="text-xs text-slate-500">by {a.developerName}</div>}
                </td>
                <td className="py-2">{formatDateTime(a.authorizedAt)}</td>
                <td className="py-2">{a.lastUsedAt ? formatDateTime(a.lastUsedAt) : "—"}</td>
                <td className="py-2 text-right">
                  <Button variant="secondary" onClick={() => setConfirming(a)}>
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="mt-3">
        <Notice result={result} />
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={`Revoke ${confirming?.name ?? ""}?`}
        confirmLabel="Revoke access"
        busy={pending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming) run({ clientId: confirming.clientId });
          setConfirming(null);
        }}
      >
        It stops working for you at once: every token it holds for your account is revoked, and it must ask again before it can act for you.
      </ConfirmDialog>
    </div>
  );
}
