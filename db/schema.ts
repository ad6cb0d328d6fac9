import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Times are integer milliseconds since the epoch throughout.

export const customers = sqliteTable("customers", {
  id: integer("id").primaryKey(), // always 1: one organisation per instance
  customerId: text("customer_id").notNull(),
  name: text("name").notNull(),
  /** Fingerprint of the server secret the stored credentials were sealed with. */
  secretFingerprint: text("secret_fingerprint"),
  createdAt: integer("created_at").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    accessLevel: text("access_level", { enum: ["admin", "user"] }).notNull().default("user"),
    /**
     * `person`: someone who signs in. `technical`: the principal of a service credential, which has
     * no password, never signs in and is not listed among the users; REST objects can still name it.
     */
    kind: text("kind", { enum: ["person", "technical"] }).notNull().default("person"),
    /** A non-admin an administrator allowed into the Developer Console (local development tokens). */
    isDeveloper: integer("is_developer", { mode: "boolean" }).notNull().default(false),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    passwordChangedAt: integer("password_changed_at").notNull(),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: integer("locked_until"),
    lastLoginAt: integer("last_login_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("users_username_nocase").on(sql`${t.username} COLLATE NOCASE`)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    lookupHash: text("lookup_hash").notNull(),
    ciphertext: text("ciphertext").notNull(),
    hint: text("hint").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_lookup").on(t.lookupHash)],
);

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status").notNull().default("CUR"),
    priority: integer("priority").notNull().default(0),
    percentComplete: real("percent_complete").notNull().default(0),
    plannedStartDate: integer("planned_start_date"),
    plannedCompletionDate: integer("planned_completion_date"),
    ownerId: text("owner_id").references(() => users.id, { onDelete: "set null" }),
    entryDate: integer("entry_date").notNull(),
    lastUpdateDate: integer("last_update_date").notNull(),
  },
  (t) => [index("projects_owner").on(t.ownerId), index("projects_name").on(t.name)],
);

