/**
 * The public key a client registers for the OAuth2 JWT flow: the certificate_pub.crt that
 * `openssl req -x509 -sha256 -nodes -newkey rsa:2048 -keyout private.key -out certificate_pub.crt`
 * writes, or a bare RSA public key. Only the key matters (the certificate is a wrapper, its dates are
 * shown, not enforced). Pure: no storage, no HTTP. Anything but exactly one usable RSA public key is
 * refused with a message that says what the file is instead; a private key is refused loudly.
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { createHash, createPublicKey, generateKeyPair, X509Certificate, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { Pkcs10CertificateRequest } from "@peculiar/x509";
import { InvalidRequest } from "../errors";
import { parseCertificateDer } from "./x509-details";
import { decodeStrictBase64, decodeUploadText, derSequenceLength, isPrivateKeyDer, scanPem } from "./x509-pem";

/** A certificate with an 8192-bit key is about 2.5 KiB; 64 KiB leaves room for openssl's text dumps around it. */
export const MAX_PUBLIC_KEY_BYTES = 64 * 1024;
const [MIN_BITS, MAX_BITS] = [2048, 8192];

export interface ParsedPublicKey {
  source: "certificate" | "public_key";
  /** The key as "-----BEGIN PUBLIC KEY-----" (SPKI) PEM, whatever form it was uploaded in. */
  spkiPem: string;
  /** SHA-256 of the SPKI DER as uppercase hex pairs joined by colons, like certificate fingerprints. */
  fingerprint256: string;
  /** RFC 7638 JWK SHA-256 thumbprint, base64url: a stable kid for the key. */
  thumbprint: string;
  bits: number;
  certificate: null | { subjectCommonName: string | null; notBefore: number; notAfter: number; fingerprint256: string };
}

const UPLOAD = "Upload only certificate_pub.crt or the public key; keep private.key secret.";
const SINGLE = "Upload a file with a single certificate or public key.";
const refuse = {
  empty: () => "The public key file is empty.",
  tooLarge: (size: number) => `This file is too large to be a public key or certificate (${size} bytes; the limit is ${MAX_PUBLIC_KEY_BYTES / 1024} KiB).`,
  privateKey: () => `This file contains a private key. ${UPLOAD}`,
  pkcs12: () => `This is a PKCS #12 (.p12/.pfx) file, which holds a private key. ${UPLOAD}`,
  request: () => "This file is a certificate signing request (CSR), not a certificate. Upload certificate_pub.crt or the public key.",
  several: (count: number) => `This file contains ${count} certificates or keys. ${SINGLE}`,
  bundle: () => `This file is a PKCS #7 certificate bundle. ${SINGLE}`,
  otherBlock: (label: string) => `This file contains a ${label} block, not a public key or certificate. ${UPLOAD}`,
  truncated: (label: string) => `This file is incomplete: it has a -----BEGIN ${label}----- line but no -----END ${label}----- line.`,
  extra: () => `This file holds more than one certificate or public key (base64 data outside the BEGIN/END lines, which may be a key). ${SINGLE}`,
  openssh: () => "This is an OpenSSH public key. Convert it with `ssh-keygen -e -m PKCS8 -f key.pub` and upload the -----BEGIN PUBLIC KEY----- output.",
  notRsa: (what: string, kind: string) => `This ${what} holds ${kind}. Only RSA keys are accepted, because the JWTs are signed with RS256.`,
  bits: (bits: number) => `This RSA key has ${bits} bits; keys must have between ${MIN_BITS} and ${MAX_BITS} bits. Generate a new one with rsa:2048.`,
  exponent: () => "This RSA key has an unusable public exponent. Generate a new key (openssl uses 65537).",
  unreadable: () =>
    "This is not a PEM public key or an X.509 certificate. Upload certificate_pub.crt (-----BEGIN CERTIFICATE-----) or an RSA public key (-----BEGIN PUBLIC KEY-----).",
};

const KEY_KINDS: Record<string, string> = { ec: "an EC (elliptic curve) key", ed25519: "an Ed25519 key", ed448: "an Ed448 key", dsa: "a DSA key", "rsa-pss": "an RSA-PSS key", dh: "a Diffie-Hellman key" };
/** Text around a PEM block that may carry key material: a long run of base64. */
const KEY_LIKE = /[A-Za-z0-9+/=]{64,}/;
const PEM_BLOCK = /-----BEGIN [^-\r\n]{1,64}-----[\s\S]*?-----END [^-\r\n]{1,64}-----/g;
/** Also PuTTY's .ppk, whose private half is under "Private-Lines:". */
const PRIVATE_WORDS = /private\s*key|private-lines/i;
const ACCEPTED_LABELS = new Set(["CERTIFICATE", "PUBLIC KEY", "RSA PUBLIC KEY"]);

