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
        <p className="text-sm text-slate-500">
          You have not authorized any application. When you allow an application on its consent page, it is listed here and you can revoke it.
        </p>
      ) : (
        <table aria-label="Authorized applications" className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Application
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                First authorized
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Last authorized
              </th>
              <th scope="col" className="py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.clientId} className="border-t border-slate-100 align-top" data-testid={`authorized-app-${a.clientId}`}>
                <th scope="row" className="py-2 pr-3 text-left font-normal">
                  <div className="font-medium">{a.name}</div>
                  {a.developerName && <div className="text-xs text-slate-500">by {a.developerName}</div>}
                  {a.privacyPolicyUrl && (
                    <a className="text-xs text-blue-700 underline" href={a.privacyPolicyUrl} target="_blank" rel="noreferrer noopener">
                      Privacy policy<span className="sr-only"> of {a.name} (opens in a new tab)</span>
                    </a>
                  )}
                </th>
                <td className="py-2 pr-3">{formatDateTime(a.authorizedAt)}</td>
                <td className="py-2 pr-3">{a.lastUsedAt ? formatDateTime(a.lastUsedAt) : "—"}</td>
                <td className="py-2 text-right">
                  <Button variant="secondary" onClick={() => setConfirming(a)} disabled={pending} aria-label={`Revoke ${a.name}`}>
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
        <p>
          {confirming?.name ?? "The application"} stops working for you at once: every token it holds for your account is revoked.
        </p>
        <p className="mt-2">To use it again, you will have to allow it again on its consent page.</p>
      </ConfirmDialog>
    </div>
  );
}
