"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { formText } from "@/components/ui/form-text";

const EXPIRED = "PASSWORD_EXPIRED";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const newPassword = formText(form, "newPassword");
    if (expired && newPassword !== formText(form, "confirmPassword")) {
      setError("The new passwords do not match.");
      return;
    }
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", {
      redirect: false,
      username: formText(form, "username"),
      password: formText(form, "password"),
      newPassword,
    });
    setBusy(false);
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    if (res?.error === EXPIRED) {
      setExpired(true);
      setError("Your password has expired. Choose a new one to continue.");
      return;
    }
    setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Invalid username or password.");
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="space-y-4" aria-label="Sign in">
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Username</span>
        <input name="username" autoComplete="username" required className="w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block font-medium">Password</span>
        <input name="password" type="password" autoComplete="current-password" required className="w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      {expired && (
        <>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">New password</span>
            <input name="newPassword" type="password" autoComplete="new-password" minLength={8} required className="w-full rounded-md border border-slate-300 px-3 py-2" />
          </label>
          <label className="block text-sm">
            <span className="mb-1 block font-medium">Confirm new password</span>
            <input name="confirmPassword" type="password" autoComplete="new-password" minLength={8} required className="w-full rounded-md border border-slate-300 px-3 py-2" />
          </label>
        </>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded-md bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {busy ? "Signing in…" : expired ? "Change password and sign in" : "Sign in"}
      </button>
    </form>
  );
}
