"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { SaveBar } from "@/components/ui/save-bar";
import type { ConsoleAction } from "@/components/users/types";
import type { OAuthAppType } from "@/lib/storage/types";
import { AppSettingsFields, type AppSettingsValues } from "./app-settings-fields";
import { useRun } from "./use-run";

/** An app's settings, edited with the same fields as in the create dialog. Refusals show in the form. */
export function AppSettingsForm({
  clientId,
  type,
  values,
  save,
}: {
  clientId: string;
  type: OAuthAppType;
  values: AppSettingsValues;
  save: ConsoleAction;
}) {
  const [result, setResult] = useState<ActionResult | null>(null);
  const { busy, run } = useRun();
  return (
    <form
      aria-label="Application settings"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        data.set("clientId", clientId);
        setResult(null);
        run(save, data, setResult);
      }}
      className="space-y-5"
    >
      <AppSettingsFields type={type} values={values} />
      <SaveBar busy={busy} result={result} />
    </form>
  );
}
