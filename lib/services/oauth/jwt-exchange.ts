/**
 * The JWT flow's exchange: a machine-to-machine app's client ID and secret, and a JWT signed by one
 * of its public keys, for a one-hour access token acting as the key's creator. The assertion rules
 * (RS256 only, `exp` within 24 hours, `iss` the Customer ID, `sub` the key's creator) live in
 * domain/jwt-assertion.ts; here are the client, the user, the `jti` replay store and the token.
 *
 * No refresh token: the flow's own answer to "I need a new token" is to sign a fresh short-lived
 * JWT, as the vendor recommends. A refresh token would be a long-lived credential that outlives the
 * key it came from and that nobody rotates.
 */
import { hasPublicKeys } from "../../domain/oauth-app";
import { AssertionRejected, verifyJwtAssertion } from "../../domain/jwt-assertion";
import { InvalidClient, InvalidGrant, UnauthorizedClient } from "../../oauth/errors";
import { audit, type ServiceContext } from "../context";
import { actorOf } from "../../domain/actor";
import { ACCESS_TOKEN_TTL_MS, mintAccessToken, storeToken } from "./access-tokens";
import { authenticateClient, chargeClientFailure } from "./client-auth";
import { purgeExpiredSometimes } from "./purge";

export const MAX_ASSERTION_LIFETIME_MS = 24 * 3_600_000;
/** Last-used times of apps, secrets and keys are written at most this often. */
const TOUCH_INTERVAL_MS = 60_000;

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export async function exchangeJwt(ctx: ServiceContext, input: { clientId: string; clientSecret?: string; jwt: string }): Promise<TokenResponse> {
  const { rt } = ctx;
  const { client, secret } = await authenticateClient(ctx, input.clientId, input.clientSecret);
  const { app } = client;
  if (!hasPublicKeys(app.type)) {
    await chargeClientFailure(ctx, app.clientId, "wrong_grant");
    throw new UnauthorizedClient("This application does not use the JWT flow: only machine-to-machine applications exchange JWTs.");
  }
  const now = rt.clock.now();
  let verified;
  try {
    if (client.keys.length === 0) throw new AssertionRejected("unknown_key", "The application has no public keys: add one before exchanging JWTs.");
    verified = await verifyJwtAssertion(input.jwt, client.keys, { issuer: rt.customerId, now, maxLifetimeMs: MAX_ASSERTION_LIFETIME_MS });
  } catch (e) {
    if (!(e instanceof AssertionRejected)) throw e;
    await chargeClientFailure(ctx, app.clientId, "assertion", e.reason);
    throw new InvalidGrant(e.message);
  }
  const user = await rt.store.users.byId(verified.subject);
  if (!user?.isActive) {
    await chargeClientFailure(ctx, app.clientId, "inactive_user");
    throw new InvalidGrant("The JWT's sub is not an active user: the administrator who added this key has been deactivated.");
  }
  const minted = mintAccessToken(rt, { clientId: app.clientId, userId: user.id, grant: "jwt_bearer", secretId: secret.id, publicKeyId: verified.key.id });
  const stale = (at: number | null) => now - (at ?? 0) > TOUCH_INTERVAL_MS;
  const outcome = await issueOnce(ctx, app.clientId, secret.id, verified.key.id, () =>
    rt.store.transaction(async (tx) => {
      // The user again, inside: a deactivation that committed since the read above must win.
      if (!(await tx.users.byId(user.id))?.isActive) return "inactive" as const;
      if (verified.jti !== null && !(await tx.assertionIds.claim(app.clientId, verified.jti, verified.expiresAt, now))) return true as const;
      await storeToken(tx, minted);
      if (stale(app.lastUsedAt)) await tx.oauthApps.touch(app.clientId, now);
      if (stale(secret.lastUsedAt)) await tx.clientSecrets.touch(secret.id, now);
      const key = client.keys.find((k) => k.id === verified.key.id);
      if (key && stale(key.lastUsedAt)) await tx.publicKeys.touch(key.id, now);
      await audit(tx, { ...ctx, actor: actorOf(user, { kind: "access_token", clientId: app.clientId }, "client_for_user") }, {
        action: "oauth_token.issue",
        subjectType: "oauth_app",
        subjectId: app.clientId,
        details: { grant: "jwt_bearer", keyId: verified.key.id, secretId: secret.id, ...(verified.jti !== null ? { jti: verified.jti.slice(0, 100) } : {}) },
      });
      return false;
    }),
  );
  if (outcome === "inactive") {
    await chargeClientFailure(ctx, app.clientId, "inactive_user");
    throw new InvalidGrant("The JWT's sub is not an active user: the administrator who added this key has been deactivated.");
  }
  if (outcome) {
    await chargeClientFailure(ctx, app.clientId, "replay");
    throw new InvalidGrant("This JWT has been exchanged before (its jti was already used). Sign a new JWT for each exchange.");
  }
  purgeExpiredSometimes(rt);
  return { access_token: minted.token, token_type: app.tokenType, expires_in: ACCESS_TOKEN_TTL_MS / 1000 };
}

/**
 * Runs the issuing transaction; when it fails because the secret or key it names was deleted while
 * the request was being checked (the token's references would dangle), answers as if it had been
 * deleted before: the client's secret no longer authenticates, or the JWT's key no longer exists.
 */
async function issueOnce<T>(ctx: ServiceContext, clientId: string, secretId: string, keyId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const now = await ctx.rt.store.oauthApps.client(clientId);
    if (!now || !now.secrets.some((s) => s.id === secretId)) throw new InvalidClient("Client authentication failed: unknown client or wrong client secret.");
    if (!now.keys.some((k) => k.id === keyId)) throw new InvalidGrant("The key that signed this JWT was removed from the application.");
    throw e;
  }
}
