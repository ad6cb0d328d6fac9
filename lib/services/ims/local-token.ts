/**
 * Get Local Development Token (Developer Console): a 24-hour IMS access token for the signed-in
 * person, acting as them on the REST API, for trying calls from a laptop. It is not tied to a
 * credential; it ends with a password change or reset, a deactivation, or "Revoke".
 */
import { IMS_TOKEN_TTL_MS, LOCAL_DEVELOPMENT_CLIENT_ID } from "../../domain/service-credential";
import { Forbidden } from "../../errors";
import { audit, type ServiceContext } from "../context";
import { requireDeveloper } from "../service-credentials/access";
import { mintImsToken } from "./access-tokens";

export interface LocalDevelopmentToken {
  ok: true;
  statusCode: 200;
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** At most this many live local development tokens per person; the oldest go first. */
export const MAX_LOCAL_TOKENS = 10;

export const LOCAL_TOKENS_SSO_ONLY = "Only allow SAML 2.0 authentication is on: local development tokens, like other password-based API access, are for System Administrators only.";

export async function issueLocalDevelopmentToken(ctx: ServiceContext): Promise<LocalDevelopmentToken> {
  const actor = await requireDeveloper(ctx);
  const { rt } = ctx;
  // The API refuses a non-admin's local token while SSO-only is on (lib/http/guard.ts): issuing one
  // would hand out a token that cannot work.
  if (actor.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) throw new Forbidden(LOCAL_TOKENS_SSO_ONLY);
  const before = await rt.store.users.byId(actor.userId);
  const minted = await mintImsToken(rt, {
    kind: "local_development",
    clientId: LOCAL_DEVELOPMENT_CLIENT_ID,
    credentialClientId: null,
    keyId: null,
    userId: actor.userId,
    scopes: [],
  });
  await rt.store.transaction(async (tx) => {
    // The person again, inside: a password change or reset, a deactivation or losing Developer
    // Console access that committed since the checks above wins (its delete ran before this insert).
    const now = await tx.users.byId(actor.userId);
    if (!now?.isActive || now.kind !== "person" || now.passwordChangedAt !== before?.passwordChangedAt || (now.accessLevel !== "admin" && !now.isDeveloper)) {
      throw new Forbidden("Your account changed while the token was being issued. Sign in again and retry.");
    }
    const live = await tx.imsTokens.listForUser(actor.userId, "local_development", minted.stored.createdAt);
    for (const old of live.slice(MAX_LOCAL_TOKENS - 1)) await tx.imsTokens.delete(old.id);
    await tx.imsTokens.create(minted.stored);
    await audit(tx, ctx, {
      action: "ims_token.local_issue",
      subjectType: "user",
      subjectId: actor.userId,
      details: { tokenId: minted.stored.id, expiresAt: minted.stored.expiresAt, replacedOldest: Math.max(0, live.length - (MAX_LOCAL_TOKENS - 1)) },
    });
  });
  return { ok: true, statusCode: 200, accessToken: minted.token, expiresAt: minted.stored.createdAt + IMS_TOKEN_TTL_MS };
}

export interface LocalTokenView {
  id: string;
  createdAt: number;
  expiresAt: number;
}

export async function listLocalDevelopmentTokens(ctx: ServiceContext): Promise<LocalTokenView[]> {
  const actor = await requireDeveloper(ctx);
  const rows = await ctx.rt.store.imsTokens.listForUser(actor.userId, "local_development", ctx.rt.clock.now());
  return rows.map((r) => ({ id: r.id.slice(0, 8), createdAt: r.createdAt, expiresAt: r.expiresAt }));
}

/** Ends every local development token of the signed-in person; returns how many. */
export async function revokeLocalDevelopmentTokens(ctx: ServiceContext): Promise<number> {
  const actor = await requireDeveloper(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const revoked = await tx.imsTokens.deleteForUser(actor.userId, "local_development");
    await audit(tx, ctx, { action: "ims_token.local_revoke", subjectType: "user", subjectId: actor.userId, details: { revoked } });
    return revoked;
  });
}
