/**
 * Text and byte framing of certificates and keys: PEM blocks, strict base64, the outer DER length,
 * an upload's text, and telling a private key apart. No certificate semantics here; x509-details.ts
 * reads the contents.
 */
import { createPrivateKey } from "node:crypto";

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE", "PRIVATE KEY". */
  label: string;
  body: string;
}

export type PemScan =
  | { kind: "none" }
  | { kind: "blocks"; blocks: PemBlock[] }
  /** A BEGIN line without its END line (a cut-off paste or download). */
  | { kind: "truncated"; label: string }
  /** A BEGIN line whose label is not a PEM label. */
  | { kind: "malformed" };

const BEGIN = "-----BEGIN ";
const DASHES = "-----";
const LABEL = /^[A-Z0-9][A-Z0-9 ]{0,62}$/;

/**
 * Finds every `-----BEGIN X-----` ... `-----END X-----` block, ignoring text around them. A linear
 * scan with indexOf rather than a backtracking regular expression, because presented values come
 * straight from unauthenticated login requests.
 */
export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = [];
  let from = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, from);
    if (begin < 0) break;
    const labelStart = begin + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    if (labelEnd < 0 || labelEnd - labelStart > 64) return { kind: "malformed" };
    const label = text.slice(labelStart, labelEnd);
    if (!LABEL.test(label)) return { kind: "malformed" };
    const bodyStart = labelEnd + DASHES.length;
    const endLine = `-----END ${label}-----`;
    const end = text.indexOf(endLine, bodyStart);
    if (end < 0) return { kind: "truncated", label };
    blocks.push({ label, body: text.slice(bodyStart, end) });
    from = end + endLine.length;
  }
  return blocks.length ? { kind: "blocks", blocks } : { kind: "none" };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes base64 that contains nothing but the alphabet and correct padding. Buffer.from(…, "base64")
 * silently skips foreign characters and accepts missing padding, which would let a mangled value
 * decode to something.
 */
export function decodeStrictBase64(text: string): Uint8Array | null {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return null;
  return new Uint8Array(Buffer.from(text, "base64"));
}

/**
 * Total length (header + content) of the DER SEQUENCE starting at `offset`, or null when the bytes
 * there are not a definite-length SEQUENCE that fits. Used to insist on exactly one certificate:
 * node's X509Certificate silently ignores bytes after the first one.
 */
export function derSequenceLength(bytes: Uint8Array, offset = 0): number | null {
  if (bytes[offset] !== 0x30) return null;
  const first = bytes[offset + 1];
  if (first === undefined) return null;
  let length: number;
  let header = 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, never DER; four length bytes already mean gigabytes.
    if (count === 0 || count > 4) return null;
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[offset + 2 + i];
      if (b === undefined) return null;
      length = length * 256 + b;
    }
    header += count;
  }
  const total = header + length;
  return offset + total <= bytes.length ? total : null;
}

/** PEM as OpenSSL writes it: 64-character lines, LF, a final newline. */
export function toCertificatePem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** An uploaded file as text. PEM is ASCII; latin1 keeps every byte as one character. Windows "Unicode" files are UTF-16LE with a BOM; a UTF-8 BOM is dropped. */
export function decodeUploadText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString("latin1");
}

/**
 * Whether DER bytes are a private key (PKCS#8, PKCS#1 or SEC1, encrypted ones included). Node
 * derives a public key from a private one without complaint, so uploads check this first.
 */
export function isPrivateKeyDer(der: Uint8Array): boolean {
  return (["pkcs8", "pkcs1", "sec1"] as const).some((type) => {
    try {
      createPrivateKey({ key: Buffer.from(der), format: "der", type });
      return true;
    } catch (e) {
      return (e as { code?: unknown }).code === "ERR_MISSING_PASSPHRASE";
    }
  });
}
