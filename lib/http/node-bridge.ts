/** Converting between node:http messages and Web-standard Request/Response for the API fast path. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidRequest } from "../errors";

const MAX_BODY = 1024 * 1024;

export async function toWebRequest(req: IncomingMessage, base: string): Promise<Request> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    try {
      headers.append(raw[i], raw[i + 1]);
    } catch {
      // Skip header values a Headers object refuses.
    }
  }
  const method = req.method ?? "GET";
  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new InvalidRequest("Request body is too large");
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? "/", base), { method, headers, body: body ? new Uint8Array(body) : undefined });
}

export async function writeWebResponse(res: ServerResponse, r: Response): Promise<void> {
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

