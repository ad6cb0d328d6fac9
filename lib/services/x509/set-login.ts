/**
 * Turning X.509 certificate login on or off. While on, every username + password REST call must
 * present an accepted certificate (see require-certificate.ts). The setting lives in the instance
 * settings row, so every process on the database sees a change from its next request. Turning it on
 * ends every REST session in the same transaction: they were all obtained without a certificate.
 */
import { InvalidRequest } from "../../errors";
import { audit, requireAdmin, type ServiceContext } from "../context";

export const ENABLE_NEEDS_CERTIFICATE = "Upload a certificate before turning on X.509 certificate login.";

export async function setCertificateLogin(ctx: ServiceContext, enabled: boolean): Promise<void> {
  requireAdmin(ctx);
  if (typeof enabled !== "boolean") throw new InvalidRequest("X.509 certificate login must be on or off.");
  const { store, clock } = ctx.rt;
  await store.transaction(async (tx) => {
    const before = await tx.settings.get();
    if (before.x509Enabled === enabled) return;
    const stored = await tx.certificates.list();
    if (enabled && !stored.some((c) => c.slot === "current")) throw new InvalidRequest(ENABLE_NEEDS_CERTIFICATE);
    await tx.settings.update({ x509Enabled: enabled, updatedAt: clock.now() });
    const endedSessions = enabled ? await tx.sessions.deleteAll() : 0;
    await audit(tx, ctx, {
      action: enabled ? "x509.enable" : "x509.disable",
      subjectType: "customer",
      details: {
        x509Enabled: { from: before.x509Enabled, to: enabled },
        certificates: stored.map((c) => c.fingerprint256),
        ...(enabled ? { endedSessions } : {}),
      },
    });
  });
}
