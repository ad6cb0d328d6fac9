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
import type { ServiceCredentialWithKeys, Store } from "../../storage/types";
import { audit, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";
import { bundleOf, type ServiceCredentialBundle } from "./bundle";
import { newCredentialKey, secretSealContext } from "./create";

/** Certificates one credential may hold at once (current and the ones being replaced). */
export const MAX_CREDENTIAL_KEYS = 5;

/**
 * The credential, unless it is unknown or revoked. Each verb reads it first (to fail fast, before any
 * key generation) and again with `tx` inside its transaction, where its rules are decided: two verbs
 * racing (two removals, two refreshes, a migration and a revocation) must not both pass a check
 * made on the same earlier read.
 */
async function loadActive(ctx: ServiceContext, clientId: string, store: Store = ctx.rt.store): Promise<ServiceCredentialWithKeys> {
  const found = await store.serviceCredentials.withKeys(clientId);
  if (!found) throw new NotFound("No such service credential.");
  if (found.credential.revokedAt !== null) throw new Conflict("This credential has been revoked.");
  return found;
}

const NO_JWT_SIDE = "This credential has no JWT side: OAuth Server-to-Server credentials have no key pair to refresh.";
const TOO_MANY_KEYS = `This credential already has ${MAX_CREDENTIAL_KEYS} valid certificates. Remove an old one before refreshing again.`;
const ONLY_KEY = "This is the credential's only certificate. Refresh the credential first, or revoke it.";
const NO_SUCH_KEY = "No such certificate on this credential.";
const ALREADY_MIGRATED = "This credential already uses OAuth Server-to-Server.";
const JWT_ALREADY_REVOKED = "This credential's JWT side is already revoked.";
const MIGRATE_FIRST = "Migrate the credential to OAuth Server-to-Server first, or revoke the whole credential.";

/** Refresh's rules on one read: the valid certificates (which stay) and the expired ones (which go). */
function refreshPlan({ credential, keys }: ServiceCredentialWithKeys, now: number) {
  if (!credential.jwtEnabled) throw new InvalidRequest(NO_JWT_SIDE);
  // Expired certificates no longer verify anything: they make room first.
  const current = keys.filter((k) => k.notAfter >= now);
  if (current.length >= MAX_CREDENTIAL_KEYS) throw new Conflict(TOO_MANY_KEYS);
  return { current, expired: keys.filter((k) => k.notAfter < now) };
}

/** Remove certificate's rules on one read. */
function checkRemovable({ credential, keys }: ServiceCredentialWithKeys, keyId: string): void {
  if (!keys.some((k) => k.id === keyId)) throw new NotFound(NO_SUCH_KEY);
  if (keys.length === 1 && !credential.s2sEnabled) throw new Conflict(ONLY_KEY);
}

/** Revoke JWT side's rules on one read. */
function checkJwtSideRevocable({ credential }: ServiceCredentialWithKeys): void {
  if (!credential.jwtEnabled) throw new Conflict(JWT_ALREADY_REVOKED);
  if (!credential.s2sEnabled) throw new Conflict(MIGRATE_FIRST);
}

function requireManager(ctx: ServiceContext, what: string) {
  const actor = requireAdmin(ctx);
  requireOwnCredentials(ctx, what);
  return actor;
}

export async function refreshServiceCredential(ctx: ServiceContext, clientId: string): Promise<ServiceCredentialBundle> {
  const actor = requireManager(ctx, "refresh service credentials");
  const { rt } = ctx;
  const found = await loadActive(ctx, clientId);
  const { credential } = found;
  refreshPlan(found, rt.clock.now());
  const key = await newCredentialKey(rt, clientId, credential.technicalAccountId, actor.userId);
  const account = await rt.store.users.byId(credential.technicalAccountId);
  const secret = decrypt(rt.keys, credential.secretCiphertext, secretSealContext(clientId));
  await rt.store.transaction(async (tx) => {
    const { current, expired } = refreshPlan(await loadActive(ctx, clientId, tx), rt.clock.now());
    for (const k of expired) await tx.serviceCredentialKeys.delete(clientId, k.id);
    await tx.serviceCredentialKeys.create(key.stored);
    await audit(tx, ctx, {
      action: "service_credential.refresh",
      subjectType: "service_credential",
      subjectId: clientId,
      details: { keyId: key.stored.id, certificateExpires: key.stored.notAfter, keptKeys: current.map((k) => k.id), removedExpiredKeys: expired.map((k) => k.id) },
    });
  });
  return bundleOf(rt, credential, { email: account?.email ?? "" }, secret, { privateKeyPem: key.generated.privateKeyPem, certificatePem: key.generated.certificatePem });
}

/** Removes one certificate; tokens its JWTs bought stop working. The last one of a JWT-only credential stays (revoke instead). */
export async function removeCredentialKey(ctx: ServiceContext, clientId: string, keyId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "change service credentials");
  checkRemovable(await loadActive(ctx, clientId), keyId);
  return ctx.rt.store.transaction(async (tx) => {
    checkRemovable(await loadActive(ctx, clientId, tx), keyId);
    const removed = await tx.serviceCredentialKeys.delete(clientId, keyId);
    if (!removed) throw new NotFound(NO_SUCH_KEY);
    await audit(tx, ctx, { action: "service_credential.remove_key", subjectType: "service_credential", subjectId: clientId, details: { keyId, revokedTokens: removed.tokens } });
    return removed;
  });
}

export async function migrateServiceCredential(ctx: ServiceContext, clientId: string): Promise<void> {
  requireManager(ctx, "migrate service credentials");
  if ((await loadActive(ctx, clientId)).credential.s2sEnabled) throw new Conflict(ALREADY_MIGRATED);
  const now = ctx.rt.clock.now();
  await ctx.rt.store.transaction(async (tx) => {
    const { credential } = await loadActive(ctx, clientId, tx);
    if (credential.s2sEnabled) throw new Conflict(ALREADY_MIGRATED);
    await tx.serviceCredentials.update(clientId, { s2sEnabled: true, migratedAt: now });
    await audit(tx, ctx, { action: "service_credential.migrate", subjectType: "service_credential", subjectId: clientId, details: { jwtStillEnabled: credential.jwtEnabled } });
  });
}

/** After a migration: ends the JWT exchange, its tokens and certificates; client-credentials tokens keep working. */
export async function revokeJwtSide(ctx: ServiceContext, clientId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "change service credentials");
  checkJwtSideRevocable(await loadActive(ctx, clientId));
  return ctx.rt.store.transaction(async (tx) => {
    checkJwtSideRevocable(await loadActive(ctx, clientId, tx));
    await tx.serviceCredentials.update(clientId, { jwtEnabled: false });
    const tokens = await tx.imsTokens.deleteForCredential(clientId, "jwt_bearer");
    const keys = await tx.serviceCredentialKeys.deleteAll(clientId);
    await audit(tx, ctx, { action: "service_credential.revoke_jwt", subjectType: "service_credential", subjectId: clientId, details: { revokedTokens: tokens, removedKeys: keys } });
    return { tokens };
  });
}

export async function revokeServiceCredential(ctx: ServiceContext, clientId: string): Promise<{ tokens: number }> {
  requireManager(ctx, "revoke service credentials");
  await loadActive(ctx, clientId);
  const now = ctx.rt.clock.now();
  return ctx.rt.store.transaction(async (tx) => {
    const { credential } = await loadActive(ctx, clientId, tx);
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
