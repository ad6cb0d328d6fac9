/**
 * Customer Info > API Key Settings, X.509 certificate: whether certificate login is on and the
 * certificates it accepts, with their expiry computed from the runtime clock. Never the bytes.
 */
import { describeExpiry, expiryStatus, type CertificateDetails, type ExpiryStatus } from "../../domain/x509";
import type { CertificateSlot, StoredCertificate } from "../../storage/types";
import { requireAdmin, type ServiceContext } from "../context";

export interface ApiCertificate {
  slot: CertificateSlot;
  fileName: string;
  fingerprint256: string;
  details: CertificateDetails;
  uploadedAt: number;
  uploadedBy: string | null;
  expiry: ExpiryStatus;
  expiryWarning: string | null;
}

export interface CertificateSettings {
  enabled: boolean;
  current: ApiCertificate | null;
  next: ApiCertificate | null;
}

export function toApiCertificate(c: StoredCertificate, now: number): ApiCertificate {
  return {
    slot: c.slot,
    fileName: c.fileName,
    fingerprint256: c.fingerprint256,
    details: { ...c.details },
    uploadedAt: c.uploadedAt,
    uploadedBy: c.uploadedBy,
    expiry: expiryStatus(c.details.notAfter, now),
    expiryWarning: describeExpiry(c.details.notAfter, now),
  };
}

export async function getCertificateSettings(ctx: ServiceContext): Promise<CertificateSettings> {
  requireAdmin(ctx);
  const { store, clock } = ctx.rt;
  const [settings, stored] = await Promise.all([store.settings.get(), store.certificates.list()]);
  const now = clock.now();
  const inSlot = (slot: CertificateSlot) => {
    const c = stored.find((s) => s.slot === slot);
    return c ? toApiCertificate(c, now) : null;
  };
  return { enabled: settings.x509Enabled, current: inSlot("current"), next: inSlot("next") };
}
