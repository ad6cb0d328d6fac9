/**
 * Request bodies with bounded cost, whichever door the request came through: at most `MAX_BODY_BYTES`
 * read (a chunked body without Content-Length included), at most `MAX_PARTS` multipart parts and
 * JSON nested at most `MAX_JSON_DEPTH` deep, each checked before the body is parsed.
 */
import { InvalidRequest } from "../errors";

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_PARTS = 200;
export const MAX_JSON_DEPTH = 64;

const TOO_LARGE = "Request body is too large";

interface BodySource {
  readonly body: unknown;
  arrayBuffer?(): Promise<ArrayBuffer>;
  text(): Promise<string>;
}

/** The body's bytes, refusing more than `limit` without reading past it. */
export async function readBodyBytes(req: BodySource, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const body = req.body;
  if (body instanceof Uint8Array) {
    if (body.byteLength > limit) throw new InvalidRequest(TOO_LARGE);
    return body;
  }
  if (body && typeof (body as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel();
        throw new InvalidRequest(TOO_LARGE);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }
  const text = Buffer.from(await req.text(), "utf8");
  if (text.byteLength > limit) throw new InvalidRequest(TOO_LARGE);
  return text;
}

/** RFC 2046 5.1.1: 1 to 70 characters from this set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * The boundary of a multipart/form-data Content-Type: exactly one parameter named `boundary` (a name
 * merely ending in it, like `xboundary`, is another parameter), quoted or not, well-formed.
 */
export function multipartBoundary(contentType: string): string {
  const found: string[] = [];
  for (const param of contentType.split(";").slice(1)) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== "boundary") continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found.push(value);
  }
  const [value] = found;
  if (found.length !== 1 || value === undefined || !BOUNDARY.test(value)) throw new InvalidRequest("Malformed multipart body");
  return value;
}

/**
 * Refuses a multipart body with more parts than any call needs, before it is parsed, and returns the
 * boundary that was counted: the body is parsed with that one, so the parser cannot be pointed at
 * another.
 */
export function checkMultipartParts(bytes: Uint8Array, contentType: string): string {
  const value = multipartBoundary(contentType);
  const delimiter = Buffer.from(`--${value}`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let parts = -1;
  for (let at = buf.indexOf(delimiter); at >= 0; at = buf.indexOf(delimiter, at + delimiter.length)) {
    if (++parts > MAX_PARTS) throw new InvalidRequest(`Too many multipart parts (at most ${MAX_PARTS})`);
  }
  return value;
}

/** Refuses JSON nested deeper than any call needs, before it is parsed (one linear scan). */
export function checkJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw new InvalidRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
