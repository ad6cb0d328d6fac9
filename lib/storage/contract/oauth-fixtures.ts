/** The OAuth data the Store contract's cases build: apps, secrets, public keys and tokens. No adapter specifics here. */
import type { OAuthAppUsage, Store, StoredClientSecret, StoredOAuthApp, StoredOAuthToken, StoredPublicKey } from "../types";
import { createUser, T0 } from "./fixtures";

let seq = 0;
const next = () => String(++seq).padStart(6, "0");

export function newApp(over: Partial<StoredOAuthApp> = {}): StoredOAuthApp {
  const n = next();
  return {
    clientId: `client${n}`.padEnd(32, "0"),
    type: "machine_to_machine",
    name: `App ${n}`,
    description: "",
    tokenType: "Bearer",
    redirectUris: [],
    refreshRotation: true,
    refreshAbsoluteExpiry: "90d",
    refreshInactivityExpiry: "30d",
    refreshReuseSeconds: 0,
    logo: null,
    developerName: "",
    developerEmail: "",
    privacyPolicyUrl: "",
    createdBy: null,
    createdAt: T0,
    updatedAt: T0,
    lastUsedAt: null,
    ...over,
  };
}

export function newSecret(clientId: string, over: Partial<StoredClientSecret> = {}): StoredClientSecret {
  const n = next();
  return { id: `secret-${n}`, clientId, lookupHash: `secret-hash-${n}`, hint: n.slice(-4), notes: "", createdBy: null, createdAt: T0, lastUsedAt: null, ...over };
}

export function newPublicKey(clientId: string, createdBy: string, over: Partial<StoredPublicKey> = {}): StoredPublicKey {
  const n = next();
  return {
    id: `key-${n}`,
    clientId,
    source: "public_key",
    spkiPem: `-----BEGIN PUBLIC KEY-----\nKEY${n}\n-----END PUBLIC KEY-----\n`,
    fingerprint256: (n.padEnd(64, "A").match(/../g) ?? []).join(":"),
    thumbprint: `thumb-${n}`,
    bits: 2048,
    certificate: null,
    createdBy,
    createdAt: T0,
    lastUsedAt: null,
    ...over,
  };
}

export function newToken(t: Pick<StoredOAuthToken, "clientId" | "userId">, over: Partial<StoredOAuthToken> = {}): StoredOAuthToken {
  const n = next();
  return {
    lookupHash: `token-hash-${n}`,
    kind: "access",
    grant: "jwt_bearer",
    secretId: null,
    publicKeyId: null,
    familyId: null,
    scope: "",
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    lastUsedAt: null,
    rotatedAt: null,
    ...t,
    ...over,
  };
}

/** An app with one secret and one key (added by a fresh user), all stored. */
export async function createClient(store: Store, over: Partial<StoredOAuthApp> = {}) {
  const user = await createUser(store, { accessLevel: "admin" });
  const app = newApp(over);
  await store.oauthApps.create(app);
  const secret = newSecret(app.clientId);
  const key = newPublicKey(app.clientId, user.id);
  await store.clientSecrets.create(secret);
  await store.publicKeys.create(key);
  return { user, app, secret, key };
}

/** Stores a token and returns it. */
export async function createToken(store: Store, t: Pick<StoredOAuthToken, "clientId" | "userId">, over: Partial<StoredOAuthToken> = {}): Promise<StoredOAuthToken> {
  const token = newToken(t, over);
  await store.oauthTokens.create(token);
  return token;
}

/** The live counts of one app in a usage answer (an app without live tokens may be absent). */
export function usageOf(usage: OAuthAppUsage[], clientId: string): { accessTokens: number; refreshTokens: number } {
  const row = usage.find((u) => u.clientId === clientId);
  return { accessTokens: row?.accessTokens ?? 0, refreshTokens: row?.refreshTokens ?? 0 };
}
