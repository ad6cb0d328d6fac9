/**
 * The keys this server signs IMS access tokens with. One is current; a rotation (from the console)
 * makes a new one current and retires the old, which stays in the JWKS until every token it signed
 * has expired (a day). Private keys are sealed with the server secret; each process opens the
 * current one once and keeps the signer, and rebuilds its verifier when the key list changes
 * (the list is a cached read, so a rotation by another process is seen from its next commit).
 */
import { decrypt, encrypt } from "../../crypto/secrets";
import { generateSigningKey, IMS_TOKEN_ALG, publicJwks, tokenSigner, tokenVerifier, type TokenSigner } from "../../crypto/ims-token";
import { IMS_TOKEN_TTL_MS } from "../../domain/service-credential";
import type { Runtime } from "../../runtime";
import type { Store, StoredSigningKey } from "../../storage/types";
import { audit, requireAdmin, requireOwnCredentials, type ServiceContext } from "../context";

const sealContext = (kid: string) => `signing-key:${kid}`;

/** A new key, sealed, ready to store. */
function newSigningKey(rt: Runtime): StoredSigningKey {
  const material = generateSigningKey();
  return {
    kid: material.kid,
    alg: IMS_TOKEN_ALG,
    privateKeyCiphertext: encrypt(rt.keys, material.privateKeyPem, sealContext(material.kid)),
    publicJwk: JSON.stringify(material.publicJwk),
    createdAt: rt.clock.now(),
    retiredAt: null,
  };
}

/** The current key: the newest not retired (two processes starting at once may both create one). */
const currentOf = (keys: readonly StoredSigningKey[]): StoredSigningKey | undefined => keys.find((k) => k.retiredAt === null);

/** Creates the first signing key when there is none (at start, and on first use as a backstop). */
export async function ensureSigningKey(rt: Runtime): Promise<void> {
  if (currentOf(await rt.store.signingKeys.list())) return;
  const key = newSigningKey(rt);
  await rt.store.transaction(async (tx) => {
    if (currentOf(await tx.signingKeys.list())) return;
    await tx.signingKeys.create(key);
    await audit(tx, { rt, actor: null, meta: {} }, { action: "signing_key.create", actorName: "system", subjectType: "signing_key", subjectId: key.kid });
  });
}

const signers = new WeakMap<Runtime, { kid: string; signer: TokenSigner }>();

/** The signer of the current key (opened once per process and key). */
export async function currentSigner(rt: Runtime): Promise<TokenSigner> {
  let current = currentOf(await rt.store.signingKeys.list());
  if (!current) {
    await ensureSigningKey(rt);
    current = currentOf(await rt.store.signingKeys.list());
    if (!current) throw new Error("No IMS token signing key could be created.");
  }
  const held = signers.get(rt);
  if (held?.kid === current.kid) return held.signer;
  const signer = tokenSigner({ kid: current.kid, privateKeyPem: decrypt(rt.keys, current.privateKeyCiphertext, sealContext(current.kid)) });
  signers.set(rt, { kid: current.kid, signer });
  return signer;
}

/** Keys whose tokens may still be alive: the current ones, and those retired less than a token lifetime ago. */
export const publishedKeys = (keys: readonly StoredSigningKey[], now: number): StoredSigningKey[] =>
  keys.filter((k) => k.retiredAt === null || k.retiredAt + IMS_TOKEN_TTL_MS > now);

type Verify = (token: string) => Record<string, unknown> | null;
const verifiers = new WeakMap<readonly StoredSigningKey[], Verify>();

/**
 * A verifier over every key that may have signed a live token. Keyed by the cached list object, so
 * it is rebuilt exactly when the list is reloaded (after any signing-key write, here or elsewhere).
 */
export async function tokenVerifierOf(rt: Runtime): Promise<Verify> {
  const keys = await rt.store.signingKeys.list();
  let verify = verifiers.get(keys);
  if (!verify) {
    const published = publishedKeys(keys, rt.clock.now()).map((k) => ({ kid: k.kid, publicJwk: JSON.parse(k.publicJwk) as object }));
    verify = tokenVerifier(published);
    verifiers.set(keys, verify);
  }
  return verify;
}

/** The JWKS served at /ims/keys. */
export async function jwks(rt: Runtime): Promise<{ keys: object[] }> {
  const keys = publishedKeys(await rt.store.signingKeys.list(), rt.clock.now());
  return publicJwks(keys.map((k) => ({ publicJwk: JSON.parse(k.publicJwk) as object })));
}

export interface SigningKeyView {
  kid: string;
  alg: string;
  createdAt: number;
  retiredAt: number | null;
  /** When a retired key leaves the JWKS (its last tokens expire). */
  publishedUntil: number | null;
  current: boolean;
}

export async function listSigningKeys(ctx: ServiceContext): Promise<SigningKeyView[]> {
  requireAdmin(ctx);
  const keys = publishedKeys(await ctx.rt.store.signingKeys.list(), ctx.rt.clock.now());
  const current = currentOf(keys);
  return keys.map((k) => ({
    kid: k.kid,
    alg: k.alg,
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
    publishedUntil: k.retiredAt === null ? null : k.retiredAt + IMS_TOKEN_TTL_MS,
    current: k === current,
  }));
}

/** Makes a new key current and retires the others; tokens they signed keep working until they expire. */
export async function rotateSigningKey(ctx: ServiceContext): Promise<{ kid: string; retired: number }> {
  requireAdmin(ctx);
  requireOwnCredentials(ctx, "rotate the token signing key");
  const key = newSigningKey(ctx.rt);
  return ctx.rt.store.transaction(async (tx: Store) => {
    await tx.signingKeys.create(key);
    const retired = await tx.signingKeys.retireOthers(key.kid, key.createdAt);
    await audit(tx, ctx, { action: "signing_key.rotate", subjectType: "signing_key", subjectId: key.kid, details: { retired } });
    return { kid: key.kid, retired };
  });
}
