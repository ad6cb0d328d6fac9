/** Deleting an OAuth2 application: its secrets, keys and every token it issued go with it, at once. */
import { NotFound } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { APP_NOT_FOUND } from "./get";

export async function deleteOAuthApp(ctx: ServiceContext, clientId: string): Promise<{ revokedTokens: number }> {
  requireAdmin(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const app = await tx.oauthApps.byClientId(clientId);
    if (!app) throw new NotFound(APP_NOT_FOUND);
    const removed = await tx.oauthApps.delete(clientId);
    const revokedTokens = removed?.tokens ?? 0;
    await audit(tx, ctx, { action: "oauth_app.delete", subjectType: "oauth_app", subjectId: clientId, details: { name: app.name, type: app.type, revokedTokens } });
    return { revokedTokens };
  });
}
