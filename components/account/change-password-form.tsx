"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/app/_server/guard";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

const INPUT = "w-full max-w-sm rounded-md border border-slate-300 px-3 py-2";

function Field({ label, name, autoComplete }: { label: string; name: string; autoComplete: string }) {
  return (
    <label className="block">
      <span className="mb-1 block font-medium">{label}</span>
      <input name={name} type="password" autoComplete={autoComplete} required className={INPUT} />
    </label>
  );
}

export function ChangePasswordForm({ change }: { change: Action }) {
  const [result, dispatch, busy] = useActionState(change, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.ok) form.current?.reset();
  }, [result]);
  return (
    <form ref={form} action={dispatch} aria-label="Change password" className="space-y-4 text-sm">
      <Field label="Current password" name="currentPassword" autoComplete="current-password" />
      <Field label="New password" name="newPassword" autoComplete="new-password" />
      <Field label="Confirm new password" name="confirmPassword" autoComplete="new-password" />
      <p className="text-slate-500">At least 8 characters. Your REST API sessions end when the password changes; API keys keep working.</p>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={busy}>Change password</Button>
        <Notice result={result} />
      </div>
    </form>
  );
}
