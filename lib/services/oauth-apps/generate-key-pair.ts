/**
 * Generate public/private key pair: RSA 2048 made here, the public half kept as one of the app's
 * keys and the private half returned once for download. It is never stored or logged.
 */
import { generateRsaKeyPair } from "../../domain/public-key";
import { requireAdmin, type ServiceContext } from "../context";
import { storePublicKey } from "./add-public-key";
import type { PublicKeyView } from "./view";

export async function generateKeyPair(ctx: ServiceContext, clientId: string): Promise<{ privateKeyPem: string; key: PublicKeyView }> {
  requireAdmin(ctx);
  const pair = await generateRsaKeyPair();
  const key = await storePublicKey(ctx, clientId, pair.publicKey, "generated");
  return { privateKeyPem: pair.privateKeyPem, key };
}
