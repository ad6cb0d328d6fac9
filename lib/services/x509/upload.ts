/**
 * Uploading the API login certificate: the first or a replacement "current" one, or the "next" one
 * of a rotation, accepted beside the current one until either is removed. The file is read (and a
 * key, request, chain or anything unreadable refused) before the transaction.
 */
import { InvalidRequest } from "../../errors";
import { readCertificateUpload } from "../../domain/x509";
import type { CertificateSlot, StoredCertificate } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { toApiCertificate, type ApiCertificate } from "./get";

export const NEXT_NEEDS_CURRENT = "Upload the current certificate first.";
export const SLOTS: readonly CertificateSlot[] = ["current", "next"];

export function requireSlot(slot: unknown): CertificateSlot {
  if (!SLOTS.includes(slot as CertificateSlot)) throw new InvalidRequest('The certificate slot must be "current" or "next".');
  return slot as CertificateSlot;
}

/** The file's own name, without any folder a browser may have sent, for display. */
function displayName(fileName: string): string {
  return (fileName.trim().split(/[\\/]/).pop() ?? "").slice(0, 255);
}

export async function uploadCertificate(
  ctx: ServiceContext,
  input: { slot: CertificateSlot; fileName: string; bytes: Uint8Array },
): Promise<ApiCertificate> {
  const actor = requireAdmin(ctx);
  const slot = requireSlot(input.slot);
  const parsed = readCertificateUpload(input.bytes, input.fileName);
  const { store, clock } = ctx.rt;
  return store.transaction(async (tx) => {
    const stored = await tx.certificates.list();
    const current = stored.find((c) => c.slot === "current");
    const other = stored.find((c) => c.slot !== slot);
    const replaced = stored.find((c) => c.slot === slot);
    if (slot === "next" && !current) throw new InvalidRequest(NEXT_NEEDS_CURRENT);
    if (other && other.fingerprint256 === parsed.fingerprint256) {
      throw new InvalidRequest(`This certificate is already the ${other.slot} certificate. Upload a different certificate.`);
    }
    const cert: StoredCertificate = {
      slot,
      fileName: displayName(input.fileName),
      der: parsed.der,
      fingerprint256: parsed.fingerprint256,
      details: parsed.details,
      uploadedBy: actor.username,
      uploadedAt: clock.now(),
    };
    await tx.certificates.put(cert);
    await audit(tx, ctx, {
      action: slot === "next" ? "x509.add_next" : replaced ? "x509.replace" : "x509.upload",
      subjectType: "certificate",
      subjectId: slot,
      details: {
        fileName: cert.fileName,
        fingerprint256: cert.fingerprint256,
        subjectCommonName: cert.details.subjectCommonName,
        notAfter: cert.details.notAfter,
        ...(replaced ? { replacedFingerprint256: replaced.fingerprint256 } : {}),
      },
    });
    return toApiCertificate(cert, clock.now());
  });
}
