"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { APP_TYPE_LABELS, APP_TYPES } from "@/lib/domain/oauth-app";
import type { OAuthAppType } from "@/lib/storage/types";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { FormDialog } from "@/components/users/form-dialog";
import type { ConsoleAction } from "@/components/users/types";
import { AppSettingsFields } from "./app-settings-fields";
import { handToApp } from "./handoff";
import { APP_TYPE_SENTENCES, appPath } from "./labels";

export interface CreatedApp {
  clientId: string;
  /** The first client secret, shown once (null for single-page apps, which have none). */
  secret: string | null;
}

/** "Create app integration": the button, disabled at the limit, and its dialog. */
export function CreateApp({ create, atLimit, reasonId }: { create: ConsoleAction<CreatedApp>; atLimit: boolean; reasonId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)} disabled={atLimit} aria-describedby={atLimit ? reasonId : undefined}>
        Create app integration
      </Button>
      {open && <CreateAppDialog create={create} onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * The type first (one radio card each), then that type's settings. On success the new app's page
 * opens, with its first client secret handed over in memory to be shown there once.
 */
function CreateAppDialog({ create, onClose }: { create: ConsoleAction<CreatedApp>; onClose: () => void }) {
  const router = useRouter();
  const [type, setType] = useState<OAuthAppType | null>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [busy, start] = useTransition();
  const baseId = useId();

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!type) {
      setResult({ ok: false, error: "Choose the type of application." });
      return;
    }
    const data = new FormData(e.currentTarget);
    setResult(null);
    start(async () => {
      let r: ActionResult<CreatedApp>;
      try {
        r = await create(null, data);
      } catch {
        r = { ok: false, error: "The request did not reach the server. Nothing was created; try again." };
      }
      if (r.ok && r.data) {
        handToApp(r.data.clientId, r.message ?? "The application was created.", r.data.secret);
        router.push(appPath(r.data.clientId));
        return;
      }
      setResult(r);
    });
  }

  return (
    <FormDialog title="Create app integration" onClose={busy ? () => undefined : onClose} wide>
      <form aria-label="Create app integration" onSubmit={onSubmit} className="space-y-5">
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Type of application</legend>
          <div className="space-y-2">
            {APP_TYPES.map((t) => {
              const titleId = `${baseId}-${t}-title`;
              const sentenceId = `${baseId}-${t}-sentence`;
              return (
                <label
                  key={t}
                  className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${type === t ? "border-blue-600 bg-blue-50" : "border-slate-200 hover:bg-slate-50"}`}
                >
                  <input
                    type="radio"
                    name="type"
                    value={t}
                    checked={type === t}
                    onChange={() => setType(t)}
                    aria-labelledby={titleId}
                    aria-describedby={sentenceId}
                    className="mt-1"
                  />
                  <span>
                    <span id={titleId} className="block font-medium">
                      {APP_TYPE_LABELS[t]}
                    </span>
                    <span id={sentenceId} className="mt-0.5 block text-slate-600">
                      {APP_TYPE_SENTENCES[t]}
                    </span>
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
        {type ? (
          <AppSettingsFields key={type} type={type} />
        ) : (
          <p className="text-sm text-slate-500">Choose a type to see its settings.</p>
        )}
        <Notice result={result} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy || !type}>
            {busy ? "Creating…" : "Create"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
