/**
 * Authenticating an OAuth client by its ID and secret. The presented secret's keyed hash is compared
 * in constant time with every secret of the app (an unknown client costs the same hash). A failure
 * goes through the rate limiter per client ID and per address, and is audited once per window
 * (auth/client-failures.ts).
 */
import { constantTimeEqual, lookupHash } from "../../crypto/secrets";
import type { OAuthClient, StoredClientSecret } from "../../storage/types";
import { InvalidClient } from "../../oauth/errors";
import type { ServiceContext } from "../context";
import { chargeClientFailureOn, MAX_CLIENT_ID, type ClientFailureSurface } from "../auth/client-failures";

const MAX_SECRET = 512;

export interface AuthenticatedClient {
  client: OAuthClient;
  secret: StoredClientSecret;
}

export type ClientFailure = "unknown_client" | "wrong_secret" | "missing_secret" | "assertion" | "replay" | "inactive_user" | "wrong_grant" | "bad_code" | "bad_refresh_token";

const OAUTH_FAILURES: ClientFailureSurface = {
  addressLimit: "client.address",
  clientLimit: "client.id",
  action: "oauth.exchange_failed",
  subjectType: "oauth_app",
  hashLabel: "oauth-unknown-client-id",
};

/** Counts a failed client authentication or a bad grant (see auth/client-failures.ts). */
export function chargeClientFailure(ctx: ServiceContext, clientId: string, reason: ClientFailure, detail?: string): Promise<void> {
  return chargeClientFailureOn(OAUTH_FAILURES, ctx, clientId, reason, detail);
}

export async function authenticateClient(
  ctx: ServiceContext,
  clientId: string,
  presented: string | undefined,
  opts: { challenge?: string } = {},
): Promise<AuthenticatedClient> {
  const client = clientId.length <= MAX_CLIENT_ID ? await ctx.rt.store.oauthApps.client(clientId) : null;
  const fail = async (reason: ClientFailure): Promise<never> => {
    await chargeClientFailure(ctx, clientId, reason);
    throw new InvalidClient("Client authentication failed: unknown client or wrong client secret.", opts.challenge);
  };
  if (presented === undefined || presented === "") return fail(client ? "missing_secret" : "unknown_client");
  const hash = presented.length <= MAX_SECRET ? lookupHash(ctx.rt.keys, presented) : "";
  let match: StoredClientSecret | undefined;
  // Every secret is compared, so the time taken does not tell which one (or whether one) matched.
  for (const s of client?.secrets ?? []) if (constantTimeEqual(s.lookupHash, hash) && !match) match = s;
  if (!client || !match) return fail(client ? "wrong_secret" : "unknown_client");
  return { client, secret: match };
}
