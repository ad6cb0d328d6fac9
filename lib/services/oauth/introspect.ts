/**
 * Token introspection (RFC 7662) for confidential clients. A client sees only its own tokens: any
 * other token, like an unknown, expired or revoked one, is `{"active": false}`.
 */
import { lookupHash } from "../../crypto/secrets";
import type { ClientCredentials } from "../../oauth/client-credentials";
import type { ServiceContext } from "../context";
import { refreshState, withinReuseInterval } from "./refresh-tokens";
import { authenticateTokenClient } from "./token-client";

export type Introspection =
  | { active: false }
  | { active: true; client_id: string; username: string; sub: string; token_type: "access_token" | "refresh_token"; exp?: number; iat: number; iss: string; scope?: string };

export async function introspectToken(ctx: ServiceContext, creds: ClientCredentials, token: string): Promise<Introspection> {
  const { client } = await authenticateTokenClient(ctx, creds, { publicAllowed: false });
  const { rt } = ctx;
  if (token.length > 256) return { active: false };
  const stored = await rt.store.oauthTokens.byHash(lookupHash(rt.keys, token));
  const now = rt.clock.now();
  if (!stored || stored.clientId !== client.app.clientId) return { active: false };
  if (stored.kind === "access" && stored.expiresAt !== null && stored.expiresAt <= now) return { active: false };
  if (stored.kind === "refresh" && (refreshState(client.app, stored, now) !== "live" || (stored.rotatedAt !== null && !withinReuseInterval(client.app, stored.rotatedAt, now)))) {
    return { active: false };
  }
  const user = await rt.store.users.byId(stored.userId);
  if (!user?.isActive) return { active: false };
  return {
    active: true,
    client_id: stored.clientId,
    username: user.username,
    sub: user.id,
    token_type: stored.kind === "access" ? "access_token" : "refresh_token",
    ...(stored.expiresAt !== null ? { exp: Math.floor(stored.expiresAt / 1000) } : {}),
    iat: Math.floor(stored.createdAt / 1000),
    iss: rt.settings.publicUrl,
    ...(stored.scope ? { scope: stored.scope } : {}),
  };
}
