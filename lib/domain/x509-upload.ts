/**
 * Reading a certificate file an administrator uploads: one PEM or DER X.509 certificate. Anything else
 * is refused with a message that says what the file is instead, so the administrator knows what to
 * fetch from their certificate authority; a private key is refused loudly, since it must never leave
 * the client.
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { createPublicKey } from "node:crypto";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { InvalidRequest } from "../errors";
import { parseCertificateDer, type ParsedCertificate } from "./x509-details";
import { decodeStrictBase64, decodeUploadText, derSequenceLength, isPrivateKeyDer, scanPem, type PemBlock } from "./x509-pem";

/** Client certificates are 1-3 KiB; 16 KiB leaves room for long names and many extensions. */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;
export const CERTIFICATE_FILE_EXTENSIONS = [".crt", ".cer", ".pem"] as const;

const SINGLE = "Upload only the client certificate, as a single PEM or DER certificate.";
const refuse = {
  extension: () => `Certificate files must end in ${CERTIFICATE_FILE_EXTENSIONS.slice(0, -1).join(", ")} or ${CERTIFICATE_FILE_EXTENSIONS.at(-1)}.`,
  empty: () => "The certificate file is empty.",
  tooLarge: (size: number) => `This file is too large to be a certificate (${size} bytes; the limit is ${MAX_CERTIFICATE_BYTES / 1024} KiB).`,
  privateKey: () =>
    "This file contains a private key. A private key must never be uploaded or shared: keep it on the client and upload only its certificate (the -----BEGIN CERTIFICATE----- part).",
  request: () =>
    "This file is a certificate signing request (CSR), not a certificate. Send it to your certificate authority and upload the certificate it issues.",
  publicKey: () => "This file contains a public key, not a certificate. Upload the X.509 certificate (-----BEGIN CERTIFICATE-----).",
  bundle: () => `This file is a PKCS #7 certificate bundle. ${SINGLE}`,
  chain: (count: number) => `This file contains ${count} certificates (a certificate chain). ${SINGLE}`,
  otherBlock: (label: string) => `This file contains a ${label} block, not a certificate. Upload the X.509 certificate (-----BEGIN CERTIFICATE-----).`,
  truncated: (label: string) => `This file is incomplete: it has a -----BEGIN ${label}----- line but no -----END ${label}----- line.`,
  base64: () => "The certificate in this file is not valid base64; the file may be damaged or cut off.",
  unreadable: () => "This file does not contain a readable X.509 certificate. Upload a PEM or DER certificate file.",
  extra: () =>
    "This file holds more than the certificate (base64 data outside the BEGIN/END CERTIFICATE lines, which may be a key). Upload a file with only the certificate.",
};

/** Text around a PEM block that may carry key material: a long run of base64, or the words "private key". */
const KEY_LIKE = /private\s*key|[A-Za-z0-9+/=]{64,}/i;
const PEM_BLOCK = /-----BEGIN [^-\r\n]{1,64}-----[\s\S]*?-----END [^-\r\n]{1,64}-----/g;

/** Throws InvalidRequest for anything but exactly one readable certificate. */
export function readCertificateUpload(bytes: Uint8Array, fileName?: string): ParsedCertificate {
  if (fileName !== undefined && !hasCertificateExtension(fileName)) throw new InvalidRequest(refuse.extension());
  if (bytes.length === 0) throw new InvalidRequest(refuse.empty());
  if (bytes.length > MAX_CERTIFICATE_BYTES) throw new InvalidRequest(refuse.tooLarge(bytes.length));
  // An exact DER certificate first: its binary fields could happen to contain "-----BEGIN".
  if (derSequenceLength(bytes) === bytes.length) return fromDer(bytes);
  // The raw bytes too: a key in another encoding than the rest of the file is still a key.
  if (/private\s*key/i.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"))) {
    throw new InvalidRequest(refuse.privateKey());
  }
  const text = decodeUploadText(bytes);
  if (text.includes("-----BEGIN")) return fromPem(text);
  if (bytes[0] === 0x30) return fromDer(bytes);
  const compact = text.replace(/\s+/g, "");
  if (compact === "") throw new InvalidRequest(refuse.empty());
  // Base64 without the BEGIN/END lines (a pasted certificate body) is read as the DER it encodes.
  const der = decodeStrictBase64(compact);
  if (der && der[0] === 0x30) return fromDer(der);
  throw new InvalidRequest(refuse.unreadable());
}

