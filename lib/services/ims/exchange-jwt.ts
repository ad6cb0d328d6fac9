/**
 * POST /ims/exchange/jwt: a service credential's client ID and secret and a JWT signed by one of its
 * certificates, for a 24-hour access token acting as its technical account. The assertion rules
 * live in domain/ims-assertion.ts; here are the credential, the account, the `jti` replay store and
 * the token. A JWT without `jti` (as @adobe/jwt-auth signs them) may be exchanged more than once
 * within its own short lifetime, as the vendor's service allows.
 */
import { ImsAssertionRejected, verifyImsAssertion, type ImsAssertionReason } from "../../domain/ims-assertion";
import { IMS_TOKEN_TTL_MS, organizationId } from "../../domain/service-credential";
import { ImsError, ImsInvalidClient, ImsInvalidScope, ImsInvalidSignature, ImsInvalidToken } from "../../ims/errors";
import { actorOf } from "../../domain/actor";
import { audit, type ServiceContext } from "../context";
import { purgeExpiredSometimes } from "../oauth/purge";
import { mintImsToken } from "./access-tokens";
import { authenticateCredential, chargeImsFailure } from "./credential-auth";

export const MAX_IMS_ASSERTION_LIFETIME_MS = 24 * 3_600_000;
/** Last-used times of credentials and certificates are written at most this often. */
export const TOUCH_INTERVAL_MS = 60_000;

export interface ImsJwtTokenResponse {
  token_type: "bearer";
  access_token: string;
  /** Milliseconds, as the vendor's exchange answers. */
  expires_in: number;
}

/** The IMS error code of each refused assertion. */
const ERROR_OF_REASON: ReadonlyMap<ImsAssertionReason, (message: string) => ImsError> = new Map<ImsAssertionReason, (m: string) => ImsError>([
  ["malformed", (m) => new ImsInvalidToken(m)],
  ["algorithm", (m) => new ImsInvalidSignature(m)],
  ["signature", (m) => new ImsInvalidSignature(m)],
  ["certificate_expired", (m) => new ImsInvalidSignature(m)],
  ["expired", (m) => new ImsInvalidToken(m)],
  ["missing_exp", (m) => new ImsInvalidToken(m)],
  ["too_far_ahead", (m) => new ImsInvalidToken(m)],
  ["issuer", (m) => new ImsInvalidToken(m)],
  ["subject", (m) => new ImsInvalidToken(m)],
  ["audience", (m) => new ImsInvalidToken(m)],
  ["jti", (m) => new ImsInvalidToken(m)],
  ["no_scope", (m) => new ImsInvalidScope(m)],
  ["scope_not_granted", (m) => new ImsInvalidScope(m)],
]);

const INACTIVE = "The credential's technical account is not active.";
const REPLAY = "This JWT has been exchanged before (its jti was already used). Sign a new JWT for each exchange.";

export async function exchangeImsJwt(ctx: ServiceContext, input: { clientId: string; clientSecret?: string; jwt: string }): Promise<ImsJwtTokenResponse> {
  const { rt } = ctx;
  const { credential, keys } = await authenticateCredential(ctx, input.clientId, input.clientSecret, "jwt");
  const now = rt.clock.now();
  let verified;
  try {
    if (keys.length === 0) throw new ImsAssertionRejected("signature", "The credential has no certificate: refresh it in the Developer Console.");
    verified = await verifyImsAssertion(input.jwt, keys, {
      org: organizationId(rt.customerId),
      technicalAccountId: credential.technicalAccountId,
      clientId: credential.clientId,
      scopes: credential.metascopes,
      now,
      maxLifetimeMs: MAX_IMS_ASSERTION_LIFETIME_MS,
    });
  } catch (e) {
    if (!(e instanceof ImsAssertionRejected)) throw e;
    await chargeImsFailure(ctx, credential.clientId, e.reason === "no_scope" || e.reason === "scope_not_granted" ? "scope" : "assertion", e.reason);
    throw (ERROR_OF_REASON.get(e.reason) ?? ((m: string) => new ImsInvalidToken(m)))(e.message);
  }
  const account = await rt.store.users.byId(credential.technicalAccountId);
  if (!account?.isActive) {
    await chargeImsFailure(ctx, credential.clientId, "inactive_account");
    throw new ImsInvalidClient(INACTIVE);
  }
  const key = verified.key;
  const minted = await mintImsToken(rt, {
    kind: "jwt_bearer",
    clientId: credential.clientId,
    credentialClientId: credential.clientId,
    keyId: key.id,
    userId: account.id,
    scopes: verified.scopes,
  });
  const stale = (at: number | null) => now - (at ?? 0) > TOUCH_INTERVAL_MS;
  const storedKey = keys.find((k) => k.id === key.id);
  let outcome: "ok" | "replay" | "revoked" | "key_gone";
  try {
    outcome = await rt.store.transaction(async (tx) => {
      // The credential again, inside: a revocation that committed since the read above must win.
      const fresh = await tx.serviceCredentials.withKeys(credential.clientId);
      if (!fresh || fresh.credential.revokedAt !== null || !fresh.credential.jwtEnabled) return "revoked" as const;
      if (!fresh.keys.some((k) => k.id === key.id)) return "key_gone" as const;
      if (verified.jti !== null && !(await tx.imsAssertionIds.claim(credential.clientId, verified.jti, verified.expiresAt, now))) return "replay" as const;
      await tx.imsTokens.create(minted.stored);
      if (stale(credential.lastUsedAt)) await tx.serviceCredentials.touch(credential.clientId, now);
      if (storedKey && stale(storedKey.lastUsedAt)) await tx.serviceCredentialKeys.touch(key.id, now);
      await audit(tx, { ...ctx, actor: actorOf(account, { kind: "access_token", clientId: credential.clientId }, "technical_account") }, {
        action: "ims_token.issue",
        subjectType: "service_credential",
        subjectId: credential.clientId,
        details: { grant: "jwt_bearer", keyId: key.id, scope: minted.stored.scope, ...(verified.jti !== null ? { jti: verified.jti.slice(0, 100) } : {}) },
      });
      return "ok" as const;
    });
  } catch (e) {
    // The technical account or key vanished between the checks and the insert (a foreign key failed).
    const fresh = await rt.store.serviceCredentials.withKeys(credential.clientId);
    if (!fresh || fresh.credential.revokedAt !== null) outcome = "revoked";
    else if (!fresh.keys.some((k) => k.id === key.id)) outcome = "key_gone";
    else throw e;
  }
  if (outcome === "revoked") {
    await chargeImsFailure(ctx, credential.clientId, "revoked");
    throw new ImsInvalidClient("This credential has been revoked.");
  }
  if (outcome === "key_gone") {
    await chargeImsFailure(ctx, credential.clientId, "assertion", "key removed");
    throw new ImsInvalidSignature("The certificate that signed this JWT was removed from the credential.");
  }
  if (outcome === "replay") {
    await chargeImsFailure(ctx, credential.clientId, "replay");
    throw new ImsInvalidToken(REPLAY);
  }
  purgeExpiredSometimes(rt);
  return { token_type: "bearer", access_token: minted.token, expires_in: IMS_TOKEN_TTL_MS };
}
