/** Building a generated request (placeholders resolved, body encoded) and sending it, with its copies, through the Web handler. */
import { handleRestRequest } from "../../../lib/rest/handler";
import type { FuzzCase, Param, QueryStyle } from "./case";
import { resolve, resolveJson, type Refs } from "./placeholders";

export const ORIGIN = "http://localhost:3000";

/** encodeURIComponent for any string: lone surrogates (which it refuses) become U+FFFD. */
function encode(s: string): string {
  return encodeURIComponent(s.replace(/\p{Surrogate}/gu, "\ufffd"));
}

function encodeParams(ps: Param[], style: QueryStyle, refs: Refs): string {
  return ps
    .map(({ name, value }) => {
      const n = resolve(name, refs);
      const v = resolve(value, refs);
      if (style === "raw") return `${n}=${v}`;
      if (style === "plus") return `${encode(n).replace(/%20/g, "+")}=${encode(v).replace(/%20/g, "+")}`;
      return `${encode(n)}=${encode(v)}`;
    })
    .join("&");
}

export interface BuiltRequest {
  request: Request;
  /** Everything the request carried, for the failure report and to tell echoes from leaks. */
  shown: { method: string; url: string; headers: [string, string][]; body: string };
}

export function buildRequest(c: FuzzCase, refs: Refs): BuiltRequest {
  const segments = c.segments.map((s) => ("raw" in s ? s.raw : encode(resolve(s.text, refs))));
  const pathname = [c.prefix, ...segments].join("/") + (c.trailingSlash ? "/" : "");
  const query = encodeParams(c.query, c.queryStyle, refs);
  const url = `${ORIGIN}${pathname}${query ? `?${query}` : ""}`;
  const headers = new Headers();
  // Later headers replace earlier ones of the same name; a repeated header is generated as one value with a comma.
  for (const [name, value] of [...c.credential, ...c.headers]) headers.set(name, resolve(value, refs));

  const bodyless = ["GET", "HEAD"].includes(c.method.toUpperCase());
  let payload: BodyInit | undefined;
  let shownBody = "";
  const spec = bodyless ? ({ kind: "none" } as const) : c.body;
  const setType = (t: string | null) => {
    if (t !== null) headers.set("content-type", t);
  };
  /** Text with a declared type, or bytes when no type is declared (a string body would get text/plain). */
  const textPayload = (text: string, type: string | null): BodyInit => {
    setType(type);
    shownBody = text;
    return type === null ? new TextEncoder().encode(text) : text;
  };
  switch (spec.kind) {
    case "none":
      break;
    case "form":
      payload = textPayload(encodeParams(spec.params, "encoded", refs), spec.contentType);
      break;
    case "jsonObject": {
      const members = spec.members.map(([k, v]) => `${JSON.stringify(resolve(k, refs))}:${JSON.stringify(resolveJson(v, refs))}`);
      payload = textPayload(`{${members.join(",")}}`, spec.contentType);
      break;
    }
    case "json":
      payload = textPayload(JSON.stringify(resolveJson(spec.value, refs)) ?? "null", spec.contentType);
      break;
    case "text":
      payload = textPayload(resolve(spec.text, refs), spec.contentType);
      break;
    case "bytes":
      setType(spec.contentType);
      shownBody = Buffer.from(spec.bytes).toString("latin1");
      payload = new Uint8Array(spec.bytes);
      break;
    case "multipart": {
      const form = new FormData();
      for (const p of spec.params) form.append(resolve(p.name, refs), resolve(p.value, refs));
      if (spec.withFile) form.append("file", new Blob(["name=from-file"], { type: "text/plain" }), "fuzz.txt");
      setType(spec.contentType);
      shownBody = spec.params.map((p) => `${resolve(p.name, refs)}=${resolve(p.value, refs)}`).join("\n");
      payload = form;
      break;
    }
  }
  const request = new Request(url, { method: c.method, headers, body: payload });
  return { request, shown: { method: c.method, url: request.url, headers: [...request.headers.entries()], body: shownBody } };
}

export interface SentRequest {
  res: Response;
  text: string;
  ms: number;
}

/** Sends every copy at once through the handler, timing each answer. */
export function sendAll(built: BuiltRequest[], ip: string | null): Promise<SentRequest[]> {
  return Promise.all(
    built.map(async ({ request }) => {
      const started = performance.now();
      const res = await handleRestRequest(request, ip === null ? undefined : { ip });
      const text = await res.text();
      return { res, text, ms: performance.now() - started };
    }),
  );
}

/** Everything the request carried, also percent-decoded, to tell echoes from leaks. */
export function carriedText(shown: BuiltRequest["shown"]): string {
  return [shown.url, safeDecode(shown.url), ...shown.headers.flat(), shown.body, safeDecode(shown.body)].join("\n");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}
