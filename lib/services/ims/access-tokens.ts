/**
 * IMS access tokens: JWTs this server signs (ES256, see ARCHITECTURE.md), in the vendor's claim
 * shape: `type: "access_token"`, `client_id`, `user_id`, `as`, and `created_at` / `expires_in` in
 * milliseconds as strings, plus a random `id` and a standard `exp`. Each issued token has a row
 * under its `id`; revoking deletes the row, so a token is valid only while its row exists.
 *
 * A call with a token costs a signature check the first time this process sees the token, then a
 * Map lookup: verified tokens are kept (by their exact text) until they expire. The row and the
 * credential are cached reads the store evicts on revoke, so no call reads the database twice.
 */
import { randomBytes } from "node:crypto";
import { IMS_TOKEN_TTL_MS } from "../../domain/service-credential";
import type { Runtime } from "../../runtime";
import type { ImsTokenKind, StoredImsToken } from "../../storage/types";
import { currentSigner, tokenVerifierOf } from "./signing-keys";

/** The authorization server named in the `as` claim. */
export const IMS_AS = "keyward";

export interface MintedImsToken {
  token: string;
  stored: StoredImsToken;
}

export async function mintImsToken(
  rt: Runtime,
  t: { kind: ImsTokenKind; clientId: string; credentialClientId: string | null; keyId: string | null; userId: string; scopes: readonly string[] },
): Promise<MintedImsToken> {
  const signer = await currentSigner(rt);
  const now = rt.clock.now();
  const id = randomBytes(16).toString("hex");
  const expiresAt = now + IMS_TOKEN_TTL_MS;
  const scope = t.scopes.join(",");
  const token = signer.sign({
    id,
    type: "access_token",
    client_id: t.clientId,
    user_id: t.userId,
    as: IMS_AS,
    scope,
    created_at: String(now),
    expires_in: String(IMS_TOKEN_TTL_MS),
    exp: Math.floor(expiresAt / 1000),
  });
  return { token, stored: { id, kind: t.kind, clientId: t.credentialClientId, keyId: t.keyId, userId: t.userId, scope, createdAt: now, expiresAt } };
}

/** Claims of a verified token that the resolver needs. */
interface VerifiedClaims {
  id: string;
  userId: string;
  clientId: string;
  expiresAt: number;
}

const TOKEN_ID = /^[0-9a-f]{32}$/;
const DIGITS = /^\d{1,16}$/;

/** The claims this server writes, or null when anything is missing or not as it writes them. */
function readClaims(p: Record<string, unknown>): VerifiedClaims | null {
  const { id, type, user_id, client_id, created_at, expires_in } = p;
  if (type !== "access_token" || typeof id !== "string" || !TOKEN_ID.test(id)) return null;
  if (typeof user_id !== "string" || typeof client_id !== "string") return null;
  if (typeof created_at !== "string" || typeof expires_in !== "string" || !DIGITS.test(created_at) || !DIGITS.test(expires_in)) return null;
  return { id, userId: user_id, clientId: client_id, expiresAt: Number(created_at) + Number(expires_in) };
}

const MAX_VERIFIED = 20_000;
/** Tokens whose signature verified, by their text, per runtime. */
const verifiedTokens = new WeakMap<Runtime, Map<string, VerifiedClaims>>();

/** A dotted value is a JWT (an IMS token); OAuth tokens and session IDs are base64url/hex without dots. */
export const looksLikeImsToken = (value: string): boolean => value.includes(".");

export interface ResolvedImsToken {
  token: StoredImsToken;
  clientId: string;
}

/**
 * The live token with this text, or null: a bad signature or claims, an unknown key, expired, or
 * revoked (its row gone, or its credential revoked or no longer allowing its side).
 */
export async function resolveImsToken(rt: Runtime, text: string): Promise<ResolvedImsToken | null> {
  let cache = verifiedTokens.get(rt);
  if (!cache) verifiedTokens.set(rt, (cache = new Map<string, VerifiedClaims>()));
  let claims = cache.get(text);
  if (!claims) {
    const payload = (await tokenVerifierOf(rt))(text);
    claims = payload ? (readClaims(payload) ?? undefined) : undefined;
    if (!claims) return null;
    if (cache.size >= MAX_VERIFIED) cache.clear();
    cache.set(text, claims);
  }
  const now = rt.clock.now();
  if (claims.expiresAt <= now) {
    cache.delete(text);
    return null;
  }
  const row = await rt.store.imsTokens.byId(claims.id);
  if (!row || row.userId !== claims.userId || row.expiresAt <= now) return null;
  if (row.clientId !== null) {
    const found = await rt.store.serviceCredentials.withKeys(row.clientId);
    const c = found?.credential;
    if (!c || c.revokedAt !== null) return null;
    if (row.kind === "jwt_bearer" && !c.jwtEnabled) return null;
    if (row.kind === "client_credentials" && !c.s2sEnabled) return null;
  }
  return { token: row, clientId: claims.clientId };
}
