"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A key shown once, right after it was generated, with a copy button. */
export function NewApiKey({ value, onDismiss }: { value: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
  }
  return (
    <div role="region" aria-label="New API key" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium text-amber-900">Copy this key now. It will not be shown again.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code data-testid="new-api-key" className="rounded bg-white px-2 py-1 font-mono text-slate-900 select-all">
          {value}
        </code>
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button variant="secondary" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </div>
  );
}
