/** What the console shows of an OAuth2 application: never a secret's hash, never a private key. */
import { APP_TYPE_LABELS } from "../../domain/oauth-app";
import type { OAuthAppType, OAuthTokenType, StoredClientSecret, StoredOAuthApp, StoredPublicKey } from "../../storage/types";

export interface OAuthAppSummary {
  clientId: string;
  name: string;
  type: OAuthAppType;
  typeLabel: string;
  tokenType: OAuthTokenType;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ClientSecretView {
  id: string;
  /** The secret's last characters. */
  hint: string;
  notes: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PublicKeyView {
  id: string;
  source: StoredPublicKey["source"];
  fingerprint256: string;
  thumbprint: string;
  bits: number;
  certificate: StoredPublicKey["certificate"];
  /** The user ID a JWT signed with this key must carry as `sub`. */
  createdBy: string;
  createdByName: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface OAuthAppDetails extends Omit<StoredOAuthApp, "createdBy"> {
  typeLabel: string;
  createdBy: string | null;
  /** The JWT `iss` for this instance. */
  customerId: string;
  secrets: ClientSecretView[];
  keys: PublicKeyView[];
  liveTokens: { access: number; refresh: number };
}

export const toSummary = (a: StoredOAuthApp): OAuthAppSummary => ({
  clientId: a.clientId,
  name: a.name,
  type: a.type,
  typeLabel: APP_TYPE_LABELS[a.type],
  tokenType: a.tokenType,
  createdAt: a.createdAt,
  lastUsedAt: a.lastUsedAt,
});

export const toSecretView = (s: StoredClientSecret): ClientSecretView => ({
  id: s.id,
  hint: s.hint,
  notes: s.notes,
  createdBy: s.createdBy,
  createdAt: s.createdAt,
  lastUsedAt: s.lastUsedAt,
});

export const toKeyView = (k: StoredPublicKey, createdByName: string): PublicKeyView => ({
  id: k.id,
  source: k.source,
  fingerprint256: k.fingerprint256,
  thumbprint: k.thumbprint,
  bits: k.bits,
  certificate: k.certificate,
  createdBy: k.createdBy,
  createdByName,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
});
