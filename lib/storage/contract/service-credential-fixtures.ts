/**
 * The service-credential data the Store contract's cases build: credentials (each with its technical
 * account), their certificates, IMS tokens and signing keys. No adapter specifics here.
 */
import type { ServiceCredentialUsage, Store, StoredImsToken, StoredServiceCredential, StoredServiceCredentialKey, StoredSigningKey } from "../types";
import { createUser, T0 } from "./fixtures";

let seq = 0;
const next = () => String(++seq).padStart(6, "0");

export const HOUR = 3_600_000;

export function newCredential(technicalAccountId: string, over: Partial<StoredServiceCredential> = {}): StoredServiceCredential {
  const n = next();
  return {
    clientId: `svc${n}`.padEnd(32, "0"),
    name: `Credential ${n}`,
    technicalAccountId,
    metascopes: ["ent_keyward_api"],
    secretHash: `secret-hash-${n}`,
    secretCiphertext: `sealed-secret-${n}`,
    secretHint: n.slice(-4),
    jwtEnabled: true,
    s2sEnabled: false,
    migratedAt: null,
    createdBy: null,
    createdAt: T0,
    lastUsedAt: null,
    revokedAt: null,
    ...over,
  };
}

export function newCredentialKey(clientId: string, over: Partial<StoredServiceCredentialKey> = {}): StoredServiceCredentialKey {
  const n = next();
  return {
    id: `svc-key-${n}`,
    clientId,
    spkiPem: `-----BEGIN PUBLIC KEY-----\nSVC${n}\n-----END PUBLIC KEY-----\n`,
    certificatePem: `-----BEGIN CERTIFICATE-----\nCERT${n}\n-----END CERTIFICATE-----\n`,
    fingerprint256: `${n}`.padEnd(64, "f"),
    notBefore: T0,
    notAfter: T0 + 365 * 24 * HOUR,
    createdBy: null,
    createdAt: T0,
    lastUsedAt: null,
    ...over,
  };
}

/** What a case says about a token; the rest is filled in. */
export type TokenParts = Pick<StoredImsToken, "userId"> & Partial<StoredImsToken>;

export function newImsToken(t: TokenParts): StoredImsToken {
  const n = next();
  return {
    id: `${n}`.padEnd(32, "a"),
    kind: "local_development",
    clientId: null,
    keyId: null,
    scope: "",
    createdAt: T0,
    expiresAt: T0 + 24 * HOUR,
    ...t,
  };
}

export function newSigningKey(over: Partial<StoredSigningKey> = {}): StoredSigningKey {
  const n = next();
  return {
    kid: `kid-${n}`,
    alg: "ES256",
    privateKeyCiphertext: `sealed-private-key-${n}`,
    publicJwk: JSON.stringify({ kty: "EC", crv: "P-256", x: `x${n}`, y: `y${n}`, kid: `kid-${n}`, alg: "ES256", use: "sig" }),
    createdAt: T0,
    retiredAt: null,
    ...over,
  };
}

/** A technical account with its credential and one certificate, all stored. */
export async function createCredential(store: Store, over: Partial<StoredServiceCredential> = {}) {
  const account = await createUser(store, { kind: "technical", passwordHash: "!technical-account" });
  const credential = newCredential(account.id, over);
  await store.serviceCredentials.create(credential);
  const key = newCredentialKey(credential.clientId);
  await store.serviceCredentialKeys.create(key);
  return { account, credential, key };
}

/** Stores a token and returns it. */
export async function createImsToken(store: Store, t: TokenParts): Promise<StoredImsToken> {
  const token = newImsToken(t);
  await store.imsTokens.create(token);
  return token;
}

/** A token minted by a JWT exchange with the credential's key. */
export const jwtToken = (c: { account: { id: string }; credential: { clientId: string }; key: { id: string } }, over: Partial<StoredImsToken> = {}): TokenParts => ({
  userId: c.account.id,
  kind: "jwt_bearer",
  clientId: c.credential.clientId,
  keyId: c.key.id,
  scope: "ent_keyward_api",
  ...over,
});

/** A token minted by the client-credentials grant (no key). */
export const s2sToken = (c: { account: { id: string }; credential: { clientId: string } }, over: Partial<StoredImsToken> = {}): TokenParts => ({
  userId: c.account.id,
  kind: "client_credentials",
  clientId: c.credential.clientId,
  keyId: null,
  scope: "ent_keyward_api",
  ...over,
});

/** The live count of one credential in a usage answer (a credential without live tokens may be absent). */
export function liveTokensOf(usage: ServiceCredentialUsage[], clientId: string): number {
  return usage.find((u) => u.clientId === clientId)?.liveTokens ?? 0;
}
