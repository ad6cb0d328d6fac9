/**
 * Token revocation (RFC 7009). A refresh token takes its whole family with it (every access token
 * issued from the same sign-in); an access token goes alone. A token that is unknown, already
 * gone, or another client's is answered like a revoked one, 200, and nothing changes: a client
 * learns nothing about tokens that are not its own.
 */
import { lookupHash } from "../../crypto/secrets";
import type { ClientCredentials } from "../../oauth/client-credentials";
import { audit, type ServiceContext } from "../context";
import { authenticateTokenClient } from "./token-client";

export async function revokeToken(ctx: ServiceContext, creds: ClientCredentials, token: string): Promise<void> {
  const { client } = await authenticateTokenClient(ctx, creds, { publicAllowed: true });
  if (token.length > 256) return;
  const hash = lookupHash(ctx.rt.keys, token);
  const stored = await ctx.rt.store.oauthTokens.byHash(hash);
  if (!stored || stored.clientId !== client.app.clientId) return;
  await ctx.rt.store.transaction(async (tx) => {
    const family = stored.kind === "refresh" && stored.familyId !== null;
    const revoked = family ? await tx.oauthTokens.deleteFamily(stored.familyId!) : (await tx.oauthTokens.delete(hash)) ? 1 : 0;
    await audit(tx, ctx, {
      action: "oauth_token.revoke",
      actorId: stored.userId,
      actorName: client.app.name,
      subjectType: "oauth_app",
      subjectId: client.app.clientId,
      details: { kind: stored.kind, by: "client", familyId: stored.familyId, revokedTokens: revoked },
    });
  });
}

/**
 * REST `/logout` called with an access token in place of a session ID: the token ends, as a session
 * would (its holder is the only one who can present it). Anything else presented is left alone.
 */
export async function endAccessToken(ctx: ServiceContext, token: string): Promise<boolean> {
  if (token.length > 256) return false;
  const hash = lookupHash(ctx.rt.keys, token);
  const stored = await ctx.rt.store.oauthTokens.byHash(hash);
  if (!stored || stored.kind !== "access") return false;
  return ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.oauthTokens.delete(hash))) return false;
    await audit(tx, ctx, {
      action: "oauth_token.revoke",
      actorId: stored.userId,
      actorName: "logout",
      subjectType: "oauth_app",
      subjectId: stored.clientId,
      details: { kind: "access", by: "logout", revokedTokens: 1 },
    });
    return true;
  });
}
