/**
 * The Node entry's side of the API handlers: a node:http message seen through the ApiRequest
 * interface (no Web Request is built per call), and a Web Response written back to node:http.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { AppError, InvalidRequest } from "../errors";
import { MAX_BODY_BYTES } from "./body";
import { knownResponse } from "./json-response";
import type { ApiRequest } from "./request";


class NodeApiRequest implements ApiRequest {
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly method: string,
    readonly url: string,
    private readonly raw: IncomingHttpHeaders,
    private readonly buf: Buffer | null,
  ) {
    this.headers = {
      get: (name) => {
        const v = raw[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    };
  }

  get body(): Buffer | null {
    return this.buf && this.buf.length > 0 ? this.buf : null;
  }

  text(): Promise<string> {
    return Promise.resolve(this.buf ? this.buf.toString("utf8") : "");
  }
}

/** Handlers read only the path and query of the URL; the origin part is a fixed placeholder. */
const ORIGIN = "http://localhost";

/** The client went away before its request body arrived: nothing to answer, nothing to log. */
export class ClientGone extends Error {}

/** The path of a request target, with `.` and `..` segments resolved as a URL parser would. */
export function normalizedPath(target: string): string {
  try {
    return new URL(target, ORIGIN).pathname;
  } catch {
    return target;
  }
}


export async function toApiRequest(req: IncomingMessage): Promise<ApiRequest> {
  const method = req.method ?? "GET";
  let buf: Buffer | null = null;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw new InvalidRequest("Request body is too large");
        chunks.push(chunk as Buffer);
      }
    } catch (e) {
      if (e instanceof InvalidRequest) throw e;
      throw new ClientGone();
    }
    buf = Buffer.concat(chunks);
  }
  return new NodeApiRequest(method, ORIGIN + (req.url ?? "/"), req.headers, buf);
}

export async function writeWebResponse(res: ServerResponse, r: Response): Promise<void> {
  const k = knownResponse(r);
  if (k) {
    res.writeHead(k.status, { ...k.headers, "content-length": String(Buffer.byteLength(k.text)) });
    res.end(k.text);
    return;
  }
  const out: Record<string, string | string[]> = {};
  r.headers.forEach((v, k) => {
    if (k !== "set-cookie") out[k] = v;
  });
  const cookies = r.headers.getSetCookie();
  if (cookies.length) out["set-cookie"] = cookies;
  if (r.body === null) {
    res.writeHead(r.status, out);
    res.end();
    return;
  }
  const buf = Buffer.from(await r.arrayBuffer());
  out["content-length"] = String(buf.length);
  res.writeHead(r.status, out);
  res.end(buf);
}

const CLIENT_ERRORS: ReadonlyMap<string, { status: number; reason: string; message: string }> = new Map([
  ["HPE_HEADER_OVERFLOW", { status: 431, reason: "Request Header Fields Too Large", message: "The request line and headers are too large." }],
  ["HPE_CHUNK_EXTENSIONS_OVERFLOW", { status: 413, reason: "Content Too Large", message: "The request is too large." }],
  ["ERR_HTTP_REQUEST_TIMEOUT", { status: 408, reason: "Request Timeout", message: "The request took too long to arrive." }],
]);
const BAD_REQUEST = { status: 400, reason: "Bad Request", message: "The request is not valid HTTP." };

/** The path of the request line in the bytes node:http had read when it gave up, if any. */
export function requestLinePath(raw: Buffer | undefined): string | undefined {
  if (!raw) return undefined;
  const line = raw.subarray(0, 4096).toString("latin1");
  return /^[A-Z]{1,16} (\/\S*)/.exec(line)?.[1];
}

/**
 * Answers a request that node:http could not parse (oversized request line or headers, malformed
 * HTTP). On an API path the answer is that surface's JSON error, not Node's bare status line.
 */
export function answerClientError(
  err: Error & { code?: string; rawPacket?: Buffer },
  socket: Duplex,
  renderFor: (path: string) => ((e: unknown) => Response) | undefined,
): void {
  if (!socket.writable || err.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const kind = CLIENT_ERRORS.get(err.code ?? "") ?? BAD_REQUEST;
  const path = requestLinePath(err.rawPacket);
  const render = path === undefined ? undefined : renderFor(path);
  const known = render ? knownResponse(render(new AppError("invalid_request", kind.status, kind.message))) : undefined;
  const body = known?.text ?? kind.message;
  const headers = known?.headers ?? { "content-type": "text/plain; charset=utf-8" };
  const lines = [`HTTP/1.1 ${kind.status} ${kind.reason}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  lines.push(`content-length: ${Buffer.byteLength(body)}`, "connection: close", "", body);
  socket.end(lines.join("\r\n"));
}