/** One row (id = 1) of instance-wide policy, edited on the Setup pages. */
export const instanceSettings = sqliteTable("instance_settings", {
  id: integer("id").primaryKey(),
  apiKeyExpiry: text("api_key_expiry").notNull().default("1m"),
  apiKeyExpiryChangedAt: integer("api_key_expiry_changed_at").notNull(),
  removeKeyOnPasswordExpiry: integer("remove_key_on_password_expiry", { mode: "boolean" }).notNull().default(false),
  passwordResetDays: integer("password_reset_days"),
  lockoutEnabled: integer("lockout_enabled", { mode: "boolean" }).notNull().default(true),
  lockoutThreshold: integer("lockout_threshold").notNull().default(5),
  lockoutMinutes: integer("lockout_minutes").notNull().default(10),
  ssoType: text("sso_type", { enum: ["none", "saml2"] }).notNull().default("none"),
  ssoOnly: integer("sso_only", { mode: "boolean" }).notNull().default(false),
  /** X.509-restricted API login: username + password REST calls must present an accepted certificate. */
  x509Enabled: integer("x509_enabled", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * The certificates X.509-restricted API login accepts: the current one and, during a rotation, the
 * next. Certificates are public; the fingerprint (SHA-256 of the DER) is what a login is compared on.
 */
export const apiCertificates = sqliteTable("api_certificates", {
  slot: text("slot", { enum: ["current", "next"] }).primaryKey(),
  fileName: text("file_name").notNull(),
  der: blob("der", { mode: "buffer" }).notNull(),
  fingerprint256: text("fingerprint256").notNull().unique(),
  /** The parsed names, serial and dates (JSON), as "View details" shows them. */
  details: text("details").notNull(),
  uploadedBy: text("uploaded_by"),
  uploadedAt: integer("uploaded_at").notNull(),
});

/** Append-only: rows are never updated or deleted by the application. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: text("details"),
  },
  (t) => [index("audit_at").on(t.at), index("audit_action_at").on(t.action, t.at)],
);

/**
 * OAuth2 applications (at most 10 per instance, enforced by the service in its transaction). The
 * client ID is the primary key. Web and single-page apps carry the authorization-code settings;
 * machine-to-machine apps leave them at their defaults.
 */
export const oauthApps = sqliteTable("oauth_apps", {
  clientId: text("client_id").primaryKey(),
  type: text("type", { enum: ["machine_to_machine", "web", "single_page"] }).notNull(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  tokenType: text("token_type", { enum: ["sessionID", "Bearer"] }).notNull(),
  /** JSON array of exact redirect URLs. */
  redirectUris: text("redirect_uris").notNull().default("[]"),
  refreshRotation: integer("refresh_rotation", { mode: "boolean" }).notNull().default(true),
  refreshAbsoluteExpiry: text("refresh_absolute_expiry").notNull().default("90d"),
  refreshInactivityExpiry: text("refresh_inactivity_expiry").notNull().default("30d"),
  refreshReuseSeconds: integer("refresh_reuse_seconds").notNull().default(0),
  /** A small image as a data: URL (validated PNG, JPEG, GIF or WebP), or null. */
  logo: text("logo"),
  developerName: text("developer_name").notNull().default(""),
  developerEmail: text("developer_email").notNull().default(""),
  privacyPolicyUrl: text("privacy_policy_url").notNull().default(""),
  createdBy: text("created_by"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  lastUsedAt: integer("last_used_at"),
});

/** Client secrets: several per app so a secret rotates with overlap; only the keyed hash is kept. */
export const oauthClientSecrets = sqliteTable(
  "oauth_client_secrets",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthApps.clientId, { onDelete: "cascade" }),
    lookupHash: text("lookup_hash").notNull(),
    /** The last characters, so an administrator can tell secrets apart. */
    hint: text("hint").notNull(),
    notes: text("notes").notNull().default(""),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("oauth_client_secrets_lookup").on(t.lookupHash), index("oauth_client_secrets_client").on(t.clientId)],
);

/** Public keys that sign a machine-to-machine app's JWTs; the adding admin is the JWT `sub`. */
export const oauthPublicKeys = sqliteTable(
  "oauth_public_keys",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthApps.clientId, { onDelete: "cascade" }),
    source: text("source", { enum: ["certificate", "public_key", "generated"] }).notNull(),
    spkiPem: text("spki_pem").notNull(),
    fingerprint256: text("fingerprint256").notNull(),
    thumbprint: text("thumbprint").notNull(),
    bits: integer("bits").notNull(),
    /** For an uploaded certificate: its names and dates (JSON); null for a bare key. */
    certificate: text("certificate"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("oauth_public_keys_client_fingerprint").on(t.clientId, t.fingerprint256), index("oauth_public_keys_client").on(t.clientId)],
);

/**
 * Every OAuth token (access and refresh), stored as a keyed hash. WITHOUT ROWID (set in the
 * migration; drizzle-kit has no word for it): keyed by random text, a rowid table would write a
 * second B-tree on every token exchange. A token names what it was minted
 * from (secret, key, parent refresh token), and those references cascade, so deleting an app, a
 * secret or a key deletes the tokens at once. Refresh tokens of one authorization share a family.
 */
export const oauthTokens = sqliteTable(
  "oauth_tokens",
  {
    lookupHash: text("lookup_hash").primaryKey(),
    kind: text("kind", { enum: ["access", "refresh"] }).notNull(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthApps.clientId, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grant: text("grant_type", { enum: ["jwt_bearer", "authorization_code", "refresh_token"] }).notNull(),
    secretId: text("secret_id").references(() => oauthClientSecrets.id, { onDelete: "cascade" }),
    publicKeyId: text("public_key_id").references(() => oauthPublicKeys.id, { onDelete: "cascade" }),
    /** The authorization (code redemption) every token of one sign-in descends from. */
    familyId: text("family_id"),
    scope: text("scope").notNull().default(""),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    /** Refresh tokens: when it was rotated (replaced by a newer one); reuse after that revokes the family. */
    rotatedAt: integer("rotated_at"),
  },
  // Only the family has an index (partial: tokens of the JWT flow have none). Every other column
  // a delete filters on (app, user, secret, key, expiry) is read by rare administrative deletes and
  // the periodic purge, which can afford a scan; each index would be another page written by every
  // token exchange.
  (t) => [index("oauth_tokens_family").on(t.familyId).where(sql`${t.familyId} IS NOT NULL`)],
);

/** `jti` values of accepted JWT assertions, kept until the assertion's own expiry, so none is replayed. WITHOUT ROWID, as oauth_tokens. */
export const oauthAssertionIds = sqliteTable(
  "oauth_assertion_ids",
  {
    clientId: text("client_id")
      .notNull()
      .references(() => oauthApps.clientId, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] })],
);

/**
 * Authorization codes: single use, two minutes, bound to the client, redirect URL, user and PKCE
 * challenge. A redeemed code is kept (with the family it started) until it expires, so a replay
 * can be recognised and revoke every token issued from it.
 */
export const oauthCodes = sqliteTable("oauth_codes", {
  lookupHash: text("lookup_hash").primaryKey(),
  clientId: text("client_id")
    .notNull()
    .references(() => oauthApps.clientId, { onDelete: "cascade" }),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  redirectUri: text("redirect_uri").notNull(),
  /** S256 challenge, or null when the (web) client sent none. */
  codeChallenge: text("code_challenge"),
  scope: text("scope").notNull().default(""),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  redeemedAt: integer("redeemed_at"),
  /** The token family its redemption started. */
  familyId: text("family_id"),
});

/** What each user has allowed each app (remembered, so the consent page is shown once). */
export const oauthConsents = sqliteTable(
  "oauth_consents",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthApps.clientId, { onDelete: "cascade" }),
    scope: text("scope").notNull().default(""),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId] })],
);

