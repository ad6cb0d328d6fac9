/**
 * Add public key: an uploaded `certificate_pub.crt` (or any X.509 certificate) or a pasted PEM
 * public key, RSA of 2048 bits or more. The administrator who adds it becomes the `sub` its JWTs
 * must carry. Shared with key-pair generation, which stores its public half the same way.
 */
import { Conflict } from "../../errors";
import { hasPublicKeys, MAX_KEYS_PER_APP } from "../../domain/oauth-app";
import { readPublicKeyUpload, type ParsedPublicKey } from "../../domain/public-key";
import { randomId } from "../../crypto/secrets";
import type { PublicKeySource, StoredPublicKey } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { appInTx } from "./app-of";
import { toKeyView, type PublicKeyView } from "./view";

export const KEYS_ONLY_M2M = "Only machine-to-machine applications have public keys: they sign JWTs for the JWT flow.";

export async function addPublicKey(ctx: ServiceContext, clientId: string, upload: { bytes: Uint8Array | string; fileName?: string }): Promise<PublicKeyView> {
  requireAdmin(ctx);
  const parsed = readPublicKeyUpload(upload.bytes, upload.fileName);
  return storePublicKey(ctx, clientId, parsed, parsed.source);
}

export async function storePublicKey(ctx: ServiceContext, clientId: string, parsed: ParsedPublicKey, source: PublicKeySource): Promise<PublicKeyView> {
  const actor = requireAdmin(ctx);
  const key: StoredPublicKey = {
    id: randomId(),
    clientId,
    source,
    spkiPem: parsed.spkiPem,
    fingerprint256: parsed.fingerprint256,
    thumbprint: parsed.thumbprint,
    bits: parsed.bits,
    certificate: parsed.certificate,
    createdBy: actor.userId,
    createdAt: ctx.rt.clock.now(),
    lastUsedAt: null,
  };
  await ctx.rt.store.transaction(async (tx) => {
    await appInTx(tx, clientId, hasPublicKeys, KEYS_ONLY_M2M);
    const existing = await tx.publicKeys.list(clientId);
    if (existing.some((k) => k.fingerprint256 === key.fingerprint256)) throw new Conflict("This application already has this public key.");
    if (existing.length >= MAX_KEYS_PER_APP) throw new Conflict(`An application can have at most ${MAX_KEYS_PER_APP} public keys. Remove one you no longer use first.`);
    await tx.publicKeys.create(key);
    await audit(tx, ctx, {
      action: source === "generated" ? "oauth_key.generate" : "oauth_key.add",
      subjectType: "oauth_app",
      subjectId: clientId,
      details: { keyId: key.id, source, fingerprint256: key.fingerprint256, bits: key.bits, sub: key.createdBy, ...(key.certificate ? { notAfter: key.certificate.notAfter } : {}) },
    });
  });
  return toKeyView(key, actor.username);
}
