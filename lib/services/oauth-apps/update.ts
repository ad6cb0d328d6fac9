/** Editing an OAuth2 application's settings. The type and client ID never change. */
import { NotFound } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { APP_NOT_FOUND, getOAuthApp } from "./get";
import { readAppSettings, type OAuthAppSettings } from "./input";
import type { OAuthAppDetails } from "./view";

export async function updateOAuthApp(ctx: ServiceContext, clientId: string, input: OAuthAppSettings): Promise<OAuthAppDetails> {
  requireAdmin(ctx);
  const { store, clock } = ctx.rt;
  const current = await store.oauthApps.byClientId(clientId);
  if (!current) throw new NotFound(APP_NOT_FOUND);
  const { logo, ...settings } = readAppSettings(current.type, input);
  await store.transaction(async (tx) => {
    if (!(await tx.oauthApps.byClientId(clientId))) throw new NotFound(APP_NOT_FOUND);
    await tx.oauthApps.update(clientId, { ...settings, ...(logo !== undefined ? { logo } : {}), updatedAt: clock.now() });
    const changed = (Object.keys(settings) as (keyof typeof settings)[]).filter(
      (k) => JSON.stringify(settings[k]) !== JSON.stringify(current[k]),
    );
    if (logo !== undefined && logo !== current.logo) changed.push("logo" as never);
    await audit(tx, ctx, { action: "oauth_app.update", subjectType: "oauth_app", subjectId: clientId, details: { name: settings.name, changed } });
  });
  return getOAuthApp(ctx, clientId);
}
