/**
 * The authorization_code grant (RFC 6749 4.1.3, RFC 7636 4.6). The code must be this client's,
 * unexpired, unredeemed, for the same redirect URL; a code issued with a challenge needs the
 * verifier that answers it, and a verifier sent for a code issued without one is refused (a PKCE
 * downgrade, RFC 9700 4.8.2). A redeemed code presented again revokes every token issued from it.
 */
import { randomId } from "../../crypto/secrets";
import { lookupHash } from "../../crypto/secrets";
import { actorOf } from "../../domain/actor";
import { verifierMatches } from "../../domain/pkce";
import type { Params } from "../../http/params";
import { InvalidGrant, InvalidOAuthRequest } from "../../oauth/errors";
import { singleParam } from "../../oauth/params";
import { audit, type ServiceContext } from "../context";
import { ACCESS_TOKEN_TTL_MS, mintAccessToken } from "./access-tokens";
import { chargeClientFailure } from "./client-auth";
import { purgeExpiredSometimes } from "./purge";
import { familyDeadline, mintRefreshToken } from "./refresh-tokens";
import type { TokenClient } from "./token-client";
import type { TokenGrantResponse } from "./token-response";

const BAD_CODE = "The authorization code is invalid, expired, already used, or was issued to another client.";

export async function authorizationCodeGrant(ctx: ServiceContext, { client }: TokenClient, params: Params): Promise<TokenGrantResponse> {
  const { rt } = ctx;
  const { app } = client;
  const code = singleParam(params, "code", true);
  const redirectUri = singleParam(params, "redirect_uri", true);
  const verifier = singleParam(params, "code_verifier", false);
  const refuse = async (reason: string, description = BAD_CODE): Promise<never> => {
    await chargeClientFailure(ctx, app.clientId, "bad_code", reason);
    throw new InvalidGrant(description);
  };
  if (code.length > 256) return refuse("code_malformed");
  const hash = lookupHash(rt.keys, code);
  const stored = await rt.store.oauthCodes.byHash(hash);
  const now = rt.clock.now();
  if (!stored || stored.clientId !== app.clientId) return refuse(stored ? "code_other_client" : "code_unknown");
  if (stored.redeemedAt !== null) return replayed(ctx, hash, stored.familyId);
  if (stored.expiresAt <= now) return refuse("code_expired");
  if (stored.redirectUri !== redirectUri) return refuse("redirect_mismatch", "redirect_uri differs from the one the code was issued for.");
  if (stored.codeChallenge !== null) {
    if (verifier === undefined) return refuse("pkce_missing", "This code was issued with a PKCE challenge: send its code_verifier.");
    if (!verifierMatches(verifier, stored.codeChallenge)) return refuse("pkce_mismatch", "The code_verifier does not match the code_challenge.");
  } else if (verifier !== undefined) {
    return refuse("pkce_downgrade", "This code was issued without a PKCE challenge, so no code_verifier is accepted for it.");
  }
  if (verifier !== undefined && verifier.length > 128) throw new InvalidOAuthRequest("code_verifier can be at most 128 characters.");
  const user = await rt.store.users.byId(stored.userId);
  if (!user?.isActive) return refuse("inactive_user", "The user who authorized this code is no longer active.");
  if (user.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) {
    return refuse("sso_only", "Password sign-ins are turned off for this user (single sign-on only): sign in again.");
  }
  // Revoking the app under My account also voids codes issued before (a consent given again later is newer than them).
  const consent = await rt.store.consents.get(user.id, app.clientId);
  if (!consent || consent.createdAt > stored.createdAt) return refuse("consent_revoked", "The user has revoked this application's access since the code was issued.");

  const familyId = randomId();
  const access = mintAccessToken(rt, { clientId: app.clientId, userId: user.id, grant: "authorization_code", familyId, scope: stored.scope });
  const refresh = mintRefreshToken(rt, { clientId: app.clientId, userId: user.id, familyId, scope: stored.scope, expiresAt: familyDeadline(app, now) });
  const won = await rt.store.transaction(async (tx) => {
    // The user and the consent again, inside: a deactivation or revocation that committed since the
    // reads above must win over this grant.
    const consentNow = await tx.consents.get(user.id, app.clientId);
    if (!(await tx.users.byId(user.id))?.isActive || !consentNow || consentNow.createdAt > stored.createdAt) return "withdrawn" as const;
    if (!(await tx.oauthCodes.redeem(hash, now, familyId))) return false;
    await tx.oauthTokens.create(access.stored);
    await tx.oauthTokens.create(refresh.stored);
    if (now - (app.lastUsedAt ?? 0) > 60_000) await tx.oauthApps.touch(app.clientId, now);
    await audit(tx, { ...ctx, actor: actorOf(user, { kind: "access_token", clientId: app.clientId }, "client_for_user") }, {
      action: "oauth_token.issue",
      subjectType: "oauth_app",
      subjectId: app.clientId,
      details: { grant: "authorization_code", familyId, pkce: stored.codeChallenge !== null },
    });
    return true;
  });
  if (won === "withdrawn") return refuse("withdrawn", "The user has revoked this application's access, or been deactivated, since the code was issued.");
  // Two redemptions raced and this one lost: it is a replay like any other.
  if (!won) return replayed(ctx, hash, (await rt.store.oauthCodes.byHash(hash))?.familyId ?? null);
  purgeExpiredSometimes(rt);
  return {
    access_token: access.token,
    token_type: app.tokenType,
    expires_in: ACCESS_TOKEN_TTL_MS / 1000,
    refresh_token: refresh.token,
    ...(stored.scope ? { scope: stored.scope } : {}),
  };
}

/** A redeemed code came back: whoever holds it is not to be trusted, so its tokens die (RFC 6749 4.1.2). */
async function replayed(ctx: ServiceContext, hash: string, familyId: string | null): Promise<never> {
  const stored = await ctx.rt.store.oauthCodes.byHash(hash);
  const revoked = await ctx.rt.store.transaction(async (tx) => {
    const n = familyId ? await tx.oauthTokens.deleteFamily(familyId) : 0;
    await audit(tx, ctx, {
      action: "oauth.code_replay",
      actorId: null,
      actorName: "anonymous",
      subjectType: "oauth_app",
      subjectId: stored?.clientId ?? null,
      details: { userId: stored?.userId ?? null, familyId, revokedTokens: n },
    });
    return n;
  });
  if (stored) await chargeClientFailure(ctx, stored.clientId, "replay", `revoked ${revoked}`);
  throw new InvalidGrant(BAD_CODE);
}
