"use client";

import { useCallback, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { EditUserDialog } from "./edit-user-dialog";
import { ResetPasswordDialog } from "./reset-password-dialog";
import type { UserRow, UserRowActions as Actions } from "./types";
import { useConsoleAction } from "./use-console-action";

type OpenDialog = "edit" | "reset" | "deactivate" | null;

/** Edit, Reset password and Deactivate/Reactivate for one user, with the outcome shown under them. */
export function UserRowActions({ user, actions }: { user: UserRow; actions: Actions }) {
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [notice, setNotice] = useState<ActionResult | null>(null);
  const activation = useConsoleAction(actions.setActive);

  // A new activation result becomes the notice and closes the Deactivate confirmation. Adjusted
  // during render (React's pattern for reacting to a changed value) rather than in an effect.
  const [seenResult, setSeenResult] = useState(activation.result);
  if (activation.result !== seenResult) {
    setSeenResult(activation.result);
    if (activation.result) {
      setNotice(activation.result);
      setDialog((d) => (d === "deactivate" ? null : d));
    }
  }

  const close = useCallback(() => setDialog(null), []);
  const edited = useCallback((message: string) => {
    setDialog(null);
    setNotice({ ok: true, message });
  }, []);

  const open = (d: OpenDialog) => {
    setNotice(null);
    setDialog(d);
  };
  const setActive = (active: boolean) => activation.run({ id: user.id, active: String(active) });

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={() => open("edit")}>
          Edit
        </Button>
        <Button variant="secondary" onClick={() => open("reset")}>
          Reset password
        </Button>
        {user.isActive ? (
          <Button variant="danger" onClick={() => open("deactivate")}>
            Deactivate
          </Button>
        ) : (
          <Button
            disabled={activation.pending}
            onClick={() => {
              setNotice(null);
              setActive(true);
            }}
          >
            Reactivate
          </Button>
        )}
      </div>
      <Notice result={notice} />
      {dialog === "edit" && <EditUserDialog user={user} action={actions.update} onDone={edited} onClose={close} />}
      {dialog === "reset" && <ResetPasswordDialog user={user} action={actions.resetPassword} onClose={close} />}
      {dialog === "deactivate" && (
        <ConfirmDialog
          open
          title={`Deactivate ${user.username}?`}
          confirmLabel="Deactivate"
          busy={activation.pending}
          onConfirm={() => setActive(false)}
          onCancel={close}
        >
          {user.name} will no longer be able to sign in to the console or the REST API, and their open API sessions end now.
          Their API key and data are kept, and you can reactivate them later.
        </ConfirmDialog>
      )}
    </div>
  );
}
