/**
 * Reading the `apiCertificate` login parameter. Clients send the certificate however their HTTP
 * library mangles it: PEM with or without the BEGIN/END lines, newlines kept or flattened, `+` turned
 * into spaces by form decoding, or the whole value URL-encoded once more. This tries a few fixed
 * readings and keeps the one that is exactly one certificate; the wrong readings fail at the base64
 * or DER length check, long before any certificate parsing. Never throws: the caller answers every
 * unusable value with the same "untrusted request" error.
 */
import { parseCertificateDer, type ParsedCertificate } from "./x509-details";
import { MAX_CERTIFICATE_BYTES } from "./x509-upload";
import { decodeStrictBase64, scanPem } from "./x509-pem";

/** A URL-encoded PEM of the largest uploadable certificate fits comfortably. */
export const MAX_PRESENTED_CERTIFICATE_CHARS = 64 * 1024;

export function readPresentedCertificate(value: string): ParsedCertificate | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_PRESENTED_CERTIFICATE_CHARS) return null;
  try {
    const tried = new Set<string>();
    for (const text of textReadings(value)) {
      const body = certificateBody(text);
      if (body === null) continue;
      for (const b64 of base64Readings(body)) {
        if (tried.has(b64)) continue;
        tried.add(b64);
        const der = decodeStrictBase64(b64);
        if (!der || der.length > MAX_CERTIFICATE_BYTES) continue;
        const cert = parseCertificateDer(der);
        if (cert) return cert;
      }
    }
  } catch {
    // Unreachable by design; a malformed parameter must still be a refusal, never a crash.
  }
  return null;
}

const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/;

/**
 * Base64 and PEM never contain "%", so an escape means the value is still URL-encoded. Read it both as
 * encodeURIComponent output ("+" is a plus) and as form encoding ("+" is a space).
 */
function textReadings(value: string): string[] {
  // JSON-escaped newlines from a value copied out of a JSON document.
  const unescaped = value.includes("\\") ? value.replace(/\\[rn]/g, "\n") : value;
  if (!PERCENT_ESCAPE.test(unescaped)) return [unescaped];
  const readings: string[] = [];
  for (const candidate of [unescaped, unescaped.replace(/\+/g, " ")]) {
    try {
      readings.push(decodeURIComponent(candidate));
    } catch {
      // A stray "%" that is not an escape: this reading is not URL-encoded text.
    }
  }
  return readings;
}

/** "-----BEGIN+CERTIFICATE-----" (a form-encoded space) reads as the header it was. */
const HEADER = /-----(BEGIN|END)[ +]([A-Z0-9 +]{1,62})-----/g;

/** The base64 inside the only CERTIFICATE block, the whole text when there are no PEM lines, else null. */
function certificateBody(text: string): string | null {
  if (!text.includes("-----")) return text;
  const normalised = text.replace(HEADER, (_m, kind: string, label: string) => `-----${kind} ${label.replace(/[ +]+/g, " ").trim()}-----`);
  const scan = scanPem(normalised);
  if (scan.kind !== "blocks" || scan.blocks.length !== 1) return null;
  const [block] = scan.blocks;
  return block?.label === "CERTIFICATE" ? block.body : null;
}

/**
 * The base64 the body most likely was. Spaces are either line separators or "+" signs lost to form
 * decoding; newlines are always separators. The third reading handles both at once for PEM whose
 * 64-character lines were joined with spaces: a space that ends a full line is a separator.
 */
function base64Readings(body: string): string[] {
  const trimmed = body.trim();
  const compact = trimmed.replace(/\s+/g, "");
  const readings = [compact, trimmed.replace(/ /g, "+").replace(/\s+/g, ""), sixtyFourColumns(trimmed)];
  // Trailing spaces may be "+" signs too (base64 without padding can end in "+"), all of them or all
  // but the one that separated the body from the END line.
  const keptEnd = body.replace(/^\s+/, "").replace(/[\r\n\t]+$/, "");
  for (const end of [keptEnd, keptEnd.slice(0, -1)]) {
    if (end.length > trimmed.length) readings.push(end.replace(/ /g, "+").replace(/\s+/g, ""), sixtyFourColumns(end));
  }
  if (/[-_]/.test(compact) && !/[+/]/.test(compact)) {
    // base64url, usually without padding.
    const std = compact.replace(/-/g, "+").replace(/_/g, "/");
    readings.push(std.padEnd(std.length + ((4 - (std.length % 4)) % 4), "="));
  }
  return readings;
}

function sixtyFourColumns(body: string): string {
  let out = "";
  let column = 0;
  for (const ch of body) {
    if (ch === " ") {
      if (column === 64) column = 0;
      else {
        out += "+";
        column++;
      }
    } else if (ch === "\n" || ch === "\r" || ch === "\t") {
      column = 0;
    } else {
      out += ch;
      column++;
    }
  }
  return out;
}
