/** What the certificate components are handed about one uploaded certificate (never its bytes). */
import type { CertificateDetails } from "@/lib/domain/x509";

export type CertificateSlot = "current" | "next";
export type CertificateExpiry = "expired" | "expires_soon" | "valid";

export interface CertificateView {
  slot: CertificateSlot;
  fileName: string;
  details: CertificateDetails;
  uploadedAt: number;
  uploadedBy: string | null;
  expiry: CertificateExpiry;
  expiryWarning: string | null;
}

export interface CertificateSettingsView {
  enabled: boolean;
  current: CertificateView | null;
  next: CertificateView | null;
}

export const SLOT_LABEL: Record<CertificateSlot, string> = { current: "Current certificate", next: "Next certificate" };

/** Certificates whose expiry needs attention, current first. */
export function certificatesNeedingAttention(s: Pick<CertificateSettingsView, "current" | "next">): CertificateView[] {
  return [s.current, s.next].filter((c): c is CertificateView => c !== null && c.expiryWarning !== null);
}
