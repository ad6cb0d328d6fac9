/** Removing a public key: JWTs it signed are refused from now on, and the tokens minted with it die. */
import { NotFound } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";

export async function deletePublicKey(ctx: ServiceContext, clientId: string, keyId: string): Promise<{ revokedTokens: number }> {
  requireAdmin(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const key = (await tx.publicKeys.list(clientId)).find((k) => k.id === keyId);
    const removed = key ? await tx.publicKeys.delete(clientId, keyId) : null;
    if (!key || !removed) throw new NotFound("This application has no such public key.");
    await audit(tx, ctx, {
      action: "oauth_key.delete",
      subjectType: "oauth_app",
      subjectId: clientId,
      details: { keyId, fingerprint256: key.fingerprint256, revokedTokens: removed.tokens },
    });
    return { revokedTokens: removed.tokens };
  });
}
