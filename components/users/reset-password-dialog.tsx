"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { FormDialog } from "./form-dialog";
import { GeneratedPassword } from "./generated-password";
import type { ConsoleAction, PasswordShownOnce, UserRow } from "./types";
import { useConsoleAction } from "./use-console-action";
import { INPUT } from "./user-fields";

/**
 * Sets a new password, chosen or generated. Stays open after success so a generated password can
 * be copied; closing the dialog discards it for good.
 */
export function ResetPasswordDialog({
  user,
  action,
  onClose,
}: {
  user: UserRow;
  action: ConsoleAction<PasswordShownOnce>;
  onClose: () => void;
}) {
  const { result, submitFor, pending } = useConsoleAction(action);
  const done = result?.ok === true;
  const generated = result?.ok ? result.data?.generatedPassword : undefined;

  return (
    <FormDialog title={`Reset password of ${user.username}`} onClose={onClose}>
      <form
        aria-label="Reset password"
        onSubmit={submitFor(user.id)}
        className="space-y-4"
      >
        {!done && (
          <label className="block text-sm">
            <span className="mb-1 block font-medium">New password</span>
            <input name="password" type="password" minLength={8} maxLength={256} autoComplete="new-password" className={INPUT} />
            <span className="mt-1 block text-xs text-slate-500">
              Leave empty to generate one. The user&apos;s REST API sessions end either way.
            </span>
          </label>
        )}
        <Notice result={result} />
        {generated && <GeneratedPassword username={user.username} password={generated} />}
        <div className="flex justify-end gap-2">
          {done ? (
            <Button onClick={onClose}>Done</Button>
          ) : (
            <>
              <Button variant="secondary" onClick={onClose} disabled={pending}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={pending}>
                {pending ? "Resetting…" : "Reset password"}
              </Button>
            </>
          )}
        </div>
      </form>
    </FormDialog>
  );
}