/**
 * Throws InvalidRequest for anything but exactly one RSA public key (2048-8192 bits), bare or in one
 * X.509 certificate. fileName only sharpens one message: a .p12/.pfx bundle is named as such.
 */
export function readPublicKeyUpload(input: Uint8Array | string, fileName?: string): ParsedPublicKey {
  try {
    return read(input, fileName);
  } catch (e) {
    if (e instanceof InvalidRequest) throw e;
    throw new InvalidRequest(refuse.unreadable());
  }
}

function read(input: Uint8Array | string, fileName: string | undefined): ParsedPublicKey {
  // A JavaScript string has at least as many UTF-8 bytes as code units: refuse huge ones before encoding.
  const size = typeof input === "string" ? (input.length > MAX_PUBLIC_KEY_BYTES ? input.length : Buffer.byteLength(input)) : input.length;
  if (size > MAX_PUBLIC_KEY_BYTES) throw new InvalidRequest(refuse.tooLarge(size));
  if (fileName !== undefined && /\.(p12|pfx)\s*$/i.test(fileName)) throw new InvalidRequest(refuse.pkcs12());
  if (size === 0) throw new InvalidRequest(refuse.empty());
  // An exact DER structure first: binary fields could happen to contain "-----BEGIN" or "private key".
  if (typeof input !== "string" && derSequenceLength(input) === input.length) return fromDer(input);
  const text = typeof input === "string" ? input.replace(/^\uFEFF/, "") : decodeUploadText(input);
  // Before any structure check: a cut-off or oddly labelled key (in any case) is still an exposed key.
  if (PRIVATE_WORDS.test(text)) throw new InvalidRequest(refuse.privateKey());
  if (text.includes("-----BEGIN")) return fromPem(text);
  if (typeof input !== "string" && input[0] === 0x30) return fromDer(input);
  const trimmed = text.trim();
  if (trimmed === "") throw new InvalidRequest(refuse.empty());
  if (/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-|sk-)/.test(trimmed)) throw new InvalidRequest(refuse.openssh());
  // Base64 without the BEGIN/END lines (a pasted body) is read as the DER it encodes.
  const der = decodeStrictBase64(trimmed.replace(/\s+/g, ""));
  if (der && der[0] === 0x30) return fromDer(der);
  throw new InvalidRequest(refuse.unreadable());
}


function fromPem(text: string): ParsedPublicKey {
  const scan = scanPem(text);
  if (scan.kind === "truncated") throw new InvalidRequest(refuse.truncated(scan.label));
  if (scan.kind !== "blocks") throw new InvalidRequest(refuse.unreadable());
  // Short notes around the block (openssl's "subject=" lines) are fine; base64 outside it may be a bare key.
  if (KEY_LIKE.test(text.replace(PEM_BLOCK, ""))) throw new InvalidRequest(refuse.extra());
  const labels = scan.blocks.map((b) => b.label);
  if (labels.some((l) => l.endsWith("CERTIFICATE REQUEST"))) throw new InvalidRequest(refuse.request());
  if (labels.some((l) => l === "PKCS7" || l === "CMS")) throw new InvalidRequest(refuse.bundle());
  const other = labels.find((l) => !ACCEPTED_LABELS.has(l));
  if (other !== undefined) throw new InvalidRequest(refuse.otherBlock(other));
  // Several blocks are refused rather than reduced to the first: guessing which one signs the JWTs
  // could silently register a CA's key, and every token request would then fail.
  if (scan.blocks.length > 1) throw new InvalidRequest(refuse.several(scan.blocks.length));
  const block = scan.blocks[0]!;
  const der = decodeStrictBase64(block.body.replace(/\s+/g, ""));
  if (!der) throw new InvalidRequest(refuse.unreadable());
  const certificate = block.label === "CERTIFICATE" ? fromCertificateDer(der) : null;
  if (certificate) return certificate;
  if (isPrivateKeyDer(der)) throw new InvalidRequest(refuse.privateKey());
  const key = block.label === "CERTIFICATE" ? null : tryPublicKeyDer(der, block.label === "PUBLIC KEY" ? "spki" : "pkcs1");
  if (!key) throw new InvalidRequest(refuse.unreadable());
  return describeKey(key, "public_key", null);
}

