"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import { formText } from "@/components/ui/form-text";
import { Notice } from "@/components/ui/notice";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ username: string }>>;

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
  const submitted = useRef("");
  const router = useRouter();
  useEffect(() => {
    if (!result?.ok) return;
    form.current?.reset();
    // The change ended every console session signed in with the old password, this one included:
    // sign in again with the new password so the user stays where they are.
    const username = result.data?.username;
    const password = submitted.current;
    submitted.current = "";
    if (username && password) void signIn("credentials", { redirect: false, username, password }).then(() => router.refresh());
  }, [result, router]);
  return (
    <form
      ref={form}
      action={dispatch}
      onSubmit={(e) => {
        submitted.current = formText(new FormData(e.currentTarget), "newPassword");
      }}
      aria-label="Change password"
      className="space-y-4 text-sm"
    >
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
