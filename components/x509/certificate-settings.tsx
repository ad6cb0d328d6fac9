"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { formatDateTime } from "@/components/api-keys/format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { CertificateDetailsDialog } from "./details-dialog";
import { CertificateLoginForm } from "./certificate-login-form";
import { CertificateUpload, type UploadAction, type UploadLimits } from "./certificate-upload";
import { SLOT_LABEL, type CertificateSettingsView, type CertificateSlot, type CertificateView } from "./types";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

const EXPIRY_TAG: Record<CertificateView["expiry"], { text: string; className: string } | null> = {
  expired: { text: "Expired", className: "bg-red-100 text-red-800" },
  expires_soon: { text: "Expires soon", className: "bg-amber-100 text-amber-900" },
  valid: null,
};

function expiresText(c: CertificateView): string {
  const t = Date.parse(c.details.notAfter);
  return Number.isFinite(t) ? formatDateTime(t) : "—";
}

/** Customer Info > API Key Settings > X.509 certificate: the login switch and the two certificate slots. */
export function CertificateSettings({
  settings,
  limits,
  saveLogin,
  upload,
  remove,
}: {
  settings: CertificateSettingsView;
  limits: UploadLimits;
  saveLogin: Action;
  upload: UploadAction;
  remove: Action;
}) {
  const [viewing, setViewing] = useState<CertificateView | null>(null);
  const [confirm, setConfirm] = useState<CertificateView | null>(null);
  const [uploading, setUploading] = useState<"replace" | "next" | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [busy, start] = useTransition();
  const { current, next } = settings;

  function uploaded(r: ActionResult) {
    setResult(r);
    if (r.ok) setUploading(null);
  }

  function removeConfirmed(slot: CertificateSlot) {
    const form = new FormData();
    form.set("slot", slot);
    start(async () => {
      let r: ActionResult;
      try {
        r = await remove(null, form);
      } catch {
        r = { ok: false, error: "The request did not reach the server. Nothing was changed; try again." };
      }
      setResult(r);
      setConfirm(null);
    });
  }

  function row(c: CertificateView, actions: React.ReactNode) {
    const tag = EXPIRY_TAG[c.expiry];
    return (
      <div data-testid={`certificate-${c.slot}`} className="rounded-lg border border-slate-200 p-4">
        <div className="text-xs font-semibold uppercase tracking-wide text-slate-500">{SLOT_LABEL[c.slot]}</div>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <span data-testid={`certificate-${c.slot}-file`} className="font-medium break-all">
            {c.fileName}
          </span>
          {tag && <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${tag.className}`}>{tag.text}</span>}
        </div>
        <p className="mt-1 text-slate-500">
          {c.details.subjectCommonName ?? "No common name"} · expires {expiresText(c)} · uploaded {formatDateTime(c.uploadedAt)}
          {c.uploadedBy ? ` by ${c.uploadedBy}` : ""}
        </p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setViewing(c)}>
            View details
          </Button>
          {actions}
          <Button variant="danger" onClick={() => setConfirm(c)} disabled={busy}>
            Remove
          </Button>
        </div>
      </div>
    );
  }

  const removingOnlyWhileOn = confirm?.slot === "current" && !next && settings.enabled;

  return (
    <div data-testid="x509-settings" className="space-y-4 text-sm">
      <CertificateLoginForm enabled={settings.enabled} save={saveLogin} />

      {current ? (
        row(
          current,
          <Button variant="secondary" onClick={() => setUploading(uploading === "replace" ? null : "replace")} disabled={busy} aria-expanded={uploading === "replace"}>
            Replace
          </Button>,
        )
      ) : (
        <div className="rounded-lg border border-dashed border-slate-300 p-4">
          <p className="text-slate-600">No certificate is uploaded.</p>
          <CertificateUpload slot="current" label="Certificate file" limits={limits} upload={upload} onDone={uploaded} />
        </div>
      )}

      {current && uploading === "replace" && (
        <CertificateUpload
          slot="current"
          label="Replacement certificate file"
          limits={limits}
          upload={upload}
          onDone={uploaded}
          onCancel={() => setUploading(null)}
        />
      )}

      {next && (
        <>
          {row(next, null)}
          <p data-testid="certificate-rotation-note" className="text-slate-600">
            Both certificates are accepted until one is removed.
          </p>
        </>
      )}

      {current && !next && (
        <div>
          {uploading === "next" ? (
            <CertificateUpload slot="next" label="Next certificate file" limits={limits} upload={upload} onDone={uploaded} onCancel={() => setUploading(null)} />
          ) : (
            <>
              <Button variant="secondary" onClick={() => setUploading("next")} disabled={busy}>
                Add next certificate
              </Button>
              <p className="mt-1 text-slate-500">
                For a renewal: upload the new certificate here, move your API clients over to it, then remove the current one.
              </p>
            </>
          )}
        </div>
      )}

      <div aria-live="polite" data-testid="certificate-result">
        <Notice result={result} />
      </div>

      {viewing && <CertificateDetailsDialog certificate={viewing} onClose={() => setViewing(null)} />}
      {confirm && (
        <ConfirmDialog
          open
          title={`Remove the ${confirm.slot === "current" ? "current" : "next"} certificate?`}
          confirmLabel="Remove"
          busy={busy}
          onConfirm={() => removeConfirmed(confirm.slot)}
          onCancel={() => setConfirm(null)}
        >
          <p>
            <span className="font-medium">{confirm.fileName}</span> is removed and API logins that present it are no longer accepted.
          </p>
          {confirm.slot === "current" && next && <p className="mt-2">The next certificate ({next.fileName}) becomes the current one.</p>}
          {removingOnlyWhileOn && <p className="mt-2 font-medium">X.509 certificate login is enabled: turn it off and save before removing its last certificate.</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
