"use client";

import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { FormDialog } from "./form-dialog";
import type { ConsoleAction, UserRow } from "./types";
import { useConsoleAction } from "./use-console-action";
import { UserFields } from "./user-fields";

/** Edits name, email, username and access level; closes on success, stays open to show a refusal. */
export function EditUserDialog({
  user,
  action,
  onDone,
  onClose,
}: {
  user: UserRow;
  action: ConsoleAction;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { result, submitFor, pending } = useConsoleAction(action);

  useEffect(() => {
    if (result?.ok) onDone(result.message ?? "Saved.");
  }, [result, onDone]);

  return (
    <FormDialog title={`Edit user ${user.username}`} onClose={onClose}>
      <form
        aria-label="Edit user"
        onSubmit={submitFor(user.id)}
        className="space-y-4"
      >
        <UserFields user={user} />
        {result && !result.ok && <Notice result={result} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
