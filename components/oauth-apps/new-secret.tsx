"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "./copy-button";

/** A client secret shown once, right after it was created, with a copy button (as new API keys are). */
export function NewClientSecret({ value, onDismiss }: { value: string; onDismiss: () => void }) {
  return (
    <div role="region" aria-label="New client secret" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium text-amber-900">Copy this client secret now. It will not be shown again.</p>
      <p className="mt-1 text-amber-900">Keyward keeps only a hash of it: if it is lost, add a new secret and delete this one.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="new-client-secret" className="rounded bg-white px-2 py-1 font-mono break-all text-slate-900 select-all">
          {value}
        </code>
        <CopyButton value={value} label="Copy client secret" />
        <Button variant="secondary" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
