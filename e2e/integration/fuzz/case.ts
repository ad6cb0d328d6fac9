/** The generated request (a fuzz case) and its parts, as the generators produce it and `send.ts` sends it. */

// Values may hold placeholders such as {{user.session}} that are resolved against the current state
// when the request is sent, so a shrunk counterexample stays readable.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Param {
  name: string;
  value: string;
}

/** A path segment: `text` is percent-encoded when sent, `raw` is sent as written. */
export type Segment = { text: string } | { raw: string };

export type QueryStyle = "encoded" | "raw" | "plus";

export type BodySpec =
  | { kind: "none" }
  | { kind: "form"; params: Param[]; contentType: string | null }
  /** A JSON object written member by member, so duplicate and `__proto__` keys survive. */
  | { kind: "jsonObject"; members: [string, JsonValue][]; contentType: string | null }
  | { kind: "json"; value: JsonValue; contentType: string | null }
  | { kind: "text"; text: string; contentType: string | null }
  | { kind: "multipart"; params: Param[]; withFile: boolean; contentType: string | null }
  /** Raw bytes, which need not be UTF-8. */
  | { kind: "bytes"; bytes: number[]; contentType: string | null };

export interface FuzzCase {
  method: string;
  prefix: string;
  segments: Segment[];
  trailingSlash: boolean;
  query: Param[];
  queryStyle: QueryStyle;
  body: BodySpec;
  /** Chosen apart from `headers` so that a good share of requests carry a working credential. */
  credential: [string, string][];
  headers: [string, string][];
  /** The client address the Node entry would pass; null for none. */
  ip: string | null;
  /** How many copies of the request are sent at once (races between identical requests). */
  copies: number;
  /** Milliseconds that pass on the server's clock before the request. */
  elapsedMs: number;
}
