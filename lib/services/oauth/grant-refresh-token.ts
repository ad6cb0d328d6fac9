/**
 * The refresh_token grant (RFC 6749 6, RFC 9700 4.14). With rotation on (the default) each refresh
 * token is used once: the answer carries its successor, and presenting a rotated token again,
 * after the app's reuse interval, is taken as theft and revokes the whole family. With rotation off
 * the token stays valid and the answer carries none (the client keeps the one it has). Absolute
 * expiry counts from the family's start; inactivity from the token's last use.
 */
import { lookupHash } from "../../crypto/secrets";
import { actorOf } from "../../domain/actor";
import type { Params } from "../../http/params";
import { InvalidGrant } from "../../oauth/errors";
import { singleParam } from "../../oauth/params";
import type { StoredOAuthToken } from "../../storage/types";
import { audit, type ServiceContext } from "../context";
import { ACCESS_TOKEN_TTL_MS, mintAccessToken } from "./access-tokens";
import { chargeClientFailure } from "./client-auth";
import { purgeExpiredSometimes } from "./purge";
import { mintRefreshToken, refreshState, withinReuseInterval } from "./refresh-tokens";
import type { TokenClient } from "./token-client";
import type { TokenGrantResponse } from "./token-response";

const BAD_TOKEN = "The refresh token is invalid, expired, revoked, or was issued to another client.";

export async function refreshTokenGrant(ctx: ServiceContext, { client }: TokenClient, params: Params): Promise<TokenGrantResponse> {
  const { rt } = ctx;
  const { app } = client;
  const presented = singleParam(params, "refresh_token", true);
  const refuse = async (reason: string, description = BAD_TOKEN): Promise<never> => {
    await chargeClientFailure(ctx, app.clientId, "bad_refresh_token", reason);
    throw new InvalidGrant(description);
  };
  if (presented.length > 256) return refuse("malformed");
  const hash = lookupHash(rt.keys, presented);
  const token = await rt.store.oauthTokens.byHash(hash);
  const now = rt.clock.now();
  if (!token || token.kind !== "refresh" || token.clientId !== app.clientId) return refuse(token ? "other_client" : "unknown");
  const state = refreshState(app, token, now);
  if (state !== "live") return refuse(state, state === "expired" ? "The refresh token has expired: sign in again." : "The refresh token expired after a period without use: sign in again.");
  if (token.rotatedAt !== null && !withinReuseInterval(app, token.rotatedAt, now)) return reused(ctx, token);
  const user = await rt.store.users.byId(token.userId);
  if (!user?.isActive) return refuse("inactive_user", "The user of this refresh token is no longer active.");
  if (user.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) {
    return refuse("sso_only", "Password sign-ins are turned off for this user (single sign-on only): sign in again.");
  }

  const access = mintAccessToken(rt, { clientId: app.clientId, userId: user.id, grant: "refresh_token", familyId: token.familyId, scope: token.scope });
  const successor = app.refreshRotation
    ? mintRefreshToken(rt, { clientId: app.clientId, userId: user.id, familyId: token.familyId ?? hash, scope: token.scope, expiresAt: token.expiresAt })
    : null;
  const outcome = await rt.store.transaction(async (tx) => {
    // Read again inside: a deactivation or revocation that committed since the reads above must win.
    if (!(await tx.users.byId(user.id))?.isActive) return "gone" as const;
    if (successor) {
      // Within the reuse interval a token already rotated may be used again (several tabs refreshing at once).
      const first = await tx.oauthTokens.markRotated(hash, now);
      if (!first) {
        const current = await tx.oauthTokens.byHash(hash);
        if (!current) return "gone" as const;
        if (current.rotatedAt === null || !withinReuseInterval(app, current.rotatedAt, now)) return "reused" as const;
      }
      await tx.oauthTokens.create(successor.stored);
    } else {
      // Read again inside the transaction: a revocation that committed since the read above must win.
      if (!(await tx.oauthTokens.byHash(hash))) return "gone" as const;
      await tx.oauthTokens.touch(hash, now);
    }
    await tx.oauthTokens.create(access.stored);
    if (now - (app.lastUsedAt ?? 0) > 60_000) await tx.oauthApps.touch(app.clientId, now);
    await audit(tx, { ...ctx, actor: actorOf(user, { kind: "access_token", clientId: app.clientId }, "client_for_user") }, {
      action: "oauth_token.issue",
      subjectType: "oauth_app",
      subjectId: app.clientId,
      details: { grant: "refresh_token", familyId: token.familyId, rotated: successor !== null },
    });
    return "issued" as const;
  });
  if (outcome === "reused") return reused(ctx, token);
  if (outcome === "gone") return refuse("revoked_meanwhile");
  purgeExpiredSometimes(rt);
  return {
    access_token: access.token,
    token_type: app.tokenType,
    expires_in: ACCESS_TOKEN_TTL_MS / 1000,
    ...(successor ? { refresh_token: successor.token } : {}),
    ...(token.scope ? { scope: token.scope } : {}),
  };
}

/** A rotated refresh token came back: it was copied, so every token of its family dies. */
async function reused(ctx: ServiceContext, token: StoredOAuthToken): Promise<never> {
  const revoked = await ctx.rt.store.transaction(async (tx) => {
    const n = token.familyId ? await tx.oauthTokens.deleteFamily(token.familyId) : (await tx.oauthTokens.delete(token.lookupHash)) ? 1 : 0;
    await audit(tx, ctx, {
      action: "oauth.refresh_reuse",
      actorId: null,
      actorName: "anonymous",
      subjectType: "oauth_app",
      subjectId: token.clientId,
      details: { userId: token.userId, familyId: token.familyId, revokedTokens: n },
    });
    return n;
  });
  await chargeClientFailure(ctx, token.clientId, "bad_refresh_token", `reuse, revoked ${revoked}`);
  throw new InvalidGrant(BAD_TOKEN);
}
