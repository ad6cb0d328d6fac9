/**
 * The one authentication guard for API calls. Each credential kind is a resolver; the first one
 * whose credential is present decides (a present but invalid credential never falls through to
 * another kind). Later credential types register further resolvers.
 */
import { Forbidden, Unauthorized } from "../errors";
import type { Runtime } from "../runtime";
import { addressKey } from "../security/rate-limiter";
import { actorOf, type Actor, type CredentialKind } from "../domain/actor";
import type { ServiceContext } from "../services/context";
import { takeAttempt } from "../services/auth/throttle";
import { verifyApiKey } from "../services/api-keys/verify";
import { resolveSession } from "../services/auth/sessions";
import { looksLikeAccessToken, resolveAccessToken } from "../services/oauth/access-tokens";
import { looksLikeImsToken, resolveImsToken } from "../services/ims/access-tokens";
import { allowsWrites } from "../domain/service-credential";
import type { User } from "../storage/types";
import type { Params } from "./params";
import { readCookie, type ApiRequest } from "./request";

export interface CredentialSource {
  req: ApiRequest;
  params: Params;
  /** The call changes data (whatever HTTP method carried it). */
  write?: boolean;
}

export interface CredentialResolver {
  kind: string;
  /** The credential value, or undefined when this kind is not presented. */
  extract(src: CredentialSource): string | undefined;
  /** The actor it authenticates, or null when invalid, expired or its principal is inactive. */
  resolve(rt: Runtime, value: string): Promise<Actor | null>;
}

/** An active user as the actor of a credential. */
const activeUser = (user: User | null, credential: CredentialKind): Actor | null =>
  user?.isActive ? actorOf(user, credential) : null;

export const SESSION_COOKIE = "sessionID";

/**
 * REST sessions come only from password logins, so while "Only allow SAML 2.0 authentication" is on a
 * non-admin's session is refused, however the user became a non-admin (e.g. demoted after signing in).
 */
const resolveSessionUser = async (rt: Runtime, value: string) => {
  const userId = await resolveSession(rt, value);
  const user = userId ? await rt.store.users.byId(userId) : null;
  if (user && user.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) return null;
  return activeUser(user, "session");
};

/**
 * An OAuth access token acts as its user for the app it was issued to. Tokens and session IDs have
 * different lengths, so one `sessionID` header carries either without a second lookup.
 */
const resolveAccessTokenUser = async (rt: Runtime, value: string): Promise<Actor | null> => {
  const token = await resolveAccessToken(rt, value);
  const user = token ? await rt.store.users.byId(token.userId) : null;
  if (!token || !user?.isActive) return null;
  // A sign-in through the authorize page was a password sign-in, refused for non-admins while "Only
  // allow SAML 2.0 authentication" is on, like their REST sessions (JWT-flow tokens come from keys).
  if (token.grant !== "jwt_bearer" && user.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) return null;
  return actorOf(user, { kind: "access_token", clientId: token.clientId }, "client_for_user");
};

/**
 * An IMS access token (a JWT this server signed): from a service credential it acts as the
 * technical account with the token's metascopes; a local development token acts as the person it
 * was issued to, who signed in to the console with a password (refused for non-admins while "Only
 * allow SAML 2.0 authentication" is on, like their other password sign-ins).
 */
const resolveImsTokenActor = async (rt: Runtime, value: string): Promise<Actor | null> => {
  const resolved = await resolveImsToken(rt, value);
  const user = resolved ? await rt.store.users.byId(resolved.token.userId) : null;
  if (!resolved || !user?.isActive) return null;
  const { token } = resolved;
  if (token.kind === "local_development") {
    // Also checked here, not only by the deletes that end them: a token issued in the same instant
    // as a password change, or as losing Developer Console access, must not outlive it.
    if (user.kind !== "person" || token.createdAt < user.passwordChangedAt) return null;
    if (user.accessLevel !== "admin" && !user.isDeveloper) return null;
    if (user.accessLevel !== "admin" && (await rt.store.settings.get()).ssoOnly) return null;
    return actorOf(user, { kind: "access_token" }, "user");
  }
  if (user.kind !== "technical" || token.clientId === null) return null;
  return actorOf(user, { kind: "access_token", clientId: token.clientId, scopes: token.scope === "" ? [] : token.scope.split(",") }, "technical_account");
};

const sessionResolver: CredentialResolver = {
  kind: "session",
  extract: ({ req, params }) => req.headers.get("sessionid") ?? params.getCI("sessionID") ?? undefined,
  resolve: (rt, value) => (looksLikeAccessToken(value) ? resolveAccessTokenUser(rt, value) : resolveSessionUser(rt, value)),
};

/** `Authorization: Bearer <access token>` (RFC 6750); the scheme is case-insensitive. */
const bearerResolver: CredentialResolver = {
  kind: "bearer",
  extract: ({ req }) => {
    const h = req.headers.get("authorization");
    if (!h || h.length < 7 || h.slice(0, 7).toLowerCase() !== "bearer ") return undefined;
    return h.slice(7).trim();
  },
  resolve: (rt, value) => (looksLikeImsToken(value) ? resolveImsTokenActor(rt, value) : resolveAccessTokenUser(rt, value)),
};

const apiKeyResolver: CredentialResolver = {
  kind: "apiKey",
  extract: ({ req, params }) => req.headers.get("apikey") ?? params.getCI("apiKey") ?? undefined,
  resolve: async (rt, value) => activeUser(await verifyApiKey(rt, value), "api_key"),
};

/** The session cookie counts only when no credential was given explicitly. */
const sessionCookieResolver: CredentialResolver = {
  kind: "sessionCookie",
  extract: ({ req }) => readCookie(req, SESSION_COOKIE),
  resolve: resolveSessionUser,
};

/** Checked in order; the first credential presented decides. */
const resolvers: CredentialResolver[] = [bearerResolver, sessionResolver, apiKeyResolver, sessionCookieResolver];

export interface Authenticated {
  actor: Actor;
  via: string;
}

/**
 * The authenticated actor, or null when no credential was presented. Throws for a bad credential;
 * failed presentations count against the caller's address, and beyond the limit answer 429. A valid
 * credential is never refused by the limit (API keys and session IDs cannot be guessed, and one bad
 * client behind a shared address must not lock out the others).
 */
export async function authenticate(ctx: ServiceContext, src: CredentialSource): Promise<Authenticated | null> {
  for (const r of resolvers) {
    const value = r.extract(src);
    if (value === undefined || value === "") continue;
    const actor = await r.resolve(ctx.rt, value);
    if (!actor) {
      await takeAttempt(ctx, "credential.address", addressKey(ctx.meta.ip));
      throw new Unauthorized();
    }
    // A cookie rides along on cross-site requests; a write on its strength alone must also show a
    // header that plain links and forms cannot send (every API client sends X-Requested-With).
    if (r.kind === "sessionCookie" && src.write && !src.req.headers.get("x-requested-with")) {
      throw new Forbidden("A change authenticated only by the session cookie needs the X-Requested-With header.");
    }
    // A scoped credential without the write metascope (a read-only service credential token) only reads.
    const scopes = actor.credential.scopes;
    if (src.write && scopes !== undefined && !allowsWrites(scopes)) {
      throw new Forbidden("This access token's metascopes allow reading only (it lacks ent_keyward_api).");
    }
    return { actor, via: r.kind };
  }
  return null;
}

export async function requireAuthenticated(ctx: ServiceContext, src: CredentialSource): Promise<Authenticated> {
  const a = await authenticate(ctx, src);
  if (!a) throw new Unauthorized();
  return a;
}
