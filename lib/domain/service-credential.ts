/**
 * Service credentials as the Developer Console shows and the IMS endpoints judge them: the metascope
 * catalogue, the identifier formats, and what state a credential and its certificates are in. Pure.
 */
import { randomBytes, randomUUID } from "node:crypto";

/** What each metascope lets a token do on the REST API. A Map: request text is looked up in it. */
export const METASCOPES: ReadonlyMap<string, string> = new Map([
  ["ent_keyward_api", "REST API: read and change objects as the technical account"],
  ["ent_keyward_readonly_api", "REST API: read objects only"],
]);

export const DEFAULT_METASCOPES = ["ent_keyward_api"] as const;

/** The metascope that allows changes; a token without it may only read. */
export const WRITE_METASCOPE = "ent_keyward_api";

/** Whether a token carrying `scopes` may change data. */
export const allowsWrites = (scopes: readonly string[]): boolean => scopes.includes(WRITE_METASCOPE);

/** At most this many credentials per instance (revoked ones included): a console list, not a table to fill. */
export const MAX_SERVICE_CREDENTIALS = 100;

/** How long an IMS access token (exchange, client credentials, local development) lives. */
export const IMS_TOKEN_TTL_MS = 24 * 3_600_000;
/** Certificates of a new or refreshed credential are valid this long. */
export const CERTIFICATE_VALID_DAYS = 365;
/** The list warns when the newest certificate expires within this. */
export const EXPIRY_WARNING_MS = 30 * 24 * 3_600_000;

/** The client ID named by local development tokens (they come from the Developer Console, not a credential). */
export const LOCAL_DEVELOPMENT_CLIENT_ID = "keyward-developer-console";

const TECHNICAL_ACCOUNT_DOMAIN = "techacct.keyward";

/** 32 lowercase hex characters, as the vendor's client IDs. */
export const newServiceClientId = (): string => randomBytes(16).toString("hex");

/** `<24 hex>@techacct.keyward`: the technical account's ID (the JWT sub) and its user ID. */
export const newTechnicalAccountId = (): string => `${randomBytes(12).toString("hex").toUpperCase()}@${TECHNICAL_ACCOUNT_DOMAIN}`;

export const newTechnicalAccountEmail = (): string => `${randomUUID()}@${TECHNICAL_ACCOUNT_DOMAIN}`;

/** The organization ID (the JWT iss), `<id>@KeywardOrg` as the vendor writes `<id>@AdobeOrg`. */
export const organizationId = (customerId: string): string => `${customerId.slice(0, 24).toUpperCase()}@KeywardOrg`;

/** The `imsEndpoint` of a bundle: the public host of this server (the vendor gives a host name, no scheme). */
export const imsEndpointOf = (publicUrl: string): string => new URL(publicUrl).host;

export type CredentialType = "jwt" | "oauth_server_to_server";

export interface CredentialSides {
  jwtEnabled: boolean;
  s2sEnabled: boolean;
  revokedAt: number | null;
  /** When it was migrated to OAuth Server-to-Server; read for the label of a revoked credential. */
  migratedAt?: number | null;
}

export type CredentialStatus = "active" | "revoked";

export const credentialStatus = (c: CredentialSides): CredentialStatus => (c.revokedAt !== null ? "revoked" : "active");

const TYPE_LABELS = {
  jwt: "JWT (service account)",
  migrating: "JWT + OAuth Server-to-Server (migrating)",
  s2s: "OAuth Server-to-Server",
} as const;

/**
 * The console's label for what the credential accepts, or for a revoked one (both sides off) what it
 * accepted: revoking keeps the certificates, which only a JWT side has (revoking the JWT side of a
 * migrated credential removes them), so `certificates` tells the kinds apart.
 */
export function credentialTypeLabel(c: CredentialSides, certificates = 0): string {
  if (c.jwtEnabled && c.s2sEnabled) return TYPE_LABELS.migrating;
  if (c.s2sEnabled) return TYPE_LABELS.s2s;
  if (c.jwtEnabled) return TYPE_LABELS.jwt;
  if (certificates === 0) return TYPE_LABELS.s2s;
  return c.migratedAt !== null && c.migratedAt !== undefined ? TYPE_LABELS.migrating : TYPE_LABELS.jwt;
}

export interface CertificateDates {
  notAfter: number;
}

/** The expiry of the certificate that lasts longest, or null when there is none. */
export function latestExpiry(keys: readonly CertificateDates[]): number | null {
  let latest: number | null = null;
  for (const k of keys) if (latest === null || k.notAfter > latest) latest = k.notAfter;
  return latest;
}

export type ExpiryState = "none" | "valid" | "expiring" | "expired";

/** How the list shows a certificate expiry: expired, within 30 days (a warning), or valid. */
export function expiryState(notAfter: number | null, now: number): ExpiryState {
  if (notAfter === null) return "none";
  if (notAfter < now) return "expired";
  return notAfter - now <= EXPIRY_WARNING_MS ? "expiring" : "valid";
}

/** Metascopes the admin chose, in catalogue order, or why not. */
export function parseMetascopes(chosen: readonly string[]): { scopes: string[] } | { problem: string } {
  const scopes = [...METASCOPES.keys()].filter((s) => chosen.includes(s));
  const unknown = chosen.find((s) => !METASCOPES.has(s));
  if (unknown !== undefined) return { problem: "Choose metascopes from the list." };
  if (scopes.length === 0) return { problem: "Choose at least one metascope." };
  return { scopes };
}

/**
 * Whether an unknown metascope name may be quoted back in an error: only names spelled like the
 * vendor's (`ent_analytics_bulk_ingest_sdk`: lower case, digits, underscores, at most 64), never
 * anything that could be a credential pasted into the wrong field (a client secret has upper case,
 * and its prefix is refused outright).
 */
export const quotableMetascope = (name: string): boolean => /^[a-z][a-z0-9_]{0,63}$/.test(name) && !name.startsWith("kwsc_");
