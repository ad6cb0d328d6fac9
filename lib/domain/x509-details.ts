/**
 * What an uploaded or presented certificate says about itself: the fields "View details" shows and the
 * fingerprint the login check compares. Both parsers must accept the bytes: node's (OpenSSL, strict
 * DER, the fingerprint) and @peculiar/x509 (the names and dates as structured values; node only offers
 * the subject as escaped, newline-separated text).
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { X509Certificate as NodeCertificate } from "node:crypto";
import { X509Certificate as PeculiarCertificate, type Name } from "@peculiar/x509";
import { derSequenceLength, toCertificatePem } from "./x509-pem";

export interface CertificateDetails {
  /** Each name field is null when the certificate has no such attribute; several are joined with ", ". */
  subjectCommonName: string | null;
  subjectOrganization: string | null;
  subjectOrganizationalUnit: string | null;
  issuerCommonName: string | null;
  issuerOrganization: string | null;
  issuerOrganizationalUnit: string | null;
  /** Uppercase hex, two digits per byte, without DER's sign-padding 00 byte: 0x80 is "80", 0x0102 is "0102". */
  serialNumber: string;
  /** ISO 8601 UTC, e.g. "2026-01-02T03:04:05.000Z". */
  notBefore: string;
  notAfter: string;
  fingerprint256: string;
}

export interface ParsedCertificate {
  der: Uint8Array;
  /** Normalised PEM: 64-character lines, LF, final newline. */
  pem: string;
  /** SHA-256 of the DER as uppercase hex pairs joined by colons, as node's X509Certificate prints it. */
  fingerprint256: string;
  details: CertificateDetails;
}

/** Reads exactly one DER certificate, or null when the bytes are anything else (including trailing data). */
export function parseCertificateDer(input: Uint8Array): ParsedCertificate | null {
  if (derSequenceLength(input) !== input.length) return null;
  const der = new Uint8Array(input);
  let node: NodeCertificate;
  let peculiar: PeculiarCertificate;
  try {
    node = new NodeCertificate(der);
    // node also accepts PEM text and stops at the end of the first certificate: insist that what it
    // read is these exact bytes.
    if (!node.raw.equals(der)) return null;
    peculiar = new PeculiarCertificate(der);
  } catch {
    return null;
  }
  const notBefore = isoDate(peculiar.notBefore);
  const notAfter = isoDate(peculiar.notAfter);
  if (notBefore === null || notAfter === null) return null;
  const fingerprint256 = node.fingerprint256;
  return {
    der,
    pem: toCertificatePem(der),
    fingerprint256,
    details: {
      subjectCommonName: attribute(peculiar.subjectName, "CN"),
      subjectOrganization: attribute(peculiar.subjectName, "O"),
      subjectOrganizationalUnit: attribute(peculiar.subjectName, "OU"),
      issuerCommonName: attribute(peculiar.issuerName, "CN"),
      issuerOrganization: attribute(peculiar.issuerName, "O"),
      issuerOrganizationalUnit: attribute(peculiar.issuerName, "OU"),
      serialNumber: formatSerialNumber(node.serialNumber),
      notBefore,
      notAfter,
      fingerprint256,
    },
  };
}

/**
 * Every value of one attribute in certificate order, across RDNs (`OU=a, OU=b`) and inside
 * multi-valued RDNs (`OU=a+OU=b`), joined with ", ". Values are the decoded strings (UTF-8, BMP,
 * printable...), unescaped.
 */
function attribute(name: Name, type: "CN" | "O" | "OU"): string | null {
  const values = name
    .toJSON()
    .flatMap((rdn) => rdn[type] ?? [])
    .filter((v) => v !== "");
  return values.length ? values.join(", ") : null;
}

/**
 * node prints the serial as OpenSSL's BN_bn2hex: uppercase, two digits per byte, no padding byte,
 * except that zero is "0" and a (non-conforming) negative serial starts with "-". Pad to whole bytes so
 * zero reads "00"; the sign is kept so a negative serial never looks like a positive one.
 */
export function formatSerialNumber(nodeSerial: string): string {
  const negative = nodeSerial.startsWith("-");
  const digits = (negative ? nodeSerial.slice(1) : nodeSerial).toUpperCase();
  const padded = digits.length % 2 ? `0${digits}` : digits;
  return negative ? `-${padded}` : padded;
}

function isoDate(d: Date): string | null {
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}
