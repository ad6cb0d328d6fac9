/**
 * Removing an API login certificate. Removing the current one while a next one exists promotes the
 * next one (the rotation's last step); the last certificate cannot go while certificate login is on,
 * since every username + password API call would then be refused.
 */
import { InvalidRequest, NotFound } from "../../errors";
import type { CertificateSlot } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";
import { requireSlot } from "./upload";

export const LAST_CERTIFICATE_WHILE_ENABLED = "Turn off X.509 certificate login before removing its last certificate.";

export async function removeCertificate(ctx: ServiceContext, slot: CertificateSlot): Promise<void> {
  requireAdmin(ctx);
  requireSlot(slot);
  await ctx.rt.store.transaction(async (tx) => {
    const stored = await tx.certificates.list();
    const removed = stored.find((c) => c.slot === slot);
    if (!removed) throw new NotFound(`There is no ${slot} certificate.`);
    const settings = await tx.settings.get();
    if (stored.length === 1 && settings.x509Enabled) throw new InvalidRequest(LAST_CERTIFICATE_WHILE_ENABLED);
    const next = stored.find((c) => c.slot === "next");
    await tx.certificates.delete(slot);
    const promote = slot === "current" && next !== undefined;
    if (promote) {
      await tx.certificates.delete("next");
      await tx.certificates.put({ ...next, slot: "current" });
    }
    await audit(tx, ctx, {
      action: "x509.remove",
      subjectType: "certificate",
      subjectId: slot,
      details: {
        fileName: removed.fileName,
        fingerprint256: removed.fingerprint256,
        ...(promote ? { promotedFingerprint256: next.fingerprint256 } : {}),
      },
    });
  });
}
