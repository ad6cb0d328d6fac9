/** Reading OAuth2 applications for the console: the list, and one app with its secrets and keys. */
import { NotFound } from "../../errors";
import { APP_TYPE_LABELS, MAX_OAUTH_APPS } from "../../domain/oauth-app";
import { requireAdmin, type ServiceContext } from "../context";
import { toKeyView, toSecretView, toSummary, type OAuthAppDetails, type OAuthAppSummary } from "./view";

export const APP_NOT_FOUND = "There is no OAuth2 application with this client ID.";

export async function listOAuthApps(ctx: ServiceContext): Promise<{ apps: OAuthAppSummary[]; limit: number }> {
  requireAdmin(ctx);
  const apps = await ctx.rt.store.oauthApps.list();
  return { apps: apps.map(toSummary), limit: MAX_OAUTH_APPS };
}

export async function getOAuthApp(ctx: ServiceContext, clientId: string): Promise<OAuthAppDetails> {
  requireAdmin(ctx);
  const { store, clock, customerId } = ctx.rt;
  const app = await store.oauthApps.byClientId(clientId);
  if (!app) throw new NotFound(APP_NOT_FOUND);
  const [secrets, keys, usage] = await Promise.all([store.clientSecrets.list(clientId), store.publicKeys.list(clientId), store.oauthApps.usage(clock.now())]);
  const names = new Map<string, string>();
  for (const k of keys) {
    if (!names.has(k.createdBy)) names.set(k.createdBy, (await store.users.byId(k.createdBy))?.username ?? "(unknown user)");
  }
  const live = usage.find((u) => u.clientId === clientId);
  return {
    ...app,
    redirectUris: [...app.redirectUris],
    typeLabel: APP_TYPE_LABELS[app.type],
    customerId,
    secrets: secrets.map(toSecretView),
    keys: keys.map((k) => toKeyView(k, names.get(k.createdBy) ?? "")),
    liveTokens: { access: live?.accessTokens ?? 0, refresh: live?.refreshTokens ?? 0 },
  };
}
