"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { GeneratedPassword } from "./generated-password";
import type { ConsoleAction, PasswordShownOnce } from "./types";
import { useConsoleAction } from "./use-console-action";
import { INPUT, UserFields } from "./user-fields";

export function CreateUserForm({ action }: { action: ConsoleAction<PasswordShownOnce> }) {
  const { result, run, pending } = useConsoleAction(action);
  const form = useRef<HTMLFormElement>(null);

  // Empty the form only after a success; after an error the administrator corrects what was typed.
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);

  const shown = result?.ok ? result.data : undefined;
  return (
    <form
      ref={form}
      aria-label="Create user"
      onSubmit={(e) => {
        e.preventDefault();
        run(new FormData(e.currentTarget));
      }}
      className="space-y-4"
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <UserFields />
        <label className="block text-sm md:col-span-2">
          <span className="mb-1 block font-medium">Initial password</span>
          <input name="password" type="password" minLength={8} maxLength={256} autoComplete="new-password" className={INPUT} />
          <span className="mt-1 block text-xs text-slate-500">Leave empty to generate one; it is shown once after the user is created.</span>
        </label>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create user"}
        </Button>
      </div>
      <Notice result={result} />
      {shown?.generatedPassword && <GeneratedPassword username={shown.username} password={shown.generatedPassword} />}
    </form>
  );
}