export function hasCertificateExtension(fileName: string): boolean {
  const base = fileName.trim().split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  return dot > 0 && (CERTIFICATE_FILE_EXTENSIONS as readonly string[]).includes(base.slice(dot).toLowerCase());
}


function fromPem(text: string): ParsedCertificate {
  // Before any structure check: a cut-off or oddly labelled key (in any case) is still a key that was exposed.
  if (/private\s*key/i.test(text)) throw new InvalidRequest(refuse.privateKey());
  const scan = scanPem(text);
  if (scan.kind === "truncated") throw new InvalidRequest(refuse.truncated(scan.label));
  // Short notes around the block (openssl's "subject=" lines) are fine; base64 outside it may be a bare key.
  if (KEY_LIKE.test(text.replace(PEM_BLOCK, ""))) throw new InvalidRequest(refuse.extra());
  if (scan.kind !== "blocks") throw new InvalidRequest(refuse.unreadable());
  const labels = scan.blocks.map((b) => b.label);
  if (labels.some((l) => l.endsWith("CERTIFICATE REQUEST"))) throw new InvalidRequest(refuse.request());
  if (labels.some((l) => l.endsWith("PUBLIC KEY"))) throw new InvalidRequest(refuse.publicKey());
  if (labels.some((l) => l === "PKCS7" || l === "CMS")) throw new InvalidRequest(refuse.bundle());
  const other = labels.find((l) => l !== "CERTIFICATE");
  if (other !== undefined) throw new InvalidRequest(refuse.otherBlock(other));
  // A chain is refused rather than reduced to its first certificate: guessing which certificate is the
  // client's could silently pin the CA or an intermediate, and every login would then fail.
  const [only, ...rest] = scan.blocks as [PemBlock, ...PemBlock[]];
  if (rest.length) throw new InvalidRequest(refuse.chain(scan.blocks.length));
  const der = decodeStrictBase64(only.body.replace(/\s+/g, ""));
  if (!der) throw new InvalidRequest(refuse.base64());
  const cert = parseCertificateDer(der);
  if (!cert) throw new InvalidRequest(refuse.unreadable());
  return cert;
}

function fromDer(der: Uint8Array): ParsedCertificate {
  const cert = parseCertificateDer(der);
  if (cert) return cert;
  const count = derCertificateCount(der);
  if (count > 1) throw new InvalidRequest(refuse.chain(count));
  if (isPrivateKeyDer(der)) throw new InvalidRequest(refuse.privateKey());
  if (isRequestDer(der)) throw new InvalidRequest(refuse.request());
  if (isPublicKeyDer(der)) throw new InvalidRequest(refuse.publicKey());
  throw new InvalidRequest(refuse.unreadable());
}

/** How many certificates are concatenated back to back, or 0 when the bytes are not only certificates. */
function derCertificateCount(der: Uint8Array): number {
  let count = 0;
  for (let offset = 0; offset < der.length; count++) {
    const length = derSequenceLength(der, offset);
    if (length === null || !parseCertificateDer(der.subarray(offset, offset + length))) return 0;
    offset += length;
  }
  return count;
}


function isRequestDer(der: Uint8Array): boolean {
  try {
    new Pkcs10CertificateRequest(new Uint8Array(der));
    return true;
  } catch {
    return false;
  }
}

function isPublicKeyDer(der: Uint8Array): boolean {
  try {
    createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" });
    return true;
  } catch {
    return false;
  }
}
