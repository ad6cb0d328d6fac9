/**
 * Authenticating an OAuth client by its ID and secret. The presented secret's keyed hash is compared
 * in constant time with every secret of the app (an unknown client costs the same hash). A failure
 * goes through the rate limiter per client ID and per address, and is audited once per window.
 */
import { constantTimeEqual, lookupHash } from "../../crypto/secrets";
import { addressKey } from "../../security/rate-limiter";
import type { OAuthClient, StoredClientSecret } from "../../storage/types";
import { InvalidClient } from "../../oauth/errors";
import { audit, type ServiceContext } from "../context";
import { takeAttempt } from "../auth/throttle";

const MAX_CLIENT_ID = 128;
const MAX_SECRET = 512;

export interface AuthenticatedClient {
  client: OAuthClient;
  secret: StoredClientSecret;
}

export type ClientFailure = "unknown_client" | "wrong_secret" | "missing_secret" | "assertion" | "replay" | "inactive_user" | "wrong_grant" | "bad_code" | "bad_refresh_token";

/**
 * The per-client-ID limiter key of a client ID that names no app: a keyed hash, domain-separated from
 * the secrets' lookup hashes. The limiter's one report per window writes its key to the audit log,
 * and an unknown client ID is whatever the caller typed (sometimes a secret pasted in the wrong
 * field), so it must not be the key verbatim. The same ID still shares one bucket.
 */
const unknownClientKey = (ctx: ServiceContext, clientId: string): string =>
  `unknown-client:${lookupHash(ctx.rt.keys, `oauth-unknown-client-id:${clientId}`).slice(0, 22)}`;

/**
 * Counts a failed client authentication or a bad grant against the client and the address (429 once
 * either is over its limit), and audits the failures of a client once per window with their count.
 */
export async function chargeClientFailure(ctx: ServiceContext, clientId: string, reason: ClientFailure, detail?: string): Promise<void> {
  const key = clientId.slice(0, MAX_CLIENT_ID);
  const address = addressKey(ctx.meta.ip);
  // Unknown client IDs are whatever the caller typed (sometimes a secret pasted in the wrong field):
  // they are reported per address, under one key, and never written to the audit log verbatim.
  const unknown = reason === "unknown_client";
  // The limits first: a refused attempt (429) leaves no row of its own, only the limiter's one
  // report per window, so a limited address cannot grow the audit log by sending new client IDs.
  await takeAttempt(ctx, "client.address", address);
  await takeAttempt(ctx, "client.id", unknown ? unknownClientKey(ctx, clientId) : key);
  const count = ctx.rt.limiter.noteInWindow(unknown ? "client.address" : "client.id", unknown ? `unknown-client:${address}` : key);
  if (count === 0) return;
  await ctx.rt.store.transaction((tx) =>
    audit(tx, ctx, {
      action: "oauth.exchange_failed",
      actorId: null,
      actorName: "anonymous",
      subjectType: "oauth_app",
      subjectId: unknown ? null : key,
      details: { reason, count, ...(unknown ? { clientIdLength: clientId.length } : {}), ...(detail ? { detail: detail.slice(0, 200) } : {}) },
    }),
  );
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
