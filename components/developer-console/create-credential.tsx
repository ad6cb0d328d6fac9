"use client";

import { useId, useRef, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import type { ServiceCredentialBundle } from "@/lib/services/service-credentials/bundle";
import { useRun } from "@/components/oauth-apps/use-run";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { ConsoleAction } from "@/components/users/types";
import { INPUT } from "@/components/users/user-fields";
import { BundleView } from "./bundle-view";
import { CREDENTIAL_TYPES, type Metascope } from "./labels";

/**
 * Get Service Credentials: name, the technical account's access level, the type and the metascopes.
 * The bundle the server returns is shown once below the form.
 */
export function CreateCredential({
  create,
  metascopes,
  defaultMetascopes,
  atLimit,
}: {
  create: ConsoleAction<ServiceCredentialBundle>;
  metascopes: Metascope[];
  defaultMetascopes: string[];
  atLimit: boolean;
}) {
  const form = useRef<HTMLFormElement>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [bundle, setBundle] = useState<ServiceCredentialBundle | null>(null);
  const { busy, run } = useRun();
  const nameId = useId();
  const levelId = useId();
  const levelHint = useId();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setResult(null);
    setBundle(null);
    run(create, data, (r) => {
      if (r.ok && r.data) {
        setBundle(r.data);
        form.current?.reset();
      }
      setResult(r.ok ? { ok: true, message: r.message } : r);
    });
  }

  return (
    <div className="space-y-4 text-sm">
      <form ref={form} aria-label="Get Service Credentials" onSubmit={onSubmit} className="space-y-4">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <div>
            <label htmlFor={nameId} className="mb-1 block font-medium">
              Credential name
            </label>
            <input id={nameId} name="name" required maxLength={100} autoComplete="off" placeholder="Nightly export" className={INPUT} />
          </div>
          <div>
            <label htmlFor={levelId} className="mb-1 block font-medium">
              Access level of the technical account
            </label>
            <select id={levelId} name="accessLevel" defaultValue="user" aria-describedby={levelHint} className={INPUT}>
              <option value="user">User</option>
              <option value="admin">System Administrator</option>
            </select>
            <p id={levelHint} className="mt-1 text-xs text-slate-500">
              What tokens from this credential may do on the REST API, as the user a new technical account is.
            </p>
          </div>
        </div>

        <fieldset>
          <legend className="mb-2 font-medium">Credential type</legend>
          <div className="space-y-2">
            {CREDENTIAL_TYPES.map((t, i) => (
              <label key={t.value} className="flex cursor-pointer gap-3 rounded-lg border border-slate-200 p-3 hover:bg-slate-50 has-[:checked]:border-blue-600 has-[:checked]:bg-blue-50">
                <input type="radio" name="type" value={t.value} defaultChecked={i === 0} className="mt-1" aria-describedby={`${levelId}-${t.value}`} />
                <span>
                  <span className="block font-medium">{t.label}</span>
                  <span id={`${levelId}-${t.value}`} className="mt-0.5 block text-slate-600">
                    {t.sentence}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend className="mb-2 font-medium">Metascopes</legend>
          <div className="space-y-1">
            {metascopes.map((m) => (
              <label key={m.name} className="flex items-start gap-2">
                <input type="checkbox" name="metascopes" value={m.name} defaultChecked={defaultMetascopes.includes(m.name)} className="mt-1" />
                <span>
                  <code className="font-mono">{m.name}</code>
                  <span className="block text-xs text-slate-500">{m.description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={busy || atLimit}>
            {busy ? "Creating…" : "Get Service Credentials"}
          </Button>
          {atLimit && <span className="rounded-md bg-amber-50 px-3 py-1.5 text-amber-900">This instance has the most service credentials allowed.</span>}
        </div>
      </form>
      <div aria-live="polite" data-testid="create-result">
        <Notice result={result} />
      </div>
      {bundle && <BundleView bundle={bundle} label="New service credential" onDismiss={() => setBundle(null)} />}
    </div>
  );
}
