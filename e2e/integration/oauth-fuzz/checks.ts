/**
 * The checks on each OAuth answer: status, RFC 6749 JSON envelope, caching and challenge headers,
 * the shape of a success, and nothing internal or secret shown.
 */
import { OAUTH_API_PREFIX } from "../../../lib/oauth/handler";
import { BASIC_CHALLENGE } from "../../../lib/oauth/client-credentials";
import { METADATA_PATHS } from "../../../lib/oauth/metadata-endpoint";
import { isPlainObject } from "../fuzz/checks";
import type { Secret } from "../fuzz/secrets";

export const ALLOWED_STATUSES = new Set([200, 400, 401, 404, 405, 413, 429]);
/** The `error` codes the OAuth envelope renders (server_error only comes with a 500). */
export const ERROR_CODES = new Set([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "unsupported_token_type",
  "temporarily_unavailable",
]);
const METADATA_CACHE = "public, max-age=300";

export type Operation = "token" | "revoke" | "introspect" | "exchange";
const OPERATIONS = new Map<string, Operation>([
  ["v1/token", "token"],
  ["v1/revoke", "revoke"],
  ["v1/introspect", "introspect"],
  ["v1/jwt/exchange", "exchange"],
]);

/** What the handler makes of a request's path, worked out the way it does. */
export type Target = { kind: "metadata"; known: boolean } | { kind: "oauth"; op: Operation | null };

export function targetOf(url: URL): Target {
  if (url.pathname.startsWith("/.well-known")) return { kind: "metadata", known: (METADATA_PATHS as readonly string[]).includes(url.pathname.replace(/\/$/, "")) };
  return { kind: "oauth", op: OPERATIONS.get(url.pathname.slice(OAUTH_API_PREFIX.length).replace(/\/$/, "")) ?? null };
}

