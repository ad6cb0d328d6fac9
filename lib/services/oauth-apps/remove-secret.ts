/** Deleting a client secret: it stops authenticating at once, and the tokens minted with it die. */
import { NotFound } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";

export const SECRET_NOT_FOUND = "This application has no such client secret.";

export async function deleteClientSecret(ctx: ServiceContext, clientId: string, secretId: string): Promise<{ revokedTokens: number }> {
  requireAdmin(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const secret = (await tx.clientSecrets.list(clientId)).find((s) => s.id === secretId);
    const removed = secret ? await tx.clientSecrets.delete(clientId, secretId) : null;
    if (!secret || !removed) throw new NotFound(SECRET_NOT_FOUND);
    await audit(tx, ctx, {
      action: "oauth_secret.delete",
      subjectType: "oauth_app",
      subjectId: clientId,
      details: { secretId, hint: secret.hint, revokedTokens: removed.tokens },
    });
    return { revokedTokens: removed.tokens };
  });
}
