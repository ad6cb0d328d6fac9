/**
 * A fast path for the multipart bodies real clients send for text fields (the npm form-data package,
 * as @adobe/jwt-auth uses it; browsers; undici's FormData): no preamble, each part exactly one
 * `Content-Disposition: form-data; name="<plain name>"` header, the closing delimiter, at most a CRLF
 * after it. Such a body is read in one pass over the buffer. Anything else, however slightly
 * different (another header, a file, an escaped or non-ASCII name, a preamble, stray bytes after a
 * delimiter), answers null and the caller parses it with undici's `formData()` as before, so the
 * fast path never decides what a body means where the two could disagree. multipart.test.ts checks
 * it against undici on generated and mutated bodies.
 */

/** Names as clients send them for API parameters; anything else takes the general parser. */
const SIMPLE_HEADER = /^content-disposition: form-data; name="([A-Za-z0-9_.$:[\]-]{1,200})"$/i;
const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");
// Decodes as undici does: UTF-8, invalid bytes replaced, a leading BOM dropped.
const utf8 = new TextDecoder();

export function readSimpleMultipart(body: Buffer, boundary: string): [string, string][] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const bare = Buffer.from(boundary);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  if (body.indexOf(delimiter) !== 0) return null;
  const fields: [string, string][] = [];
  let at = delimiter.length;
  for (;;) {
    if (body[at] === 0x2d && body[at + 1] === 0x2d) {
      const rest = body.subarray(at + 2);
      return rest.length === 0 || rest.equals(CRLF) ? fields : null;
    }
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) return null;
    const headersStart = at + 2;
    const headersEnd = body.indexOf(HEADERS_END, headersStart);
    if (headersEnd < 0) return null;
    const name = SIMPLE_HEADER.exec(body.toString("latin1", headersStart, headersEnd))?.[1];
    if (name === undefined) return null;
    const valueStart = headersEnd + HEADERS_END.length;
    const valueEnd = body.indexOf(nextDelimiter, valueStart);
    // The boundary anywhere inside a value (after a bare LF, say) is for the general parser to judge.
    if (valueEnd < 0 || body.subarray(valueStart, valueEnd).includes(bare)) return null;
    fields.push([name, utf8.decode(body.subarray(valueStart, valueEnd))]);
    at = valueEnd + nextDelimiter.length;
  }
}
