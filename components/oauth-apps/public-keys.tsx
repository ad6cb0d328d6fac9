"use client";

import { useId, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { formatDateTime } from "@/components/api-keys/format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { FormDialog } from "@/components/users/form-dialog";
import type { ConsoleAction } from "@/components/users/types";
import { INPUT } from "@/components/users/user-fields";
import type { PublicKeyView } from "@/lib/services/oauth-apps/view";
import { KEY_SOURCE_LABELS, whenUsed } from "./labels";
import { useRun } from "./use-run";
import { CredentialTable } from "./credential-table";

export interface KeyActions {
  add: ConsoleAction;
  generate: ConsoleAction<{ privateKeyPem: string; fingerprint256: string }>;
  remove: ConsoleAction;
}

export interface KeyLimits {
  /** Largest accepted upload, in bytes (the server checks again and decides). */
  maxBytes: number;
  maxKeys: number;
  /** Now, from the server clock: certificates past their date are flagged. */
  now: number;
}

const KEY_FILE_TYPES = ".crt,.cer,.pem,.pub";
const FILE_INPUT =
  "text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100";

/** The private key of a generated pair: held only until it is downloaded, then dropped. */
type NewPair = { pem: string; fingerprint256: string } | { downloaded: true; fingerprint256: string };

/** Public keys of a machine-to-machine app: the list, Add (upload or paste), Generate (download once), Remove. */
export function PublicKeys({
  clientId,
  keys,
  limits,
  actions,
}: {
  clientId: string;
  keys: PublicKeyView[];
  limits: KeyLimits;
  actions: KeyActions;
}) {
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PublicKeyView | null>(null);
  const [pair, setPair] = useState<NewPair | null>(null);
  const { busy, run } = useRun();
  const full = keys.length >= limits.maxKeys;
  const fullId = useId();

  function generate() {
    setResult(null);
    setPair(null);
    run(actions.generate, { clientId }, (r) => {
      if (r.ok && r.data) {
        setPair({ pem: r.data.privateKeyPem, fingerprint256: r.data.fingerprint256 });
        setResult({ ok: true, message: r.message });
      } else setResult(r);
    });
  }

  function remove(k: PublicKeyView) {
    run(actions.remove, { clientId, keyId: k.id }, (r) => {
      setResult(r);
      setRemoving(null);
    });
  }

  return (
    <div data-testid="public-keys" className="space-y-4 text-sm">
      <CredentialTable label="Public keys" empty="No public keys yet: add the certificate or public key whose private key signs your JWTs, or generate a key pair here." columns={["SHA-256 fingerprint", "Source", "JWT sub (added by)", "Added", "Last used", "Certificate expires", "Actions"]} count={keys.length}>
        {keys.map((k) => (
          <KeyRow key={k.id} k={k} now={limits.now} busy={busy} onRemove={() => setRemoving(k)} />
        ))}
      </CredentialTable>

      <div>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => setAdding(true)} disabled={busy || full} aria-describedby={full ? fullId : undefined}>
            Add public key
          </Button>
          <Button variant="secondary" onClick={generate} disabled={busy || full} aria-describedby={full ? fullId : undefined}>
            {busy && !adding && !removing ? "Generating…" : "Generate public/private key pair"}
          </Button>
        </div>
        <p id={fullId} className="mt-1 text-slate-500">
          {full
            ? `This application has ${limits.maxKeys} public keys, the most allowed. Remove one you no longer use first.`
            : "Upload certificate_pub.crt or a PEM public key, never private.key. Or let Keyward generate an RSA 2048 pair and download its private key once."}
        </p>
      </div>

      {pair && <PrivateKeyDownload pair={pair} onDownloaded={(fingerprint256) => setPair({ downloaded: true, fingerprint256 })} onDismiss={() => setPair(null)} />}
      <div aria-live="polite" data-testid="keys-result">
        <Notice result={result} />
      </div>

      {adding && (
        <AddKeyDialog
          clientId={clientId}
          maxBytes={limits.maxBytes}
          add={actions.add}
          onClose={() => setAdding(false)}
          onAdded={(r) => {
            setAdding(false);
            setResult(r);
          }}
        />
      )}
      {removing && (
        <ConfirmDialog open title="Remove this public key?" confirmLabel="Remove" busy={busy} onConfirm={() => remove(removing)} onCancel={() => setRemoving(null)}>
          <p className="font-mono text-xs break-all">{removing.fingerprint256}</p>
          <p className="mt-2">JWTs signed with its private key are refused from now on, and every access token minted with it stops working at once.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function KeyRow({ k, now, busy, onRemove }: { k: PublicKeyView; now: number; busy: boolean; onRemove: () => void }) {
  const expired = k.certificate !== null && k.certificate.notAfter < now;
  return (
    <tr data-testid="key-row" data-key-id={k.id} className="border-b border-slate-100 align-top">
      <td className="max-w-64 py-2 pr-3">
        <code data-testid="key-fingerprint" className="font-mono text-xs break-all">
          {k.fingerprint256}
        </code>
      </td>
      <td className="py-2 pr-3">
        <span data-testid="key-source">{KEY_SOURCE_LABELS[k.source]}</span>
        <span className="block text-xs text-slate-500">
          RSA {k.bits}
          {k.certificate?.subjectCommonName ? ` · CN=${k.certificate.subjectCommonName}` : ""}
        </span>
      </td>
      <td className="py-2 pr-3">
        <code data-testid="key-sub" className="font-mono text-xs break-all">
          {k.createdBy}
        </code>
        <span data-testid="key-sub-username" className="block text-xs text-slate-500">
          {k.createdByName}
        </span>
      </td>
      <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(k.createdAt)}</td>
      <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{whenUsed(k.lastUsedAt)}</td>
      <td data-testid="key-expiry" className="py-2 pr-3 text-xs text-slate-600">
        {k.certificate ? (
          <>
            <span className="whitespace-nowrap">{formatDateTime(k.certificate.notAfter)}</span>
            {expired && (
              <span className="mt-1 block rounded bg-amber-100 px-1.5 py-0.5 text-amber-900">
                Expired. The key is still accepted: only the key is checked, not the certificate&apos;s dates.
              </span>
            )}
          </>
        ) : (
          "—"
        )}
      </td>
      <td className="py-2 text-right">
        <Button variant="danger" onClick={onRemove} disabled={busy} aria-label={`Remove public key ${k.fingerprint256.slice(0, 11)}`}>
          Remove
        </Button>
      </td>
    </tr>
  );
}

/**
 * The private key of a generated pair, offered once as a download made in the browser (a Blob, so it
 * never goes into a URL or browser storage); dropped from memory as soon as it is saved.
 */
function PrivateKeyDownload({
  pair,
  onDownloaded,
  onDismiss,
}: {
  pair: NewPair;
  onDownloaded: (fingerprint256: string) => void;
  onDismiss: () => void;
}) {
  function download() {
    if (!("pem" in pair)) return;
    const url = URL.createObjectURL(new Blob([pair.pem], { type: "application/x-pem-file" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "private.key";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    onDownloaded(pair.fingerprint256);
  }
  return (
    <div role="region" aria-label="New private key" data-testid="private-key-download" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
      {"pem" in pair ? (
        <>
          <p className="font-medium">Download the private key now. It is offered only this once.</p>
          <p className="mt-1">
            Keyward does not keep it and cannot show it again. Store private.key securely: whoever holds it can sign JWTs for this application. If it is
            lost, remove this key and generate a new pair.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button onClick={download}>Download private.key</Button>
          </div>
        </>
      ) : (
        <>
          <p className="font-medium">private.key was downloaded. It is not available here any more.</p>
          <p className="mt-1">Keep it secret, and never upload it anywhere: only its public key (fingerprint below) is registered here.</p>
          <p className="mt-1 font-mono text-xs break-all">{pair.fingerprint256}</p>
          <div className="mt-3">
            <Button variant="secondary" onClick={onDismiss}>
              Done
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

function AddKeyDialog({
  clientId,
  maxBytes,
  add,
  onAdded,
  onClose,
}: {
  clientId: string;
  maxBytes: number;
  add: ConsoleAction;
  onAdded: (r: ActionResult) => void;
  onClose: () => void;
}) {
  const fileId = useId();
  const fileHint = useId();
  const pasteId = useId();
  const [error, setError] = useState<ActionResult | null>(null);
  const { busy, run } = useRun();

  const tooLarge = (size: number) => `This file is too large to be a public key or certificate (${size} bytes; the limit is ${maxBytes / 1024} KiB).`;

  function onFile(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setError(null);
    if (file && file.size > maxBytes) {
      e.target.value = "";
      setError({ ok: false, error: tooLarge(file.size) });
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const file = data.get("publicKeyFile");
    const pasted = data.get("publicKeyPem");
    const hasFile = file instanceof File && file.name !== "";
    const hasText = typeof pasted === "string" && pasted.trim() !== "";
    if (!hasFile && !hasText) return setError({ ok: false, error: "Choose a certificate or public key file, or paste a PEM public key." });
    if (hasFile && hasText) return setError({ ok: false, error: "Choose a file or paste a public key, not both." });
    if (hasFile && file.size === 0) return setError({ ok: false, error: "The public key file is empty." });
    if (hasFile && file.size > maxBytes) return setError({ ok: false, error: tooLarge(file.size) });
    // An empty file input still sends a nameless, empty file: send only what was given.
    if (!hasFile) data.delete("publicKeyFile");
    data.set("clientId", clientId);
    setError(null);
    run(add, data, (r) => (r.ok ? onAdded(r) : setError(r)));
  }

  return (
    <FormDialog title="Add public key" onClose={busy ? () => undefined : onClose} wide>
      <form aria-label="Add public key" onSubmit={onSubmit} className="space-y-4 text-sm">
        <p className="text-slate-600">
          The key whose private half signs your JWTs (RSA, 2048 bits or more). You, the administrator adding it, become the <code>sub</code> its JWTs must
          carry.
        </p>
        <div>
          <label htmlFor={fileId} className="mb-1 block font-medium">
            Certificate or public key file
          </label>
          <input
            id={fileId}
            type="file"
            name="publicKeyFile"
            accept={KEY_FILE_TYPES}
            aria-describedby={fileHint}
            onChange={onFile}
            disabled={busy}
            className={FILE_INPUT}
          />
          <p id={fileHint} className="mt-1 text-xs text-slate-500">
            certificate_pub.crt from openssl, or a PEM or DER public key ({KEY_FILE_TYPES.split(",").join(", ")}, at most {maxBytes / 1024} KiB).
          </p>
        </div>
        <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-400" aria-hidden="true">
          <span className="h-px flex-1 bg-slate-200" />
          or
          <span className="h-px flex-1 bg-slate-200" />
        </div>
        <div>
          <label htmlFor={pasteId} className="mb-1 block font-medium">
            Paste a PEM public key
          </label>
          <textarea
            id={pasteId}
            name="publicKeyPem"
            rows={6}
            spellCheck={false}
            placeholder={"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}
            disabled={busy}
            className={`${INPUT} font-mono text-xs`}
          />
        </div>
        <Notice result={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Adding…" : "Add key"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
