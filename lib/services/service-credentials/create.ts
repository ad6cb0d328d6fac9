/**
 * Get Service Credentials: a technical account (its own principal, a `users` row of kind
 * `technical` without a password) with a client ID and secret and, for a JWT credential, an RSA key
 * pair whose self-signed certificate (one year) the credential keeps. The private key and secret
 * leave only in the returned bundle; the store keeps the certificate, the secret's keyed hash, and
 * the secret sealed for the bundles of later refreshes.
 */
import { z } from "zod";
import { Conflict } from "../../errors";
import { lookupHash, encrypt, randomId, randomToken } from "../../crypto/secrets";
import { generateServiceKey } from "../../crypto/service-keys";
import {
  CERTIFICATE_VALID_DAYS,
  DEFAULT_METASCOPES,
  MAX_SERVICE_CREDENTIALS,
  newServiceClientId,
  newTechnicalAccountEmail,
  newTechnicalAccountId,
  organizationId,
  parseMetascopes,
} from "../../domain/service-credential";
import { parseInput } from "../../domain/validation";
import { InvalidRequest } from "../../errors";
import type { Runtime } from "../../runtime";
import type { StoredServiceCredential, StoredServiceCredentialKey } from "../../storage/types";
import { audit, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";
import { bundleOf, type ServiceCredentialBundle } from "./bundle";

export const CreateServiceCredentialInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
  accessLevel: z.enum(["admin", "user"]).default("user"),
  type: z.enum(["jwt", "oauth_server_to_server"]).default("jwt"),
  metascopes: z.array(z.string().max(64)).max(10).default([...DEFAULT_METASCOPES]),
});
export type CreateServiceCredentialInput = z.input<typeof CreateServiceCredentialInput>;

export const CREDENTIAL_LIMIT_REACHED = `This instance has ${MAX_SERVICE_CREDENTIALS} service credentials, the most allowed.`;

/** A sealed client secret is bound to its client ID. */
export const secretSealContext = (clientId: string) => `service-credential-secret:${clientId}`;

export const CLIENT_SECRET_PREFIX = "kwsc_";

/** A new key pair and the stored certificate row for it (the private key is only returned). */
export async function newCredentialKey(rt: Runtime, clientId: string, technicalAccountId: string, by: string) {
  const now = rt.clock.now();
  const generated = await generateServiceKey({ commonName: technicalAccountId, organization: organizationId(rt.customerId), now, validDays: CERTIFICATE_VALID_DAYS });
  const stored: StoredServiceCredentialKey = {
    id: randomId(),
    clientId,
    spkiPem: generated.spkiPem,
    certificatePem: generated.certificatePem,
    fingerprint256: generated.fingerprint256,
    notBefore: generated.notBefore,
    notAfter: generated.notAfter,
    createdBy: by,
    createdAt: now,
    lastUsedAt: null,
  };
  return { generated, stored };
}

export async function createServiceCredential(ctx: ServiceContext, raw: CreateServiceCredentialInput): Promise<ServiceCredentialBundle> {
  const actor = requireAdmin(ctx);
  requireOwnCredentials(ctx, "create service credentials");
  const input = parseInput(CreateServiceCredentialInput, raw);
  const scopes = parseMetascopes(input.metascopes);
  if ("problem" in scopes) throw new InvalidRequest(scopes.problem);
  const { rt } = ctx;
  const now = rt.clock.now();
  const clientId = newServiceClientId();
  const technicalAccountId = newTechnicalAccountId();
  const email = newTechnicalAccountEmail();
  const secret = CLIENT_SECRET_PREFIX + randomToken(32);
  const jwt = input.type === "jwt";
  // The RSA key pair is the slow part (tens of milliseconds): made before the transaction.
  const key = jwt ? await newCredentialKey(rt, clientId, technicalAccountId, actor.userId) : null;
  const credential: StoredServiceCredential = {
    clientId,
    name: input.name,
    technicalAccountId,
    metascopes: scopes.scopes,
    secretHash: lookupHash(rt.keys, secret),
    secretCiphertext: encrypt(rt.keys, secret, secretSealContext(clientId)),
    secretHint: secret.slice(-4),
    jwtEnabled: jwt,
    s2sEnabled: !jwt,
    migratedAt: null,
    createdBy: actor.userId,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await rt.store.transaction(async (tx) => {
    if ((await tx.serviceCredentials.count()) >= MAX_SERVICE_CREDENTIALS) throw new Conflict(CREDENTIAL_LIMIT_REACHED);
    await tx.users.create({
      id: technicalAccountId,
      username: technicalAccountId,
      name: input.name,
      email,
      // No password: verifyPassword refuses anything that is not an scrypt hash, and sign-in refuses the kind first.
      passwordHash: "!technical-account",
      accessLevel: input.accessLevel,
      kind: "technical",
      isActive: true,
      passwordChangedAt: now,
      createdAt: now,
    });
    await tx.serviceCredentials.create(credential);
    if (key) await tx.serviceCredentialKeys.create(key.stored);
    await audit(tx, ctx, {
      action: "service_credential.create",
      subjectType: "service_credential",
      subjectId: clientId,
      details: {
        name: input.name,
        type: input.type,
        technicalAccountId,
        accessLevel: input.accessLevel,
        metascopes: scopes.scopes,
        ...(key ? { keyId: key.stored.id, certificateExpires: key.stored.notAfter } : {}),
      },
    });
  });
  return bundleOf(rt, credential, { email }, secret, key ? { privateKeyPem: key.generated.privateKeyPem, certificatePem: key.generated.certificatePem } : undefined);
}
