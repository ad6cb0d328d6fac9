/** Reading Web-standard requests: merged parameters, cookies, client metadata. */
import { InvalidRequest } from "../errors";
import { randomBytes } from "node:crypto";
import { checkJsonDepth, checkMultipartParts, MAX_BODY_BYTES, readBodyBytes } from "./body";
import { readSimpleMultipart } from "./multipart";
import { addQueryString, Params } from "./params";
import type { RequestMeta } from "../services/context";

/**
 * The part of a Web Request that API handlers use. A Web `Request` satisfies it (route handlers pass
 * theirs); the Node entry passes a lighter view of the node:http message with the same behaviour.
 */
export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** Non-null when the request has a body: the bytes (Node entry) or a stream (Web Request). */
  readonly body: unknown;
  text(): Promise<string>;
}

/** Information the Node entry knows about a request that the Request object cannot carry. */
export interface ConnectionInfo {
  ip?: string | null;
}

/** Query string, then an urlencoded, multipart or JSON body. Malformed JSON is a 400. */
export async function readParams(req: ApiRequest, url: URL): Promise<Params> {
  const params = new Params();
  const q = url.search;
  addQueryString(params, q.length > 1 ? q.slice(1) : "");
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return params;

  const rawType = req.headers.get("content-type") ?? "";
  const type = rawType.toLowerCase();
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new InvalidRequest("Request body is too large");
  const bytes = await readBodyBytes(req);
  if (type.startsWith("multipart/form-data")) {
    const boundary = checkMultipartParts(bytes, rawType);
    const simple = readSimpleMultipart(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), boundary);
    if (simple) {
      for (const [k, v] of simple) params.add(k, v);
      return params;
    }
    let form: FormData;
    try {
      form = await new Request("http://localhost/", { method: "POST", headers: { "content-type": `multipart/form-data; boundary="${boundary}"` }, body: new Uint8Array(bytes) }).formData();
    } catch {
      throw new InvalidRequest("Malformed multipart body");
    }
    for (const [k, v] of form.entries()) if (typeof v === "string") params.add(k, v);
    return params;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (!text.trim()) return params;
  if (type.includes("json") || (!type.includes("x-www-form-urlencoded") && /^\s*[[{]/.test(text))) {
    checkJsonDepth(text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InvalidRequest("Malformed JSON in request body");
    }
    params.json = body;
    if (body && typeof body === "object" && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") params.add(k, String(v));
      }
    }
    return params;
  }
  addQueryString(params, text);
  return params;
}

export function readCookie(req: ApiRequest, name: string): string | undefined {
  const header = req.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Set by the Node entry on requests it hands to Next.js (any value a client sent is replaced). */
export const CLIENT_IP_HEADER = "x-keyward-client-ip";

type HeaderGetter = { get(name: string): string | null | undefined };

// A random mark known only to this process: the header counts only when the Node entry wrote it, so
// a client cannot choose its own address (under `next start` nobody writes it, and it never counts).
const MARK = Symbol.for("keyward.clientIpMark");
const mark: string = ((globalThis as { [MARK]?: string })[MARK] ??= randomBytes(16).toString("hex"));

/** The header value the Node entry sets on requests it hands to Next.js. */
export function markedClientIp(ip: string): string {
  return `${mark} ${ip}`;
}

function markedIp(value: string | null | undefined): string | null {
  if (!value?.startsWith(mark + " ")) return null;
  return value.slice(mark.length + 1) || null;
}

/**
 * The client's address for audit records and rate limits: with a trusted proxy, the last
 * X-Forwarded-For entry (the one that proxy added; earlier entries come from the client), otherwise
 * the connection's address, as the Node entry saw it.
 */
export function clientIp(headers: HeaderGetter, trustProxy: boolean, socketIp?: string | null): string | null {
  if (trustProxy) {
    const forwarded = headers.get("x-forwarded-for")?.split(",").pop()?.trim();
    if (forwarded) return forwarded;
  }
  return socketIp ?? markedIp(headers.get(CLIENT_IP_HEADER));
}

export function requestMeta(req: ApiRequest, trustProxy: boolean, info?: ConnectionInfo): RequestMeta {
  return { ip: clientIp(req.headers, trustProxy, info?.ip), userAgent: req.headers.get("user-agent") };
}
