/**
 * Authenticating a service credential by its client ID and secret at the IMS endpoints. The secret's
 * keyed hash is compared in constant time (an unknown client costs the same hash). Failures go
 * through the rate limiter per client ID and per address, and are audited once per window with
 * their count; unknown client IDs are counted per address and never written to the log verbatim.
 */
import { constantTimeEqual, lookupHash } from "../../crypto/secrets";
import type { ServiceCredentialWithKeys } from "../../storage/types";
import { ImsInvalidClient } from "../../ims/errors";
import type { ServiceContext } from "../context";
import { chargeClientFailureOn, MAX_CLIENT_ID, type ClientFailureSurface } from "../auth/client-failures";

const MAX_SECRET = 512;

export type ImsFailure =
  | "unknown_client"
  | "wrong_secret"
  | "missing_secret"
  | "revoked"
  | "wrong_side"
  | "assertion"
  | "replay"
  | "inactive_account"
  | "scope";

/** Which endpoint is asking: the JWT exchange, or the client-credentials grant. */
export type CredentialSide = "jwt" | "server_to_server";

const IMS_FAILURES: ClientFailureSurface = {
  addressLimit: "ims.address",
  clientLimit: "ims.client",
  action: "ims.exchange_failed",
  subjectType: "service_credential",
  hashLabel: "ims-unknown-client-id",
};

/** Counts a failed exchange or client authentication (see auth/client-failures.ts). */
export function chargeImsFailure(ctx: ServiceContext, clientId: string, reason: ImsFailure, detail?: string): Promise<void> {
  return chargeClientFailureOn(IMS_FAILURES, ctx, clientId, reason, detail);
}

/** Compared against when the client is unknown: the length of a real lookup hash, matching nothing. */
const DECOY_HASH = "0".repeat(43);

const WRONG = "Client authentication failed: unknown client ID or wrong client secret.";

/** The active credential whose secret this is, allowing `side`; throws invalid_client otherwise. */
export async function authenticateCredential(
  ctx: ServiceContext,
  clientId: string,
  presented: string | undefined,
  side: CredentialSide,
): Promise<ServiceCredentialWithKeys> {
  const found = clientId.length <= MAX_CLIENT_ID ? await ctx.rt.store.serviceCredentials.withKeys(clientId) : null;
  const fail = async (reason: ImsFailure, message = WRONG): Promise<never> => {
    await chargeImsFailure(ctx, clientId, reason);
    throw new ImsInvalidClient(message);
  };
  if (presented === undefined || presented === "") return fail(found ? "missing_secret" : "unknown_client", "client_secret is required.");
  const hash = presented.length <= MAX_SECRET ? lookupHash(ctx.rt.keys, presented) : "";
  // Compared even for an unknown client, so the time taken does not tell whether the ID exists.
  const matches = constantTimeEqual(found?.credential.secretHash ?? DECOY_HASH, hash);
  if (!found || !matches) return fail(found ? "wrong_secret" : "unknown_client");
  const c = found.credential;
  if (c.revokedAt !== null) return fail("revoked", "This credential has been revoked.");
  if (side === "jwt" && !c.jwtEnabled) {
    return fail("wrong_side", "This credential does not accept JWT exchanges (it was migrated to OAuth Server-to-Server and its JWT side revoked). Use /ims/token/v3.");
  }
  if (side === "server_to_server" && !c.s2sEnabled) {
    return fail("wrong_side", "This credential is a JWT credential: exchange a signed JWT at /ims/exchange/jwt, or migrate it to OAuth Server-to-Server in the Developer Console.");
  }
  return found;
}
