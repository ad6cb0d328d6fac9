/**
 * The checks on each IMS answer on its own: an allowed status that fits the path and method, a JSON
 * body, `{"error","error_description"}` with an IMS code (and the status that code goes with) on
 * failure, exactly the documented members on success, the caching header, and nothing internal
 * or secret shown: no stack trace, path or SQL, no server key, no client secret, private key or
 * jwt_token, not even one the request carried itself.
 */
import { isPlainObject } from "../fuzz/checks";
import { METHOD_OF, operationAt, STATUS_OF, type ErrorCode } from "./model";

export const ALLOWED_STATUSES = new Set([200, 400, 401, 404, 405, 429]);
export const ERROR_CODES = new Set<string>(Object.keys(STATUS_OF));
export const DAY_MS = 86_400_000;
/** The JWKS is public and may be cached a while (how long is the server's choice). */
const KEYS_CACHE = /^public, max-age=\d+$/;
const JWK_MEMBERS = "alg,crv,kid,kty,use,x,y";

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
  /\b(?:ims_tokens|ims_assertion_ids|service_credentials|service_credential_keys|signing_keys)\b/,
  /secret_hash|secretHash|secret_ciphertext|lookupHash/,
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
  pathname: string;
  /** Everything the request carried, to tell an echo of its own junk from a leak. */
  requestText: string;
  /** Values no answer may show: server secrets, every client secret and private key handed out. */
  secrets: { label: string; value: string }[];
  /** The client_secret and jwt_token values this request sent (and the parts of each JWT): never echoed. */
  sent: { label: string; value: string }[];
  limitsOn: boolean;
}

/** The body of an answer, when it is JSON. */
export function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function answerProblems(a: Answer, ctx: AnswerContext): string[] {
  const problems: string[] = [];
  const { res, text } = a;
  const status = res.status;
  const op = operationAt(ctx.pathname);
  const underIms = ctx.pathname.startsWith("/ims/");
  const method = ctx.method === "HEAD" ? "GET" : ctx.method;
  if (!ALLOWED_STATUSES.has(status)) problems.push(`status ${status}`);
  if (status === 429 && !ctx.limitsOn) problems.push("a 429 with the limits off");
  const type = res.headers.get("content-type");
  if (!type?.toLowerCase().startsWith("application/json")) problems.push(`content-type ${type}`);

  // Routing comes after reading the parameters (a malformed body is a 400 anywhere).
  if (underIms) {
    if (op === null) {
      if (![400, 404].includes(status)) problems.push(`no IMS operation is at ${ctx.pathname.slice(0, 100)}, yet it answered ${status}`);
    } else if (method !== METHOD_OF[op]) {
      if (![400, 405].includes(status)) problems.push(`${ctx.method} on ${op} answered ${status}, not 405`);
    } else if (op === "keys") {
      if (![200, 400].includes(status)) problems.push(`${ctx.method} /ims/keys answered ${status}`);
    } else if (status === 404 || status === 405) {
      problems.push(`POST on ${op} answered ${status}`);
    }
  }

  const body = parsed(text);
  if (body === undefined) problems.push("the body is not JSON");
  else if (status >= 400) {
    const keys = isPlainObject(body) ? Object.keys(body).sort().join(",") : "";
    const error = isPlainObject(body) ? body.error : undefined;
    const description = isPlainObject(body) ? body.error_description : undefined;
    if (keys !== "error,error_description" || typeof error !== "string" || typeof description !== "string") {
      problems.push(`a ${status} body is not exactly {"error": string, "error_description": string}`);
    } else {
      if (!ERROR_CODES.has(error)) problems.push(`error code ${JSON.stringify(error)} is not an IMS code`);
      else if (STATUS_OF[error as ErrorCode] !== status) problems.push(`error ${error} with status ${status} (it goes with ${STATUS_OF[error as ErrorCode]})`);
      if (description.trim() === "") problems.push("an empty error_description");
    }
  } else if (status === 200) {
    problems.push(...successShape(body, op));
  }

  const cache = res.headers.get("cache-control");
  if (op === "keys" && status === 200 ? !KEYS_CACHE.test(cache ?? "") : cache !== "no-store") problems.push(`Cache-Control ${JSON.stringify(cache)} on a ${status} from ${op ?? "an unknown path"}`);
  // RFC 9110 15.5.6: a 405 names the methods the path allows.
  const allow = res.headers.get("allow");
  if (status === 405 && (op === null || !allow?.split(/,\s*/).includes(METHOD_OF[op]))) problems.push(`a 405 with Allow ${JSON.stringify(allow)}`);
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter !== null && !/^\d+$/.test(retryAfter)) problems.push(`Retry-After ${JSON.stringify(retryAfter)}`);
  if (status === 429 && retryAfter === null) problems.push("a 429 without Retry-After");

  problems.push(...leaks(text, res.headers, ctx));
  return problems;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function successShape(body: unknown, op: ReturnType<typeof operationAt>): string[] {
  if (!isPlainObject(body)) return ["a 200 body is not an object"];
  const keys = Object.keys(body).sort().join(",");
  const problems: string[] = [];
  switch (op) {
    case "exchange":
    case "token": {
      if (keys !== "access_token,expires_in,token_type") problems.push(`a 200 from ${op} has the members ${keys}`);
      if (body.token_type !== "bearer") problems.push(`token_type ${JSON.stringify(body.token_type)}`);
      const expires = op === "exchange" ? DAY_MS : DAY_MS / 1000 - 1;
      if (body.expires_in !== expires) problems.push(`expires_in ${JSON.stringify(body.expires_in)}, not ${expires}`);
      if (typeof body.access_token !== "string" || !JWT_SHAPE.test(body.access_token)) problems.push(`access_token ${JSON.stringify(body.access_token)?.slice(0, 100)}`);
      return problems;
    }
    case "keys": {
      if (keys !== "keys" || !Array.isArray(body.keys) || body.keys.length === 0) return [`the JWKS is ${JSON.stringify(body).slice(0, 200)}`];
      for (const k of body.keys as unknown[]) {
        if (!isPlainObject(k) || Object.keys(k).sort().join(",") !== JWK_MEMBERS) problems.push(`a JWKS key has the members ${isPlainObject(k) ? Object.keys(k).join(",") : typeof k}`);
        else if (k.kty !== "EC" || k.crv !== "P-256" || k.alg !== "ES256" || k.use !== "sig" || typeof k.x !== "string" || typeof k.y !== "string" || typeof k.kid !== "string") {
          problems.push(`a JWKS key is ${JSON.stringify(k)}`);
        }
      }
      return problems;
    }
    default:
      return ["a 200 from a path with no IMS operation"];
  }
}

function leaks(text: string, headers: Headers, ctx: AnswerContext): string[] {
  const problems: string[] = [];
  const shown = [text, ...[...headers.entries()].map(([k, v]) => `${k}: ${v}`)].join("\n");
  for (const pattern of LEAK_PATTERNS) {
    const m = pattern.exec(shown);
    // An error message may quote the request's own junk (its path); only text the request lacks counts.
    if (m && !ctx.requestText.includes(m[0])) problems.push(`the answer looks like a stack trace, a file path, SQL or a key: ${JSON.stringify(m[0])}`);
  }
  for (const s of ctx.secrets) if (s.value && shown.includes(s.value)) problems.push(`the answer contains ${s.label}`);
  for (const s of ctx.sent) if (shown.includes(s.value)) problems.push(`the answer echoes ${s.label}`);
  return problems;
}
