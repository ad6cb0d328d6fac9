"use client";

import { useId, useRef, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import type { CertificateSlot } from "./types";

export type UploadAction = (prev: unknown, form: FormData) => Promise<ActionResult>;

export interface UploadLimits {
  /** Largest accepted file, in bytes (the server checks again and decides). */
  maxBytes: number;
  /** File name endings, e.g. [".crt", ".cer", ".pem"]. */
  extensions: readonly string[];
}

const tooLarge = (size: number, max: number) =>
  `This file is too large to be a certificate (${size} bytes; the limit is ${max / 1024} KiB). Upload only the client certificate.`;

/** A certificate file picker for one slot, uploaded with its own button. */
export function CertificateUpload({
  slot,
  label,
  submitLabel = "Upload",
  limits,
  upload,
  onDone,
  onCancel,
}: {
  slot: CertificateSlot;
  label: string;
  submitLabel?: string;
  limits: UploadLimits;
  upload: UploadAction;
  /** Called with every result, so the section can show it. */
  onDone: (r: ActionResult) => void;
  onCancel?: () => void;
}) {
  const inputId = useId();
  const hintId = useId();
  const form = useRef<HTMLFormElement>(null);
  const [chosen, setChosen] = useState(false);
  const [busy, start] = useTransition();

  function check(file: File | undefined): string | null {
    if (!file) return "Choose a certificate file first.";
    if (file.size > limits.maxBytes) return tooLarge(file.size, limits.maxBytes);
    return null;
  }

  function onChange(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    const problem = file ? check(file) : null;
    if (problem) {
      e.target.value = "";
      setChosen(false);
      onDone({ ok: false, error: problem });
      return;
    }
    setChosen(Boolean(file));
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const file = data.get("certificate");
    const problem = check(file instanceof File && file.name !== "" ? file : undefined);
    if (problem) {
      onDone({ ok: false, error: problem });
      return;
    }
    start(async () => {
      let r: ActionResult;
      try {
        r = await upload(null, data);
      } catch {
        r = { ok: false, error: "The upload did not reach the server. Nothing was changed; try again." };
      }
      if (r.ok) {
        form.current?.reset();
        setChosen(false);
      }
      onDone(r);
    });
  }

  return (
    <form ref={form} onSubmit={onSubmit} aria-label={`Upload ${label.toLowerCase()}`} className="mt-2 text-sm">
      <input type="hidden" name="slot" value={slot} />
      <label htmlFor={inputId} className="mb-1 block font-medium">
        {label}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={inputId}
          type="file"
          name="certificate"
          accept={limits.extensions.join(",")}
          aria-describedby={hintId}
          onChange={onChange}
          disabled={busy}
          className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium hover:file:bg-slate-100"
        />
        <Button type="submit" disabled={busy || !chosen}>
          {busy ? "Uploading…" : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
        )}
      </div>
      <p id={hintId} className="mt-1 text-slate-500">
        One X.509 client certificate, PEM or DER ({limits.extensions.join(", ")}, at most {limits.maxBytes / 1024} KiB). Never upload the private key.
      </p>
    </form>
  );
}
