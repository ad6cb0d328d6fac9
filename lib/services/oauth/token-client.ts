/**
 * The client of a token, revocation or introspection request. Confidential apps (web,
 * machine-to-machine) must prove their secret; a single-page app is a public client and names
 * itself only (its proof is PKCE), so a secret sent for it is refused like a wrong one.
 */
import { hasSecrets } from "../../domain/oauth-app";
import { BASIC_CHALLENGE, type ClientCredentials } from "../../oauth/client-credentials";
import { InvalidClient } from "../../oauth/errors";
import type { OAuthClient, StoredClientSecret } from "../../storage/types";
import type { ServiceContext } from "../context";
import { authenticateClient, chargeClientFailure } from "./client-auth";

export interface TokenClient {
  client: OAuthClient;
  secret: StoredClientSecret | null;
}

export async function authenticateTokenClient(ctx: ServiceContext, creds: ClientCredentials, opts: { publicAllowed: boolean }): Promise<TokenClient> {
  const challenge = creds.method === "client_secret_basic" ? BASIC_CHALLENGE : undefined;
  if (creds.method !== "none") {
    const { client, secret } = await authenticateClient(ctx, creds.clientId, creds.secret, { challenge });
    return { client, secret };
  }
  const client = creds.clientId.length <= 128 ? await ctx.rt.store.oauthApps.client(creds.clientId) : null;
  if (!client || hasSecrets(client.app.type) || !opts.publicAllowed) {
    await chargeClientFailure(ctx, creds.clientId, client ? "missing_secret" : "unknown_client");
    // One answer for unknown and known clients, so the endpoint tells nobody which client IDs exist.
    throw new InvalidClient("Client authentication failed: unknown client, or a client secret is required.");
  }
  return { client, secret: null };
}
