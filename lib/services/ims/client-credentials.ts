/**
 * POST /ims/token/v3 with grant_type=client_credentials: OAuth Server-to-Server, the vendor's
 * successor to JWT credentials. The client ID and secret alone buy a 24-hour token acting as the
 * credential's technical account, for the comma-separated metascopes asked (all granted ones when
 * none are named); `expires_in` is in seconds here, as the vendor answers.
 */
import { IMS_TOKEN_TTL_MS, quotableMetascope } from "../../domain/service-credential";
import { ImsInvalidClient, ImsInvalidScope } from "../../ims/errors";
import { actorOf } from "../../domain/actor";
import { audit, type ServiceContext } from "../context";
import { purgeExpiredSometimes } from "../oauth/purge";
import { mintImsToken } from "./access-tokens";
import { authenticateCredential, chargeImsFailure } from "./credential-auth";
import { TOUCH_INTERVAL_MS } from "./exchange-jwt";

export interface ImsClientCredentialsResponse {
  access_token: string;
  token_type: "bearer";
  /** Seconds. */
  expires_in: number;
}

const MAX_SCOPE_CHARS = 1024;

/** The asked metascopes (comma- or space-separated), each granted, without repeats. */
function requestedScopes(raw: string | undefined, granted: readonly string[]): string[] | { problem: string } {
  if (raw === undefined || raw.trim() === "") return [...granted];
  if (raw.length > MAX_SCOPE_CHARS) return { problem: `scope is longer than ${MAX_SCOPE_CHARS} characters.` };
  const asked = [...new Set(raw.split(/[,\s]+/).filter((s) => s !== ""))];
  const missing = asked.find((s) => !granted.includes(s));
  if (missing !== undefined) {
    return { problem: `The credential is not granted ${quotableMetascope(missing) ? `the metascope ${missing}` : "a requested metascope"}.` };
  }
  return asked;
}

export async function clientCredentialsToken(ctx: ServiceContext, input: { clientId: string; clientSecret?: string; scope?: string }): Promise<ImsClientCredentialsResponse> {
  const { rt } = ctx;
  const { credential } = await authenticateCredential(ctx, input.clientId, input.clientSecret, "server_to_server");
  const scopes = requestedScopes(input.scope, credential.metascopes);
  if (!Array.isArray(scopes)) {
    await chargeImsFailure(ctx, credential.clientId, "scope");
    throw new ImsInvalidScope(scopes.problem);
  }
  const account = await rt.store.users.byId(credential.technicalAccountId);
  if (!account?.isActive) {
    await chargeImsFailure(ctx, credential.clientId, "inactive_account");
    throw new ImsInvalidClient("The credential's technical account is not active.");
  }
  const now = rt.clock.now();
  const minted = await mintImsToken(rt, { kind: "client_credentials", clientId: credential.clientId, credentialClientId: credential.clientId, keyId: null, userId: account.id, scopes });
  const issued = await rt.store.transaction(async (tx) => {
    const fresh = (await tx.serviceCredentials.withKeys(credential.clientId))?.credential;
    if (!fresh || fresh.revokedAt !== null || !fresh.s2sEnabled) return false;
    await tx.imsTokens.create(minted.stored);
    if (now - (credential.lastUsedAt ?? 0) > TOUCH_INTERVAL_MS) await tx.serviceCredentials.touch(credential.clientId, now);
    await audit(tx, { ...ctx, actor: actorOf(account, { kind: "access_token", clientId: credential.clientId }, "technical_account") }, {
      action: "ims_token.issue",
      subjectType: "service_credential",
      subjectId: credential.clientId,
      details: { grant: "client_credentials", scope: minted.stored.scope },
    });
    return true;
  });
  if (!issued) {
    await chargeImsFailure(ctx, credential.clientId, "revoked");
    throw new ImsInvalidClient("This credential has been revoked.");
  }
  purgeExpiredSometimes(rt);
  // One second short of the day, as the vendor answers (the token itself lives the full 24 hours).
  return { access_token: minted.token, token_type: "bearer", expires_in: IMS_TOKEN_TTL_MS / 1000 - 1 };
}