/** Text that betrays a stack trace, the server's files or its SQL. */
const LEAK_PATTERNS = [
  / {4}at /,
  /\bat [^\s"]+ \(/,
  /\/work\//,
  /\.ts:\d*/,
  /\.m?js:\d+/,
  /node_modules/,
  /file:\/\//,
  /\/tmp\/keyward-/,
  /\b(?:SELECT|INSERT|UPDATE|DELETE)\b[\s\S]{0,120}\b(?:FROM|INTO|SET|WHERE)\b/i,
  /SQLITE_[A-Z]+/,
  /no such (?:table|column)/i,
  /constraint failed/i,
  /\boauth_(?:tokens|codes|apps|client_secrets|public_keys|assertion_ids)\b/,
  /lookup_hash|lookupHash/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /TypeError|ReferenceError|RangeError|SyntaxError: /,
  /\bundefined\b|\[object Object\]|\bNaN\b/,
];

export interface Answer {
  res: Response;
  text: string;
  ms: number;
}

export interface AnswerContext {
  method: string;
  url: URL;
  authorization: string | null;
  /** Everything the request carried (and its decodings), to tell echoes from leaks. */
  requestText: string;
  /** Secrets no answer may show, whatever the request carried. */
  alwaysSecret: Secret[];
  /** Credentials an answer may show only to a request that carried them. */
  known: Map<string, string>;
  metadata: unknown;
  publicUrl: string;
  limitsOn: boolean;
}

/** What is wrong with one answer on its own (empty when nothing). */
export function answerProblems(a: Answer, ctx: AnswerContext): string[] {
  const problems: string[] = [];
  const { res, text } = a;
  const status = res.status;
  const target = targetOf(ctx.url);
  const method = ctx.method.toUpperCase();
  if (!ALLOWED_STATUSES.has(status)) problems.push(`status ${status}`);
  if (status === 429 && !ctx.limitsOn) problems.push("a 429 with the limits off");
  const type = res.headers.get("content-type");
  if (!type?.toLowerCase().startsWith("application/json")) problems.push(`content-type ${type}`);

  // Which statuses the path and method allow: routing comes after reading the parameters (a 400).
  if (target.kind === "metadata") {
    const readable = target.known && (method === "GET" || method === "HEAD");
    if (readable && status !== 200) problems.push(`the metadata read with ${method} answered ${status}`);
    // A known metadata path read with another method is 405; an unknown path under it is 404.
    const refusal = target.known ? [400, 405] : [400, 404];
    if (!readable && !refusal.includes(status)) problems.push(`nothing is served at this metadata path with ${method}, yet it answered ${status}`);
  } else if (target.op === null) {
    if (![400, 404].includes(status)) problems.push(`no OAuth operation is at this path, yet it answered ${status}`);
  } else if (method !== "POST") {
    if (![400, 405].includes(status)) problems.push(`${method} on ${target.op} answered ${status}, not 405`);
  } else if (status === 404 || status === 405) {
    problems.push(`POST on ${target.op} answered ${status}`);
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push("the body is not JSON");
  }
  if (body !== undefined) {
    if (status >= 400) {
      const keys = isPlainObject(body) ? Object.keys(body).sort() : [];
      const error = isPlainObject(body) ? body.error : undefined;
      if (keys.join(",") !== "error,error_description" || typeof error !== "string" || typeof (body as { error_description: unknown }).error_description !== "string") {
        problems.push(`a ${status} body is not exactly {"error": string, "error_description": string}`);
      } else {
        if (!ERROR_CODES.has(error)) problems.push(`error code ${JSON.stringify(error)} is not one of the RFC 6749 codes`);
        if ((error === "invalid_client") !== (status === 401)) problems.push(`error ${error} with status ${status} (invalid_client goes with 401 and only with it)`);
        if (status === 429 && error !== "temporarily_unavailable") problems.push(`a 429 with error ${error}`);
        if ((status === 404 || status === 405) && error !== "invalid_request") problems.push(`a ${status} with error ${error}`);
        if ((body as { error_description: string }).error_description === "") problems.push("an empty error_description");
      }
    } else if (status === 200) {
      problems.push(...successShape(body, target, ctx));
    }
  }

  // Caching: token answers carry credentials; only the public metadata may be kept.
  const cache = res.headers.get("cache-control");
  const metadataSuccess = target.kind === "metadata" && status === 200;
  if (metadataSuccess ? cache !== METADATA_CACHE : !cache?.includes("no-store")) problems.push(`Cache-Control ${JSON.stringify(cache)}`);

  // RFC 6749 5.2: a 401 after an `Authorization: Basic` attempt carries the challenge, and nothing else does.
  const challenge = res.headers.get("www-authenticate");
  const basicAttempt =
    target.kind === "oauth" && (target.op === "token" || target.op === "revoke" || target.op === "introspect") && ctx.authorization !== null && /^basic /i.test(ctx.authorization);
  const wanted = status === 401 && basicAttempt;
  if (wanted && challenge !== BASIC_CHALLENGE) problems.push(`a 401 after a Basic attempt has WWW-Authenticate ${JSON.stringify(challenge)}`);
  if (!wanted && challenge !== null) problems.push(`WWW-Authenticate ${JSON.stringify(challenge)} on a ${status}${basicAttempt ? "" : " without a Basic attempt"}`);
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter !== null && !/^\d+$/.test(retryAfter)) problems.push(`Retry-After ${JSON.stringify(retryAfter)}`);
  if (status === 429 && retryAfter === null) problems.push("a 429 without Retry-After");

  problems.push(...leaks(text, res.headers, ctx));
  return problems;
}