/**
 * Service credentials (Developer Console > Integrations): a technical account (a `users` row of
 * kind `technical`, whose ID is the JWT `sub`) with a client ID and secret. The JWT side exchanges
 * a JWT signed by one of the credential's certificates at /ims/exchange/jwt; the OAuth
 * server-to-server side takes the client secret alone at /ims/token/v3. A migration turns the second
 * on beside the first; revoking keeps the row (greyed in the list) and ends every token at once.
 */
export const serviceCredentials = sqliteTable("service_credentials", {
  clientId: text("client_id").primaryKey(),
  name: text("name").notNull(),
  technicalAccountId: text("technical_account_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  /** The granted metascopes (JSON array). */
  metascopes: text("metascopes").notNull(),
  /** HMAC-SHA256 lookup hash of the client secret. */
  secretHash: text("secret_hash").notNull(),
  /** The secret sealed (AES-256-GCM, bound to the client ID): a refreshed bundle must carry it. */
  secretCiphertext: text("secret_ciphertext").notNull(),
  secretHint: text("secret_hint").notNull(),
  jwtEnabled: integer("jwt_enabled", { mode: "boolean" }).notNull(),
  s2sEnabled: integer("s2s_enabled", { mode: "boolean" }).notNull(),
  migratedAt: integer("migrated_at"),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
  lastUsedAt: integer("last_used_at"),
  revokedAt: integer("revoked_at"),
});

/** The certificates a credential's JWTs verify against; a refresh adds one, the old stays until it expires. */
export const serviceCredentialKeys = sqliteTable(
  "service_credential_keys",
  {
    id: text("id").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => serviceCredentials.clientId, { onDelete: "cascade" }),
    spkiPem: text("spki_pem").notNull(),
    certificatePem: text("certificate_pem").notNull(),
    fingerprint256: text("fingerprint256").notNull().unique(),
    notBefore: integer("not_before").notNull(),
    notAfter: integer("not_after").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("service_credential_keys_client").on(t.clientId)],
);

/**
 * Every IMS access token issued (from a JWT exchange, the client-credentials grant or a local
 * development token), by the random ID it carries. The token itself is a signed JWT; this row is
 * what revocation deletes. WITHOUT ROWID (set in the migration), as oauth_tokens.
 */
export const imsTokens = sqliteTable(
  "ims_tokens",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["jwt_bearer", "client_credentials", "local_development"] }).notNull(),
    clientId: text("client_id").references(() => serviceCredentials.clientId, { onDelete: "cascade" }),
    keyId: text("key_id").references(() => serviceCredentialKeys.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    scope: text("scope").notNull().default(""),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  // By user (a credential's tokens are its technical account's, so revoking, removing a certificate,
  // a password reset and the local-token cap are range reads) and by expiry (the purge): a credential
  // can mint tokens all day, and no write may scan them while it holds the one write lock.
  (t) => [index("ims_tokens_user").on(t.userId, t.kind, t.createdAt), index("ims_tokens_expiry").on(t.expiresAt)],
);

/** `jti` values of accepted IMS assertions until their `exp`. WITHOUT ROWID, as oauth_assertion_ids. */
export const imsAssertionIds = sqliteTable(
  "ims_assertion_ids",
  {
    clientId: text("client_id")
      .notNull()
      .references(() => serviceCredentials.clientId, { onDelete: "cascade" }),
    jti: text("jti").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] })],
);

/**
 * The keys this server signs IMS access tokens with (ES256). One is current (retired_at null); a
 * rotation retires it, and it stays published in the JWKS until the tokens it signed have expired.
 * The private key is sealed with the server secret.
 */
export const signingKeys = sqliteTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  privateKeyCiphertext: text("private_key_ciphertext").notNull(),
  publicJwk: text("public_jwk").notNull(),
  createdAt: integer("created_at").notNull(),
  retiredAt: integer("retired_at"),
});
