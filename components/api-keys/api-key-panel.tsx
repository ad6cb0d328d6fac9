"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { formatDateTime, type ApiKeyView } from "./format";
import { NewApiKey } from "./new-key";

type Action<T = undefined> = (prev: unknown, form: FormData) => Promise<ActionResult<T>>;
type Pending = "reset" | "remove" | null;

const RECONFIGURE = "Every application and integration that uses this key stops working until it is reconfigured with a new key.";

/** The signed-in user's own API key: generate, reset and remove, with the new key shown once. */
export function ApiKeyPanel({ status, generate, remove }: { status: ApiKeyView | null; generate: Action<{ key: string }>; remove: Action }) {
  const [confirm, setConfirm] = useState<Pending>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [busy, start] = useTransition();

  function run(kind: "generate" | "reset" | "remove") {
    start(async () => {
      const r = kind === "remove" ? await remove(null, new FormData()) : await generate(null, new FormData());
      setResult(r);
      setShown(r.ok && kind !== "remove" ? (r.data?.key ?? null) : null);
      setConfirm(null);
    });
  }

  return (
    <div data-testid="own-api-key">
      {status ? (
        <>
          <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">API key</dt>
            <dd><code data-testid="api-key-hint" className="font-mono">{status.hint}</code></dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{formatDateTime(status.createdAt)}</dd>
            <dt className="text-slate-500">Last used</dt>
            <dd>{status.lastUsedAt ? formatDateTime(status.lastUsedAt) : "Never"}</dd>
            <dt className="text-slate-500">Expires</dt>
            <dd data-testid="api-key-expires">
              {status.passwordExpired ? "Expired (password expired)" : status.expiresAt === null ? "Never" : `${status.expired ? "Expired " : ""}${formatDateTime(status.expiresAt)}`}
            </dd>
          </dl>
          <div className="mt-4 flex gap-2">
            <Button variant="secondary" onClick={() => setConfirm("reset")} disabled={busy}>Reset</Button>
            <Button variant="danger" onClick={() => setConfirm("remove")} disabled={busy}>Remove</Button>
          </div>
        </>
      ) : (
        <>
          <p className="text-sm text-slate-600">You have no API key.</p>
          <Button className="mt-3" onClick={() => run("generate")} disabled={busy}>Generate API Key</Button>
        </>
      )}
      {shown && <NewApiKey value={shown} onDismiss={() => setShown(null)} />}
      <div className="mt-3"><Notice result={result} /></div>
      {confirm && (
        <ConfirmDialog
          open
          title={confirm === "reset" ? "Reset your API key?" : "Remove your API key?"}
          confirmLabel={confirm === "reset" ? "Reset" : "Remove"}
          busy={busy}
          onConfirm={() => run(confirm)}
          onCancel={() => setConfirm(null)}
        >
          <p>{confirm === "reset" ? "The current key stops working at once and a new key replaces it." : "The key stops working at once."}</p>
          <p className="mt-2 font-medium">{RECONFIGURE}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
