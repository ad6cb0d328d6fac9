"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ removed: number }>>;

/** Invalidates every user's API key at once, after a confirmation. */
export function RemoveAllKeys({ removeAll }: { removeAll: Action }) {
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<ActionResult<{ removed: number }> | null>(null);
  const [busy, start] = useTransition();

  function confirm() {
    start(async () => {
      setResult(await removeAll(null, new FormData()));
      setOpen(false);
    });
  }

  return (
    <div>
      <p className="text-sm text-slate-600">
        For a suspected security breach: every user&apos;s API key stops working at once, and every integration fails until
        new keys are generated and the integrations are updated.
      </p>
      <div className="mt-3 flex items-center gap-3">
        <Button variant="danger" onClick={() => setOpen(true)} disabled={busy}>Remove all API keys</Button>
        <Notice result={result} />
      </div>
      {open && (
        <ConfirmDialog open title="Remove all API keys?" confirmLabel="Remove All" busy={busy} onConfirm={confirm} onCancel={() => setOpen(false)}>
          <p>Every API key of every user, yours included, is removed and stops working immediately.</p>
          <p className="mt-2 font-medium">All integrations that use an API key must be reconfigured with a newly generated key.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
