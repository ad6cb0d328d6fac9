/**
 * The X.509 rule of username + password REST calls: while certificate login is on, the call must
 * carry `apiCertificate`, one certificate whose SHA-256 fingerprint is an accepted one's. It runs
 * before the password is hashed, so an untrusted request costs no scrypt. Refusals are the
 * documented 500, are charged to the client address (beyond the limit the answer is 429), and are
 * audited once per address and window with the number of refusals the row stands for.
 */
import { UntrustedRequest } from "../../errors";
import { readPresentedCertificate, sameCertificate } from "../../domain/x509";
import { addressKey } from "../../security/rate-limiter";
import { audit, type ServiceContext } from "../context";
import { allowAttempt, chargeFailure } from "../auth/throttle";

export const UNTRUSTED_REQUEST = "Untrusted request. Please contact your system administrator and attach certificate.";

type Refusal = "missing" | "unreadable" | "unknown";

export async function requirePresentedCertificate(ctx: ServiceContext, apiCertificate: string | undefined): Promise<void> {
  const { store } = ctx.rt;
  if (!(await store.settings.get()).x509Enabled) return;
  const address = addressKey(ctx.meta.ip);
  await allowAttempt(ctx, "certificate.address", address);
  const refusal = await check(ctx, apiCertificate);
  if (refusal === null) return;
  chargeFailure(ctx, "certificate.address", address);
  const count = ctx.rt.limiter.noteInWindow("certificate.address", address);
  if (count > 0) {
    await store.transaction((tx) =>
      audit(tx, ctx, {
        action: "auth.login_refused_certificate",
        actorId: null,
        actorName: "anonymous",
        details: { reason: refusal, count },
      }),
    );
  }
  throw new UntrustedRequest(UNTRUSTED_REQUEST);
}

async function check(ctx: ServiceContext, value: string | undefined): Promise<Refusal | null> {
  if (value === undefined || value.trim() === "") return "missing";
  const presented = readPresentedCertificate(value);
  if (!presented) return "unreadable";
  const accepted = await ctx.rt.store.certificates.list();
  return accepted.some((c) => sameCertificate(presented, c)) ? null : "unknown";
}
