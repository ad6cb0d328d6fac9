/**
 * X.509-restricted API login: the certificate an administrator uploads, the one a client presents at
 * /login, whether they match, and when the uploaded one needs replacing. Pure: no storage, no HTTP.
 */
import { timingSafeEqual } from "node:crypto";
import type { ParsedCertificate } from "./x509-details";

export type { CertificateDetails, ParsedCertificate } from "./x509-details";
export { CERTIFICATE_FILE_EXTENSIONS, MAX_CERTIFICATE_BYTES, hasCertificateExtension, readCertificateUpload } from "./x509-upload";
export { MAX_PRESENTED_CERTIFICATE_CHARS, readPresentedCertificate } from "./x509-presented";

export const EXPIRY_WARNING_DAYS = 30;
const DAY = 86_400_000;

export type ExpiryStatus = "expired" | "expires_soon" | "valid";

/**
 * notAfter is inclusive (RFC 5280), so the certificate is still valid at that instant. An unreadable
 * date counts as expired: a warning too many beats a silently dead login.
 */
export function expiryStatus(notAfterIso: string, now: number): ExpiryStatus {
  const at = Date.parse(notAfterIso);
  if (!Number.isFinite(at) || now > at) return "expired";
  return at - now <= EXPIRY_WARNING_DAYS * DAY ? "expires_soon" : "valid";
}

/** The warning banner's sentence, or null while no warning is due. Dates are UTC calendar days. */
export function describeExpiry(notAfterIso: string, now: number): string | null {
  const status = expiryStatus(notAfterIso, now);
  if (status === "valid") return null;
  const at = Date.parse(notAfterIso);
  if (!Number.isFinite(at)) return "The API login certificate has no readable expiry date; upload it again.";
  const day = new Date(at).toISOString().slice(0, 10);
  if (status === "expired") return `The API login certificate expired on ${day}.`;
  const days = Math.floor((at - now) / DAY);
  const within = days === 0 ? "in less than a day" : days === 1 ? "in 1 day" : `in ${days} days`;
  return `The API login certificate expires ${within}, on ${day}.`;
}

/**
 * Whether a presented certificate is the uploaded one. Fingerprints are compared in constant time as
 * defence in depth (a certificate is public, but the comparison sits on the login path). Stored
 * fingerprints may be written with or without colons, in either case; anything that is not a SHA-256
 * fingerprint never matches.
 */
export function sameCertificate(a: Pick<ParsedCertificate, "fingerprint256">, b: { fingerprint256: string }): boolean {
  const x = fingerprintBytes(a.fingerprint256);
  const y = fingerprintBytes(b.fingerprint256);
  return x !== null && y !== null && x.length === y.length && timingSafeEqual(x, y);
}

function fingerprintBytes(fingerprint: string): Buffer | null {
  const hex = fingerprint.replace(/:/g, "");
  return /^[0-9A-Fa-f]{64}$/.test(hex) ? Buffer.from(hex, "hex") : null;
}
