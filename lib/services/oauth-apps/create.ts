/**
 * Creating an OAuth2 application. At most ten exist at a time: the count is taken inside the
 * transaction that inserts, so two administrators racing for the tenth slot cannot both win. Apps
 * that authenticate with a secret get their first one here, shown once.
 */
import { Conflict, InvalidRequest } from "../../errors";
import { APP_TYPES, APP_TYPE_LABELS, hasSecrets, MAX_OAUTH_APPS } from "../../domain/oauth-app";
import type { OAuthAppType, StoredOAuthApp } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { getOAuthApp } from "./get";
import { readAppSettings, type OAuthAppSettings } from "./input";
import { issueClientSecret, newClientId } from "./secret";
import type { OAuthAppDetails } from "./view";

export const APP_LIMIT_REACHED = `You already have ${MAX_OAUTH_APPS} OAuth2 applications, the most allowed. Delete one before creating another.`;

export async function createOAuthApp(
  ctx: ServiceContext,
  input: OAuthAppSettings & { type: OAuthAppType },
): Promise<{ app: OAuthAppDetails; secret: string | null }> {
  const actor = requireAdmin(ctx);
  if (!APP_TYPES.includes(input.type)) throw new InvalidRequest("Choose the type of application.");
  const settings = readAppSettings(input.type, input);
  const { store, clock, keys } = ctx.rt;
  const now = clock.now();
  const clientId = newClientId();
  const app: StoredOAuthApp = {
    ...settings,
    logo: settings.logo ?? null,
    clientId,
    type: input.type,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
  const issued = hasSecrets(input.type) ? issueClientSecret(keys, clientId, actor.userId, now) : null;
  await store.transaction(async (tx) => {
    if ((await tx.oauthApps.count()) >= MAX_OAUTH_APPS) throw new Conflict(APP_LIMIT_REACHED);
    await tx.oauthApps.create(app);
    if (issued) await tx.clientSecrets.create(issued.stored);
    await audit(tx, ctx, {
      action: "oauth_app.create",
      subjectType: "oauth_app",
      subjectId: clientId,
      details: { name: app.name, type: app.type, typeLabel: APP_TYPE_LABELS[app.type], tokenType: app.tokenType, redirectUris: app.redirectUris },
    });
    if (issued) {
      await audit(tx, ctx, { action: "oauth_secret.add", subjectType: "oauth_app", subjectId: clientId, details: { secretId: issued.stored.id, hint: issued.stored.hint } });
    }
  });
  return { app: await getOAuthApp(ctx, clientId), secret: issued?.secret ?? null };
}
