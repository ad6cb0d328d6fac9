/**
 * The storage port. Services and routes talk to this interface only; SQL lives in the adapters
 * (`sqlite/`, and later others). Methods are async so a networked database can implement them;
 * the SQLite adapter answers synchronously underneath. Every adapter must pass the one Store
 * contract (`contract.ts`), unchanged.
 *
 * Inside `transaction(fn)`, `fn` must await only calls on the store it is given: do any other async
 * work (crypto, network) before opening the transaction.
 */
import type { ObjectQuery } from "../domain/object-query";

import type { AccessLevel } from "../domain/actor";
import type { CertificateDetails } from "../domain/x509-details";
export type { AccessLevel };

export type UserKind = "person" | "technical";

export interface User {
  id: string;
  username: string;
  name: string;
  email: string;
  accessLevel: AccessLevel;
  /** `technical`: a service credential's principal (no password, never listed or signed in). */
  kind: UserKind;
  /** A non-admin allowed into the Developer Console. */
  isDeveloper: boolean;
  isActive: boolean;
  passwordChangedAt: number;
  failedLogins: number;
  lockedUntil: number | null;
  lastLoginAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

export interface NewUser {
  id: string;
  username: string;
  name: string;
  email: string;
  passwordHash: string;
  accessLevel: AccessLevel;
  isActive: boolean;
  passwordChangedAt: number;
  createdAt: number;
  /** Defaults to `person`. */
  kind?: UserKind;
  isDeveloper?: boolean;
}

export type UserPatch = Partial<
  Pick<
    UserWithSecret,
    | "username"
    | "name"
    | "email"
    | "passwordHash"
    | "accessLevel"
    | "isDeveloper"
    | "isActive"
    | "passwordChangedAt"
    | "failedLogins"
    | "lockedUntil"
    | "lastLoginAt"
  >
>;

export interface Customer {
  customerId: string;
  name: string;
  secretFingerprint: string | null;
  createdAt: number;
}

export interface Session {
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface StoredApiKey {
  userId: string;
  lookupHash: string;
  ciphertext: string;
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type ApiKeyExpiry = "1m" | "2m" | "3m" | "6m" | "1y" | "never";

export interface InstanceSettings {
  apiKeyExpiry: ApiKeyExpiry;
  apiKeyExpiryChangedAt: number;
  removeKeyOnPasswordExpiry: boolean;
  passwordResetDays: number | null;
  lockoutEnabled: boolean;
  lockoutThreshold: number;
  lockoutMinutes: number;
  ssoType: "none" | "saml2";
  ssoOnly: boolean;
  /** X.509-restricted API login: username + password REST calls must present an accepted certificate. */
  x509Enabled: boolean;
  updatedAt: number;
}

/** "current" is the accepted certificate; "next" is accepted beside it during a rotation. */
export type CertificateSlot = "current" | "next";

export interface StoredCertificate {
  slot: CertificateSlot;
  fileName: string;
  der: Uint8Array;
  /** Uppercase hex pairs joined by colons; unique across slots. */
  fingerprint256: string;
  details: CertificateDetails;
  uploadedBy: string | null;
  uploadedAt: number;
}

export interface AuditEventInput {
  at: number;
  actorId: string | null;
  actorName: string;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditEvent extends Omit<AuditEventInput, "details"> {
  id: number;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: number;
  to?: number;
  /** Keyset cursor: only events with id below this. */
  beforeId?: number;
  limit: number;
}

export type OAuthAppType = "machine_to_machine" | "web" | "single_page";
export type OAuthTokenType = "sessionID" | "Bearer";
export type RefreshAbsoluteExpiry = "1d" | "7d" | "30d" | "90d" | "6m" | "1y" | "none";
export type RefreshInactivityExpiry = "1d" | "7d" | "14d" | "30d" | "90d";

export interface StoredOAuthApp {
  clientId: string;
  type: OAuthAppType;
  name: string;
  description: string;
  tokenType: OAuthTokenType;
  redirectUris: string[];
  refreshRotation: boolean;
  refreshAbsoluteExpiry: RefreshAbsoluteExpiry;
  refreshInactivityExpiry: RefreshInactivityExpiry;
  refreshReuseSeconds: number;
  logo: string | null;
  developerName: string;
  developerEmail: string;
  privacyPolicyUrl: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
}

export type OAuthAppPatch = Partial<Omit<StoredOAuthApp, "clientId" | "type" | "createdBy" | "createdAt" | "lastUsedAt">> & { updatedAt: number };

export interface StoredClientSecret {
  id: string;
  clientId: string;
  lookupHash: string;
  hint: string;
  notes: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

export type PublicKeySource = "certificate" | "public_key" | "generated";

export interface StoredPublicKey {
  id: string;
  clientId: string;
  source: PublicKeySource;
  spkiPem: string;
  /** SHA-256 of the SPKI DER, uppercase hex pairs joined by colons; unique per app. */
  fingerprint256: string;
  /** RFC 7638 JWK thumbprint (base64url), accepted as a JWT `kid` beside the key's ID. */
  thumbprint: string;
  bits: number;
  certificate: { subjectCommonName: string | null; notBefore: number; notAfter: number; fingerprint256: string } | null;
  /** The administrator who added it: the `sub` its JWTs must carry. */
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** An app with everything a client authentication needs, read (and cached) as one. */
export interface OAuthClient {
  app: StoredOAuthApp;
  secrets: StoredClientSecret[];
  keys: StoredPublicKey[];
}

export type OAuthTokenKind = "access" | "refresh";
export type OAuthGrant = "jwt_bearer" | "authorization_code" | "refresh_token";

export interface StoredOAuthToken {
  lookupHash: string;
  kind: OAuthTokenKind;
  clientId: string;
  userId: string;
  grant: OAuthGrant;
  secretId: string | null;
  publicKeyId: string | null;
  familyId: string | null;
  scope: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  rotatedAt: number | null;
}

export interface StoredServiceCredential {
  clientId: string;
  name: string;
  technicalAccountId: string;
  metascopes: string[];
  secretHash: string;
  secretCiphertext: string;
  secretHint: string;
  jwtEnabled: boolean;
  s2sEnabled: boolean;
  migratedAt: number | null;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type ServiceCredentialPatch = Partial<Pick<StoredServiceCredential, "name" | "jwtEnabled" | "s2sEnabled" | "migratedAt" | "revokedAt">>;

export interface StoredServiceCredentialKey {
  id: string;
  clientId: string;
  spkiPem: string;
  certificatePem: string;
  fingerprint256: string;
  notBefore: number;
  notAfter: number;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A credential with its certificates, as an exchange reads it (cached until either changes). */
export interface ServiceCredentialWithKeys {
  credential: StoredServiceCredential;
  keys: StoredServiceCredentialKey[];
}

export type ImsTokenKind = "jwt_bearer" | "client_credentials" | "local_development";

export interface StoredImsToken {
  id: string;
  kind: ImsTokenKind;
  clientId: string | null;
  keyId: string | null;
  userId: string;
  scope: string;
  createdAt: number;
  expiresAt: number;
}

export interface StoredSigningKey {
  kid: string;
  alg: string;
  privateKeyCiphertext: string;
  /** The public JWK (JSON text). */
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface ServiceCredentialUsage {
  clientId: string;
  liveTokens: number;
}

export interface StoredOAuthCode {
  lookupHash: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string | null;
  scope: string;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
  familyId: string | null;
}

export interface StoredConsent {
  userId: string;
  clientId: string;
  scope: string;
  createdAt: number;
  updatedAt: number;
}

export interface OAuthAppUsage {
  clientId: string;
  /** Live (unexpired) access tokens. */
  accessTokens: number;
  refreshTokens: number;
}

/** A row of a REST object, keyed by its API field names. */
export type ObjectRow = Record<string, unknown>;

export interface Store {
  customer: {
    get(): Promise<Customer | null>;
    create(c: Customer): Promise<void>;
    setSecretFingerprint(fingerprint: string): Promise<void>;
  };
  settings: {
    /** The policy. A pure read: the row is written once, by `initialize` (called at bootstrap). */
    get(): Promise<InstanceSettings>;
    /** Writes the default policy, stamped `at`, unless the instance has one; true when it wrote it. */
    initialize(at: number): Promise<boolean>;
    /** Without `updatedAt` in the patch, the store stamps its clock's time. */
    update(patch: Partial<InstanceSettings>): Promise<InstanceSettings>;
  };
  users: {
    byId(id: string): Promise<UserWithSecret | null>;
    byUsername(username: string): Promise<UserWithSecret | null>;
    list(opts: { search?: string; limit: number; offset: number }): Promise<{ users: User[]; total: number }>;
    countAdmins(opts?: { activeOnly?: boolean }): Promise<number>;
    create(u: NewUser): Promise<void>;
    update(id: string, patch: UserPatch & { updatedAt: number }): Promise<void>;
  };
  sessions: {
    create(s: Session & { ip?: string | null; userAgent?: string | null }): Promise<void>;
    byHash(idHash: string): Promise<Session | null>;
    touch(idHash: string, at: number): Promise<void>;
    delete(idHash: string): Promise<void>;
    deleteForUser(userId: string): Promise<number>;
    /** Ends the sessions of every user who is not an administrator; returns how many. */
    deleteForNonAdmins(): Promise<number>;
    /** Ends every REST session; returns how many. */
    deleteAll(): Promise<number>;
  };
  apiKeys: {
    byUser(userId: string): Promise<StoredApiKey | null>;
    byLookupHash(hash: string): Promise<StoredApiKey | null>;
    put(k: StoredApiKey): Promise<void>;
    delete(userId: string): Promise<boolean>;
    deleteAll(): Promise<number>;
    touch(userId: string, at: number): Promise<void>;
    list(): Promise<StoredApiKey[]>;
  };
  objects: {
    search(objCode: string, q: ObjectQuery): Promise<ObjectRow[]>;
    count(objCode: string, q: ObjectQuery): Promise<number>;
    byIds(objCode: string, ids: string[], fields: string[]): Promise<ObjectRow[]>;
    insert(objCode: string, values: ObjectRow): Promise<void>;
    update(objCode: string, id: string, values: ObjectRow): Promise<void>;
    delete(objCode: string, id: string): Promise<boolean>;
    /** Owner of a row (for ownership checks), undefined when the row does not exist. */
    ownerOf(objCode: string, id: string): Promise<string | null | undefined>;
  };
  certificates: {
    /** Every stored certificate, "current" first. */
    list(): Promise<StoredCertificate[]>;
    /** Stores the certificate of its slot, replacing the one there. */
    put(c: StoredCertificate): Promise<void>;
    delete(slot: CertificateSlot): Promise<boolean>;
  };
  oauthApps: {
    list(): Promise<StoredOAuthApp[]>;
    count(): Promise<number>;
    byClientId(clientId: string): Promise<StoredOAuthApp | null>;
    /** The app with its secrets and keys, for client authentication (cached until any of them changes). */
    client(clientId: string): Promise<OAuthClient | null>;
    create(app: StoredOAuthApp): Promise<void>;
    update(clientId: string, patch: OAuthAppPatch): Promise<void>;
    /** Deletes the app with its secrets, keys and tokens; the number of tokens that died, or null when there was no app. */
    delete(clientId: string): Promise<{ tokens: number } | null>;
    touch(clientId: string, at: number): Promise<void>;
    /** Live token counts per app. */
    usage(now: number): Promise<OAuthAppUsage[]>;
  };
  clientSecrets: {
    list(clientId: string): Promise<StoredClientSecret[]>;
    create(s: StoredClientSecret): Promise<void>;
    setNotes(clientId: string, id: string, notes: string): Promise<boolean>;
    /** Deletes the secret and the tokens minted with it; the number of tokens, or null when there was no such secret of the app. */
    delete(clientId: string, id: string): Promise<{ tokens: number } | null>;
    touch(id: string, at: number): Promise<void>;
  };
  publicKeys: {
    list(clientId: string): Promise<StoredPublicKey[]>;
    create(k: StoredPublicKey): Promise<void>;
    delete(clientId: string, id: string): Promise<{ tokens: number } | null>;
    touch(id: string, at: number): Promise<void>;
  };
  oauthTokens: {
    create(t: StoredOAuthToken): Promise<void>;
    byHash(lookupHash: string): Promise<StoredOAuthToken | null>;
    touch(lookupHash: string, at: number): Promise<void>;
    delete(lookupHash: string): Promise<boolean>;
    /** Deletes every token of a user (optionally only those of one app); returns how many. */
    deleteForUser(userId: string, clientId?: string): Promise<number>;
    /** Deletes tokens expired before `now`; returns how many. */
    deleteExpired(now: number): Promise<number>;
    /**
     * Deletes the user's tokens that came from signing in (the authorization code flow and its
     * refreshes), keeping those minted from keys (the JWT flow); returns how many.
     */
    deleteSignInTokens(userId: string): Promise<number>;
    /** Deletes every token of one authorization (refresh family); returns how many. */
    deleteFamily(familyId: string): Promise<number>;
    /** Marks a refresh token as replaced by a newer one; false when it already was (a race lost). */
    markRotated(lookupHash: string, at: number): Promise<boolean>;
  };
  oauthCodes: {
    create(c: StoredOAuthCode): Promise<void>;
    byHash(lookupHash: string): Promise<StoredOAuthCode | null>;
    /** Marks a code redeemed and names the family it started; false when it already was (a replay or a race lost). */
    redeem(lookupHash: string, at: number, familyId: string): Promise<boolean>;
    deleteExpired(now: number): Promise<number>;
  };
  consents: {
    get(userId: string, clientId: string): Promise<StoredConsent | null>;
    put(c: StoredConsent): Promise<void>;
    listForUser(userId: string): Promise<StoredConsent[]>;
    delete(userId: string, clientId: string): Promise<boolean>;
  };
  assertionIds: {
    /** Records a JWT `jti` until `expiresAt`; false when the app already has it (a replay). */
    claim(clientId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
    deleteExpired(now: number): Promise<number>;
  };
  serviceCredentials: {
    /** Every credential, oldest first, revoked ones included. */
    list(): Promise<StoredServiceCredential[]>;
    count(): Promise<number>;
    /** The credential with its certificates (cached under `servicecredential:<client ID>`). */
    withKeys(clientId: string): Promise<ServiceCredentialWithKeys | null>;
    create(c: StoredServiceCredential): Promise<void>;
    update(clientId: string, patch: ServiceCredentialPatch): Promise<void>;
    touch(clientId: string, at: number): Promise<void>;
    /** Live IMS tokens per credential. */
    usage(now: number): Promise<ServiceCredentialUsage[]>;
  };
  serviceCredentialKeys: {
    list(clientId: string): Promise<StoredServiceCredentialKey[]>;
    create(k: StoredServiceCredentialKey): Promise<void>;
    /** Deletes the key and the tokens minted with it; the number of tokens, or null when the credential has no such key. */
    delete(clientId: string, id: string): Promise<{ tokens: number } | null>;
    /** Deletes every key of the credential (and their tokens); returns how many keys. */
    deleteAll(clientId: string): Promise<number>;
    touch(id: string, at: number): Promise<void>;
  };
  imsTokens: {
    create(t: StoredImsToken): Promise<void>;
    /** The token by the ID it carries (cached under `imstoken:<id>`); null once revoked or purged. */
    byId(id: string): Promise<StoredImsToken | null>;
    delete(id: string): Promise<boolean>;
    /** Deletes the credential's tokens (only those of one kind when given); returns how many. */
    deleteForCredential(clientId: string, kind?: ImsTokenKind): Promise<number>;
    /** Deletes the user's tokens of one kind; returns how many. */
    deleteForUser(userId: string, kind: ImsTokenKind): Promise<number>;
    /** The user's live tokens of one kind, newest first. */
    listForUser(userId: string, kind: ImsTokenKind, now: number): Promise<StoredImsToken[]>;
    deleteExpired(now: number): Promise<number>;
  };
  imsAssertionIds: {
    /** Records a JWT `jti` until `expiresAt`; false when the credential already has it (a replay). */
    claim(clientId: string, jti: string, expiresAt: number, now: number): Promise<boolean>;
    deleteExpired(now: number): Promise<number>;
  };
  signingKeys: {
    /** Every key, newest first (cached under `signingkeys`). */
    list(): Promise<StoredSigningKey[]>;
    create(k: StoredSigningKey): Promise<void>;
    /** Retires every current key but `exceptKid`, stamped `at`; returns how many. */
    retireOthers(exceptKid: string, at: number): Promise<number>;
    /** Deletes keys retired before `before`; returns how many. */
    deleteRetiredBefore(before: number): Promise<number>;
  };
  audit: {
    append(e: AuditEventInput): Promise<void>;
    list(f: AuditFilter): Promise<AuditEvent[]>;
  };
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Releases the connection (and any worker or pool behind it). */
  close(): Promise<void>;
}
