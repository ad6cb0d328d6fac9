"use client";

import { useId, useState } from "react";
import type { ActionResult } from "@/lib/http/form-action";
import { formatDateTime } from "@/components/api-keys/format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";
import { FormDialog } from "@/components/users/form-dialog";
import type { ConsoleAction } from "@/components/users/types";
import { INPUT } from "@/components/users/user-fields";
import type { ClientSecretView } from "@/lib/services/oauth-apps/view";
import { whenUsed } from "./labels";
import { NewClientSecret } from "./new-secret";
import { useRun } from "./use-run";
import { CredentialTable } from "./credential-table";

export interface SecretActions {
  add: ConsoleAction<{ secret: string }>;
  remove: ConsoleAction;
  setNotes: ConsoleAction;
}

const masked = (hint: string) => `••••${hint}`;

/** Client secrets of an app: the list, notes, Add (the new secret shown once) and Delete. */
export function ClientSecrets({
  clientId,
  secrets,
  max,
  actions,
}: {
  clientId: string;
  secrets: ClientSecretView[];
  max: number;
  actions: SecretActions;
}) {
  const [shown, setShown] = useState<string | null>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [deleting, setDeleting] = useState<ClientSecretView | null>(null);
  const [editing, setEditing] = useState<ClientSecretView | null>(null);
  const { busy, run } = useRun();
  const full = secrets.length >= max;
  const fullId = useId();

  function add() {
    setResult(null);
    setShown(null);
    run(actions.add, { clientId }, (r) => {
      setResult(r);
      if (r.ok) setShown(r.data?.secret ?? null);
    });
  }

  function remove(s: ClientSecretView) {
    run(actions.remove, { clientId, secretId: s.id }, (r) => {
      setResult(r);
      setDeleting(null);
    });
  }

  return (
    <div data-testid="client-secrets" className="space-y-4 text-sm">
      <CredentialTable label="Client secrets" empty="This application has no client secret: it cannot authenticate until you add one." columns={["Secret", "Notes", "Created", "Last used", "Actions"]} count={secrets.length}>
        {secrets.map((s) => (
          <tr key={s.id} data-testid="secret-row" data-secret-id={s.id} className="border-b border-slate-100 align-top">
            <td className="py-2 pr-3">
              <code data-testid="secret-hint" className="font-mono">
                {masked(s.hint)}
              </code>
            </td>
            <td className="py-2 pr-3">
              <span data-testid="secret-notes" className="break-words whitespace-pre-wrap">
                {s.notes || <span className="text-slate-400">No notes</span>}
              </span>
            </td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatDateTime(s.createdAt)}</td>
            <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{whenUsed(s.lastUsedAt)}</td>
            <td className="py-2">
              <div className="flex flex-wrap justify-end gap-2">
                <Button variant="secondary" onClick={() => setEditing(s)} disabled={busy} aria-label={`Edit notes of secret ${masked(s.hint)}`}>
                  Edit notes
                </Button>
                <Button variant="danger" onClick={() => setDeleting(s)} disabled={busy} aria-label={`Delete secret ${masked(s.hint)}`}>
                  Delete
                </Button>
              </div>
            </td>
          </tr>
        ))}
      </CredentialTable>

      <div>
        <Button onClick={add} disabled={busy || full} aria-describedby={full ? fullId : undefined}>
          Add client secret
        </Button>
        <p id={fullId} className="mt-1 text-slate-500">
          {full
            ? `This application has ${max} client secrets, the most allowed. Delete one you no longer use first.`
            : "To rotate a secret without downtime: add a new one, deploy it, then delete the old one."}
        </p>
      </div>
      {shown && <NewClientSecret value={shown} onDismiss={() => setShown(null)} />}
      <div aria-live="polite" data-testid="secrets-result">
        <Notice result={result} />
      </div>

      {editing && (
        <NotesDialog
          secret={editing}
          onClose={() => setEditing(null)}
          save={(notes, done) =>
            run(actions.setNotes, { clientId, secretId: editing.id, notes }, (r) => {
              done(r);
              if (r.ok) {
                setResult(r);
                setEditing(null);
              }
            })
          }
          busy={busy}
        />
      )}
      {deleting && (
        <ConfirmDialog
          open
          title={`Delete client secret ${masked(deleting.hint)}?`}
          confirmLabel="Delete"
          busy={busy}
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>The secret stops authenticating at once, and every access token minted with it stops working.</p>
          {secrets.length === 1 ? (
            <p className="mt-2 font-medium">It is this application&apos;s only client secret: the application cannot get tokens until you add another.</p>
          ) : (
            <p className="mt-2">Integrations still using it must be moved to another secret.</p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

function NotesDialog({
  secret,
  busy,
  save,
  onClose,
}: {
  secret: ClientSecretView;
  busy: boolean;
  save: (notes: string, done: (r: ActionResult) => void) => void;
  onClose: () => void;
}) {
  const [error, setError] = useState<ActionResult | null>(null);
  const id = useId();
  return (
    <FormDialog title={`Notes for secret ${masked(secret.hint)}`} onClose={onClose}>
      <form
        aria-label="Secret notes"
        onSubmit={(e) => {
          e.preventDefault();
          const notes = new FormData(e.currentTarget).get("notes");
          save(typeof notes === "string" ? notes : "", (r) => setError(r.ok ? null : r));
        }}
        className="space-y-4"
      >
        <div className="text-sm">
          <label htmlFor={id} className="mb-1 block font-medium">
            Notes
          </label>
          <textarea id={id} name="notes" rows={3} maxLength={500} defaultValue={secret.notes} placeholder="What uses it, where it is deployed" className={INPUT} />
        </div>
        <Notice result={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save notes"}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}
