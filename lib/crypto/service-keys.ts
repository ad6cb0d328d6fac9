/**
 * A key pair and self-signed certificate for a service credential, the bundle the vendor's console
 * hands out: an RSA 2048 private key in PKCS #1 PEM and the certificate that carries its public half.
 * Pure: nothing is stored or logged here; the private key exists only in the returned object.
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { createHash, generateKeyPair, randomBytes, webcrypto, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  X509CertificateGenerator,
  type JsonAttributeAndObjectValue,
} from "@peculiar/x509";

export interface GeneratedServiceKey {
  /** RSA 2048 private key, PKCS #1 PEM ("-----BEGIN RSA PRIVATE KEY-----"), as the vendor's bundle shows it. */
  privateKeyPem: string;
  /** The matching self-signed X.509 certificate ("-----BEGIN CERTIFICATE-----"). */
  certificatePem: string;
  /** The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----"). */
  spkiPem: string;
  /** SHA-256 of the certificate DER, lowercase hex without separators. */
  fingerprint256: string;
  /** Lowercase hex of the serial's 16 content octets. */
  serialNumber: string;
  /** ms since epoch, whole seconds (X.509 times have no fractions). */
  notBefore: number;
  /** ms since epoch. */
  notAfter: number;
}

export interface ServiceKeyOptions {
  commonName: string;
  organization?: string;
  /** ms since epoch; truncated to whole seconds. */
  now: number;
  /** Default 365. */
  validDays?: number;
}

const DAY = 86_400_000;
export const DEFAULT_VALID_DAYS = 365;
export const MAX_VALID_DAYS = 3650;
/** X.520 ub-common-name and ub-organization-name are 64. */
const MAX_NAME_CHARS = 64;
/**
 * Plain names only. The name is also built from structured RDNs (never parsed from a string), so this
 * is not what stops RDN injection; it keeps names that viewers render differently (quotes, `#` hex
 * values, escapes, control characters) out of certificates entirely.
 */
const NAME_CHARS = /^[A-Za-z0-9._@-](?:[A-Za-z0-9 ._@-]*[A-Za-z0-9._@-])?$/;

const generateRsa = promisify(generateKeyPair);
const crypto = webcrypto as unknown as Crypto;
const SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

function checkName(label: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NAME_CHARS || !NAME_CHARS.test(value)) {
    throw new Error(
      `The ${label} must be 1-${MAX_NAME_CHARS} characters of letters, digits, spaces and . _ @ -, without leading or trailing spaces.`,
    );
  }
  return value;
}

/**
 * One attribute per RDN, as UTF8String (RFC 5280 4.1.2.6). An object value, unlike a string, is taken
 * literally by @peculiar/x509: no quote, backslash or leading-`#` processing.
 */
function certificateName(commonName: string, organization: string | undefined): Name {
  const rdns: JsonAttributeAndObjectValue[] = [{ CN: [{ utf8String: commonName }] }];
  if (organization !== undefined) rdns.push({ O: [{ utf8String: organization }] });
  return new Name(rdns);
}

/** 16 random octets with the top bit clear (a positive INTEGER) and a non-zero first octet (DER keeps all 16). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) || 0x01;
  return bytes.toString("hex");
}

async function importForSigning(privateKey: KeyObject): Promise<CryptoKey> {
  const der = privateKey.export({ format: "der", type: "pkcs8" });
  // Not extractable: the CryptoKey only signs this one certificate.
  return crypto.subtle.importKey("pkcs8", der, SIGNING, false, ["sign"]);
}

export async function generateServiceKey(opts: ServiceKeyOptions): Promise<GeneratedServiceKey> {
  const commonName = checkName("common name", opts.commonName);
  const organization = opts.organization === undefined ? undefined : checkName("organization", opts.organization);
  const validDays = opts.validDays ?? DEFAULT_VALID_DAYS;
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALID_DAYS) {
    throw new Error(`validDays must be a whole number of days from 1 to ${MAX_VALID_DAYS}.`);
  }
  if (!Number.isFinite(opts.now) || opts.now < 0) throw new Error("now must be a time in ms since the epoch.");
  const notBefore = Math.floor(opts.now / 1000) * 1000;
  const notAfter = notBefore + validDays * DAY;

  const { publicKey, privateKey } = await generateRsa("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const spkiDer = publicKey.export({ format: "der", type: "spki" });
  const name = certificateName(commonName, organization);
  const certificate = await X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: name,
      issuer: name,
      notBefore: new Date(notBefore),
      notAfter: new Date(notAfter),
      signingAlgorithm: SIGNING,
      publicKey: await crypto.subtle.importKey("spki", spkiDer, SIGNING, true, ["verify"]),
      signingKey: await importForSigning(privateKey),
      extensions: [new BasicConstraintsExtension(false, undefined, true), new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true)],
    },
    crypto,
  );

  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    certificatePem: certificate.toString("pem"),
    spkiPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    fingerprint256: createHash("sha256").update(new Uint8Array(certificate.rawData)).digest("hex"),
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore,
    notAfter,
  };
}
