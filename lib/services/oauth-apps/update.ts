/**
 * Editing an OAuth2 application's settings. The type and client ID never change, and a field the
 * edit does not name keeps its value (a machine-to-machine form that shows three fields must not
 * reset the others to their defaults).
 */
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
  const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const { logo, ...settings } = readAppSettings(current.type, {
    name: current.name,
    description: current.description,
    tokenType: current.tokenType,
    redirectUris: [...current.redirectUris],
    refreshRotation: current.refreshRotation,
    refreshAbsoluteExpiry: current.refreshAbsoluteExpiry,
    refreshInactivityExpiry: current.refreshInactivityExpiry,
    refreshReuseSeconds: current.refreshReuseSeconds,
    developerName: current.developerName,
    developerEmail: current.developerEmail,
    privacyPolicyUrl: current.privacyPolicyUrl,
    ...given,
  });
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
