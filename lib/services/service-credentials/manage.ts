/**
 * Refresh, migrate and revoke a service credential (Developer Console, administrators).
 * - Refresh: a new key pair and certificate; the old certificates keep verifying until their own
 *   expiry (or until removed), so running clients move over at their own pace.
 * - Migrate: turns on OAuth Server-to-Server (the client-credentials grant) beside the JWT side, with
 *   the same client ID and secret; "Revoke JWT side" then ends the JWT exchange and its tokens.
 * - Revoke: every token minted from the credential stops working at once and every later exchange
 *   fails with invalid_client; the technical account is deactivated and the row kept for the record.
 */
import { decrypt } from "../../crypto/secrets";
import { Conflict, InvalidRequest, NotFound } from "../../errors";
import type { ServiceCredentialWithKeys } from "../../storage/types";
import { audit, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";
import { bundleOf, type ServiceCredentialBundle } from "./bundle";
import { newCredentialKey, secretSealContext } from "./create";

/** Certificates one credential may hold at once (current and the ones being replaced). */
export const MAX_CREDENTIAL_KEYS = 5;

async function loadActive(ctx: ServiceContext, clientId: string): Promise<ServiceCredentialWithKeys> {
  const found = await ctx.rt.store.serviceCredentials.withKeys(clientId);
  if (!found) throw new NotFound("No such service credential.");
  if (found.credential.revokedAt !== null) throw new Conflict("This credential has been revoked.");
  return found;
}

function requireManager(ctx: ServiceContext, what: string) {
  const actor = requireAdmin(ctx);
  requireOwnCredentials(ctx, what);
  return actor;
}

export async function refreshServiceCredential(ctx: ServiceContext, clientId: string): Promise<ServiceCredentialBundle> {
  const actor = requireManager(ctx, "refresh service credentials");
  const { rt } = ctx;
  const { credential, keys } = await loadActive(ctx, clientId);
  if (!credential.jwtEnabled) throw new InvalidRequest("This credential has no JWT side: OAuth Server-to-Server credentials have no key pair to refresh.");
  const now = rt.clock.now();
  // Expired certificates no longer verify anything: they make room first.
  const current = keys.filter((k) => k.notAfter >= now);
  if (current.length >= MAX_CREDENTIAL_KEYS) {
    throw new Conflict(`This credential already has ${MAX_CREDENTIAL_KEYS} valid certificates. Remove an old one before refreshing again.`);
  }
  const key = await newCredentialKey(rt, clientId, credential.technicalAccountId, actor.userId);
  const account = await rt.store.users.byId(credential.technicalAccountId);
  const secret = decrypt(rt.keys, credential.secretCiphertext, secretSealContext(clientId));
  const removedExpired = keys.filter((k) => k.notAfter < now);
  await rt.store.transaction(async (tx) => {
    const fresh = await tx.serviceCredentials.withKeys(clientId);
    if (!fresh || fresh.credential.revokedAt !== null) throw new Conflict("This credential has been revoked.");
    for (const k of removedExpired) await tx.serviceCredentialKeys.delete(clientId, k.id);
    await tx.serviceCredentialKeys.create(key.stored);
    await audit(tx, ctx, {
      action: "service_credential.refresh",
      subjectType: "service_credential",
      subjectId: clientId,
      details: { keyId: key.stored.id, certificateExpires: key.stored.notAfter, keptKeys: current.map((k) => k.id), removedExpiredKeys: removedExpired.map((k) => k.id) },
    });
  });
  return bundleOf(rt, credential, { email: account?.email ?? "" }, secret, { privateKeyPem: key.generated.privateKeyPem, certificatePem: key.generated.certificatePem });
}

/** Removes one certificate; tokens its JWTs bought stop working. The last one of a JWT-only credential stays (revoke instead). */
export async function removeCredentialKey(ctx: ServiceContext, clientId: string, keyId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "change service credentials");
  const { credential, keys } = await loadActive(ctx, clientId);
  if (!keys.some((k) => k.id === keyId)) throw new NotFound("No such certificate on this credential.");
  if (keys.length === 1 && !credential.s2sEnabled) {
    throw new Conflict("This is the credential's only certificate. Refresh the credential first, or revoke it.");
  }
  return ctx.rt.store.transaction(async (tx) => {
    const removed = await tx.serviceCredentialKeys.delete(clientId, keyId);
    if (!removed) throw new NotFound("No such certificate on this credential.");
    await audit(tx, ctx, { action: "service_credential.remove_key", subjectType: "service_credential", subjectId: clientId, details: { keyId, revokedTokens: removed.tokens } });
    return removed;
  });
}

export async function migrateServiceCredential(ctx: ServiceContext, clientId: string): Promise<void> {
  requireManager(ctx, "migrate service credentials");
  const { credential } = await loadActive(ctx, clientId);
  if (credential.s2sEnabled) throw new Conflict("This credential already uses OAuth Server-to-Server.");
  const now = ctx.rt.clock.now();
  await ctx.rt.store.transaction(async (tx) => {
    await tx.serviceCredentials.update(clientId, { s2sEnabled: true, migratedAt: now });
    await audit(tx, ctx, { action: "service_credential.migrate", subjectType: "service_credential", subjectId: clientId, details: { jwtStillEnabled: credential.jwtEnabled } });
  });
}

/** After a migration: ends the JWT exchange, its tokens and certificates; client-credentials tokens keep working. */
export async function revokeJwtSide(ctx: ServiceContext, clientId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "change service credentials");
  const { credential } = await loadActive(ctx, clientId);
  if (!credential.jwtEnabled) throw new Conflict("This credential's JWT side is already revoked.");
  if (!credential.s2sEnabled) throw new Conflict("Migrate the credential to OAuth Server-to-Server first, or revoke the whole credential.");
  return ctx.rt.store.transaction(async (tx) => {
    await tx.serviceCredentials.update(clientId, { jwtEnabled: false });
    const tokens = await tx.imsTokens.deleteForCredential(clientId, "jwt_bearer");
    const keys = await tx.serviceCredentialKeys.deleteAll(clientId);
    await audit(tx, ctx, { action: "service_credential.revoke_jwt", subjectType: "service_credential", subjectId: clientId, details: { revokedTokens: tokens, removedKeys: keys } });
    return { tokens };
  });
}

export async function revokeServiceCredential(ctx: ServiceContext, clientId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "revoke service credentials");
  const { credential } = await loadActive(ctx, clientId);
  const now = ctx.rt.clock.now();
  return ctx.rt.store.transaction(async (tx) => {
    await tx.serviceCredentials.update(clientId, { revokedAt: now, jwtEnabled: false, s2sEnabled: false });
    const tokens = await tx.imsTokens.deleteForCredential(clientId);
    // The account can no longer act through anything, whatever may still hold a token's text.
    await tx.users.update(credential.technicalAccountId, { isActive: false, updatedAt: now });
    await audit(tx, ctx, {
      action: "service_credential.revoke",
      subjectType: "service_credential",
      subjectId: clientId,
      details: { name: credential.name, technicalAccountId: credential.technicalAccountId, revokedTokens: tokens },
    });
    return { tokens };
  });
}
