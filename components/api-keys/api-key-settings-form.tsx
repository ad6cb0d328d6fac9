"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { SaveBar } from "@/components/ui/save-bar";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

export interface ApiKeySettingsValues {
  apiKeyExpiry: string;
  removeKeyOnPasswordExpiry: boolean;
}

/** "API keys expire in" and "Remove API key when a user's password expires", saved together. */
export function ApiKeySettingsForm({
  values,
  options,
  passwordPolicyOn,
  save,
}: {
  values: ApiKeySettingsValues;
  options: { value: string; label: string }[];
  passwordPolicyOn: boolean;
  save: Action;
}) {
  const [expiry, setExpiry] = useState(values.apiKeyExpiry);
  const [removeOnExpiry, setRemoveOnExpiry] = useState(values.removeKeyOnPasswordExpiry);
  const [result, dispatch, busy] = useActionState(save, null);
  return (
    <form action={dispatch} aria-label="API key expiry" className="space-y-4 text-sm">
      <div>
        <label htmlFor="api-key-expiry" className="mb-1 block font-medium">API keys expire in</label>
        <select
          id="api-key-expiry"
          name="apiKeyExpiry"
          aria-describedby="api-key-expiry-hint"
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
          className="rounded-md border border-slate-300 px-3 py-1.5"
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
        <p id="api-key-expiry-hint" className="mt-1 text-slate-500">
          Counted from a key&apos;s creation. Changing it restarts the period from the moment you save for every key still valid; keys that already expired are removed.
        </p>
      </div>
      <div>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="removeKeyOnPasswordExpiry" checked={removeOnExpiry} onChange={(e) => setRemoveOnExpiry(e.target.checked)} />
          <span className="font-medium">Remove API key when a user&apos;s password expires</span>
        </label>
        {!passwordPolicyOn && (
          <p data-testid="password-policy-off-hint" className="mt-1 pl-6 text-slate-500">
            Passwords do not expire at the moment (Setup › System › Security). This applies only once a password reset period is set and passwords expire.
          </p>
        )}
      </div>
      <SaveBar busy={busy} result={result} />
    </form>
  );
}
