/**
 * The Node entry's side of the API handlers: a node:http message seen through the ApiRequest
 * interface (no Web Request is built per call), and a Web Response written back to node:http.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { InvalidRequest } from "../errors";
import { knownResponse } from "./json-response";
import type { ApiRequest } from "./request";

const MAX_BODY = 1024 * 1024;

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

  /** Multipart bodies are rare on the API: let the Web implementation parse them. */
  formData(): Promise<FormData> {
    const headers = new Headers();
    for (const [k, v] of Object.entries(this.raw)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    return new Request(this.url, { method: this.method, headers, body: this.buf ? new Uint8Array(this.buf) : undefined }).formData();
  }
}

/** Handlers read only the path and query of the URL; the origin part is a fixed placeholder. */
const ORIGIN = "http://localhost";

export async function toApiRequest(req: IncomingMessage): Promise<ApiRequest> {
  const method = req.method ?? "GET";
  let buf: Buffer | null = null;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new InvalidRequest("Request body is too large");
      chunks.push(chunk as Buffer);
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