function fromDer(der: Uint8Array): ParsedPublicKey {
  const certificate = fromCertificateDer(der);
  if (certificate) return certificate;
  const pieces = derPieces(der);
  if (pieces.some((piece) => isPkcs12Der(piece) || isPrivateKeyDer(piece)) || isPrivateKeyDer(der)) throw new InvalidRequest(refuse.privateKey());
  if (pieces.length > 1) throw new InvalidRequest(refuse.several(pieces.length));
  if (attempt(() => new Pkcs10CertificateRequest(new Uint8Array(der)))) throw new InvalidRequest(refuse.request());
  const key = tryPublicKeyDer(der, "spki") ?? tryPublicKeyDer(der, "pkcs1");
  if (key) return describeKey(key, "public_key", null);
  throw new InvalidRequest(refuse.unreadable());
}

function fromCertificateDer(der: Uint8Array): ParsedPublicKey | null {
  const parsed = parseCertificateDer(der);
  if (!parsed) return null;
  const { details } = parsed;
  return describeKey(new X509Certificate(parsed.der).publicKey, "certificate", {
    subjectCommonName: details.subjectCommonName,
    notBefore: Date.parse(details.notBefore),
    notAfter: Date.parse(details.notAfter),
    fingerprint256: parsed.fingerprint256,
  });
}

function describeKey(key: KeyObject, source: ParsedPublicKey["source"], certificate: ParsedPublicKey["certificate"]): ParsedPublicKey {
  const type = key.asymmetricKeyType ?? "unknown";
  if (type !== "rsa") throw new InvalidRequest(refuse.notRsa(source === "certificate" ? "certificate" : "file", KEY_KINDS[type] ?? "a key of another type"));
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_BITS || bits > MAX_BITS) throw new InvalidRequest(refuse.bits(bits));
  // An exponent of 1 makes every message its own signature; an even one is not RSA.
  const e = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (e < 3n || e % 2n === 0n) throw new InvalidRequest(refuse.exponent());
  const spkiDer = key.export({ format: "der", type: "spki" });
  return {
    source,
    spkiPem: key.export({ format: "pem", type: "spki" }).toString(),
    fingerprint256: (createHash("sha256").update(spkiDer).digest("hex").toUpperCase().match(/../g) ?? []).join(":"),
    thumbprint: rsaThumbprint(key),
    bits,
    certificate,
  };
}

/** RFC 7638: SHA-256 of the required members in lexicographic order, without whitespace. Synchronous, unlike jose's. */
function rsaThumbprint(key: KeyObject): string {
  const { e, n } = key.export({ format: "jwk" });
  return createHash("sha256").update(JSON.stringify({ e, kty: "RSA", n })).digest("base64url");
}

/** The DER structures concatenated back to back, or none when the bytes are not only that. */
function derPieces(der: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < der.length; ) {
    const length = derSequenceLength(der, offset);
    if (length === null) return [];
    pieces.push(der.subarray(offset, offset + length));
    offset += length;
  }
  return pieces;
}


/** PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, ... } } (RFC 7292). */
function isPkcs12Der(der: Uint8Array): boolean {
  const header = der[1] !== undefined && der[1] >= 0x80 ? 2 + (der[1] & 0x7f) : 2;
  const start = Buffer.from(der.subarray(header, header + 30));
  return start.subarray(0, 3).equals(Buffer.from([0x02, 0x01, 0x03])) && start.includes(Buffer.from("06092a864886f70d010701", "hex"));
}

/** Exactly one public key structure: OpenSSL would ignore bytes after it. */
function tryPublicKeyDer(der: Uint8Array, type: "spki" | "pkcs1"): KeyObject | null {
  return derSequenceLength(der) === der.length ? attempt(() => createPublicKey({ key: Buffer.from(der), format: "der", type })) : null;
}

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** A freshly generated RSA 2048 key pair for clients without openssl: PKCS #8 private key, parsed public key. */
export async function generateRsaKeyPair(): Promise<{ privateKeyPem: string; publicKey: ParsedPublicKey }> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)("rsa", {
    modulusLength: 2048,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { privateKeyPem: privateKey, publicKey: readPublicKeyUpload(publicKey) };
}

const MAX_MEMO = 1_000;
const memo = new Map<string, KeyObject>();

/**
 * The KeyObject for a stored SPKI PEM, memoised so token requests do not re-import the key each time
 * (jose also caches its CryptoKey conversion per KeyObject). Cleared when full: simple and bounded.
 */
export function publicKeyObject(spkiPem: string): KeyObject {
  const known = memo.get(spkiPem);
  if (known) return known;
  // createPublicKey would quietly derive the public half of a private key: only SPKI PEM gets in.
  if (!spkiPem.trimStart().startsWith("-----BEGIN PUBLIC KEY-----")) throw new TypeError("Expected an SPKI public key PEM.");
  const key = createPublicKey({ key: spkiPem, format: "pem" });
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(spkiPem, key);
  return key;
}
