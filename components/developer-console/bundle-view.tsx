"use client";

import { useState } from "react";
import { CopyButton } from "@/components/oauth-apps/copy-button";
import { Button } from "@/components/ui/button";
import type { ServiceCredentialBundle } from "@/lib/services/service-credentials/bundle";

/** The file name Download gives a bundle. */
export const bundleFileName = (bundle: ServiceCredentialBundle) => `keyward-service-credential-${bundle.integration.technicalAccount.clientId}.json`;

/** Saves text as a file, made in the browser (a Blob: the content never goes into a URL the server sees, or into storage). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A service credential bundle, shown once, exactly as the server returned it: the JSON, Download
 * and Copy. Held in this component's state only, so a reload or Done drops it.
 */
export function BundleView({ bundle, label, onDismiss }: { bundle: ServiceCredentialBundle; label: string; onDismiss: () => void }) {
  const json = JSON.stringify(bundle, null, 2);
  const [downloaded, setDownloaded] = useState(false);
  const hasKey = bundle.integration.privateKey !== undefined;
  return (
    <div role="region" aria-label={label} data-testid="credential-bundle" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
      <p className="font-medium">Download or copy this JSON now. It is shown only this once.</p>
      <p className="mt-1">
        {hasKey
          ? "Keyward does not keep the private key, and the list never shows the client secret. Whoever holds this file can act as the technical account: store it like a password. If the private key is lost, refresh the credential for a new one."
          : "The list never shows the client secret. Whoever holds it can act as the technical account: store it like a password. If it is lost, revoke the credential and get another."}
      </p>
      <pre data-testid="bundle-json" className="mt-3 max-h-96 overflow-auto rounded bg-white p-3 font-mono text-xs text-slate-900 select-all">
        {json}
      </pre>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button
          onClick={() => {
            downloadText(json, bundleFileName(bundle), "application/json");
            setDownloaded(true);
          }}
        >
          Download
        </Button>
        <CopyButton value={json} label="Copy credential JSON" />
        <Button variant="secondary" onClick={onDismiss}>
          Done
        </Button>
        {downloaded && (
          <span role="status" className="text-amber-900">
            {bundleFileName(bundle)} was saved.
          </span>
        )}
      </div>
    </div>
  );
}