/** The body of a 200, apart from what needs the database (token and exchange answers are checked against it too). */
function successShape(body: unknown, target: Target, ctx: AnswerContext): string[] {
  const method = ctx.method.toUpperCase();
  if (target.kind === "metadata") {
    return JSON.stringify(body) === JSON.stringify(ctx.metadata) ? [] : [`the metadata differs: ${JSON.stringify(body).slice(0, 300)}`];
  }
  if (target.op === null || method !== "POST") return [`a 200 from ${method} ${ctx.url.pathname.slice(0, 100)}`];
  if (!isPlainObject(body)) return ["a 200 body is not an object"];
  const keys = Object.keys(body).sort().join(",");
  switch (target.op) {
    case "revoke":
      return keys === "" ? [] : [`a 200 from /revoke is not {}: ${JSON.stringify(body).slice(0, 300)}`];
    case "introspect": {
      if (body.active === false) return keys === "active" ? [] : [`an inactive introspection says more: ${JSON.stringify(body)}`];
      const problems: string[] = [];
      const required = ["active", "client_id", "iat", "iss", "sub", "token_type", "username"];
      const allowed = new Set([...required, "exp", "scope"]);
      for (const k of required) if (!(k in body)) problems.push(`an active introspection lacks ${k}`);
      for (const k of Object.keys(body)) if (!allowed.has(k)) problems.push(`an active introspection has ${k}`);
      if (body.active !== true) problems.push(`introspection active ${JSON.stringify(body.active)}`);
      if (body.iss !== ctx.publicUrl) problems.push(`introspection iss ${JSON.stringify(body.iss)}`);
      if (body.token_type !== "access_token" && body.token_type !== "refresh_token") problems.push(`introspection token_type ${JSON.stringify(body.token_type)}`);
      return problems;
    }
    case "token":
    case "exchange": {
      const expected = target.op === "exchange" ? ["access_token", "expires_in", "token_type"] : null;
      const problems: string[] = [];
      if (expected && keys !== expected.join(",")) problems.push(`a 200 from /jwt/exchange has the fields ${keys}`);
      if (!expected && keys !== "access_token,expires_in,refresh_token,token_type" && keys !== "access_token,expires_in,token_type") problems.push(`a 200 from /token has the fields ${keys}`);
      if (typeof body.access_token !== "string" || body.access_token.length !== 43) problems.push(`access_token ${JSON.stringify(body.access_token)}`);
      if (body.expires_in !== 3600) problems.push(`expires_in ${JSON.stringify(body.expires_in)}`);
      if ("refresh_token" in body && (typeof body.refresh_token !== "string" || !body.refresh_token.startsWith("kwr_"))) problems.push(`refresh_token ${JSON.stringify(body.refresh_token)}`);
      return problems;
    }
  }
}

/** Stack traces, paths, SQL, server secrets and credentials the request did not carry, in the body or a header. */
function leaks(text: string, headers: Headers, ctx: AnswerContext): string[] {
  const problems: string[] = [];
  const shown = [text, ...[...headers.entries()].map(([k, v]) => `${k}: ${v}`)].join("\n");
  for (const pattern of LEAK_PATTERNS) {
    const m = pattern.exec(shown);
    // An error message may quote the request's own junk back; only text the request lacks counts.
    if (m && !ctx.requestText.includes(m[0])) problems.push(`the answer looks like a stack trace, a file path, SQL or a key: ${JSON.stringify(m[0])}`);
  }
  for (const s of ctx.alwaysSecret) if (s.value && shown.includes(s.value)) problems.push(`the answer contains ${s.label}`);
  for (const [value, label] of ctx.known) {
    if (value.length >= 16 && shown.includes(value) && !ctx.requestText.includes(value)) problems.push(`the answer contains ${label}, which the request did not carry`);
  }
  return problems;
}

/** The decoded credentials of an `Authorization: Basic` header, so an echo of them counts as carried. */
export function decodedBasic(authorization: string | null): string {
  if (!authorization || !/^basic\s/i.test(authorization)) return "";
  const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
  let formDecoded = decoded;
  try {
    formDecoded = decodeURIComponent(decoded.replace(/\+/g, " "));
  } catch {
    // keep the base64-decoded text
  }
  return `${decoded}\n${formDecoded}`;
}
