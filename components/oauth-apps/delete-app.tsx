"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import type { ConsoleAction } from "@/components/users/types";
import { handToList } from "./handoff";
import { OAUTH_APPS_PATH, tokens } from "./labels";
import { useRun } from "./use-run";

/** The danger zone: deleting the app revokes every token it issued; then back to the list, which says so. */
export function DeleteApp({
  clientId,
  name,
  liveTokens,
  remove,
}: {
  clientId: string;
  name: string;
  liveTokens: number;
  remove: ConsoleAction;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ActionResult | null>(null);
  const { busy, run } = useRun();

  function confirm() {
    run(remove, { clientId }, (r) => {
      if (r.ok) {
        handToList(r.message ?? `${name} was deleted.`);
        router.push(OAUTH_APPS_PATH);
        return;
      }
      setResult(r);
      setOpen(false);
    });
  }

  return (
    <div className="text-sm">
      <p className="text-slate-600">
        Deleting the application deletes its client secrets and public keys and revokes every token it issued at once. Integrations using it stop working.
        This cannot be undone.
      </p>
      <div className="mt-3 flex items-center gap-3">
        <Button variant="danger" onClick={() => setOpen(true)} disabled={busy}>
          Delete application
        </Button>
        <Notice result={result} />
      </div>
      {open && (
        <ConfirmDialog open title={`Delete ${name}?`} confirmLabel="Delete application" busy={busy} onConfirm={confirm} onCancel={() => setOpen(false)}>
          <p>
            <span className="font-medium">{name}</span> is deleted with its client secrets and public keys.
          </p>
          <p className="mt-2 font-medium">
            Every token it issued is revoked at once{liveTokens > 0 ? ` (${tokens(liveTokens, "live token")} now)` : ""}, and every integration using it stops
            working.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
