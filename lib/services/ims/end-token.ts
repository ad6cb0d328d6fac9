/** REST `/logout` with an IMS access token ends that token (its row goes, so the next call is refused). */
import { audit, type ServiceContext } from "../context";
import { resolveImsToken } from "./access-tokens";

export async function endImsToken(ctx: ServiceContext, text: string): Promise<boolean> {
  const resolved = await resolveImsToken(ctx.rt, text);
  if (!resolved) return false;
  const { token } = resolved;
  return ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.imsTokens.delete(token.id))) return false;
    await audit(tx, ctx, {
      action: "ims_token.revoke",
      actorId: token.userId,
      actorName: "logout",
      subjectType: token.clientId === null ? "user" : "service_credential",
      subjectId: token.clientId ?? token.userId,
      details: { kind: token.kind, by: "logout", tokenId: token.id },
    });
    return true;
  });
}
