/** Editing a client secret's notes (what it is for, where it is deployed). */
import { NotFound } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { readNotes } from "./app-of";
import { SECRET_NOT_FOUND } from "./remove-secret";

export async function setClientSecretNotes(ctx: ServiceContext, clientId: string, secretId: string, notes: string): Promise<void> {
  requireAdmin(ctx);
  const text = readNotes(notes);
  await ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.clientSecrets.setNotes(clientId, secretId, text))) throw new NotFound(SECRET_NOT_FOUND);
    await audit(tx, ctx, { action: "oauth_secret.notes", subjectType: "oauth_app", subjectId: clientId, details: { secretId, notes: text } });
  });
}
