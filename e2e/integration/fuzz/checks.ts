/** The checks on each answer: status, JSON envelope, no internals or secrets shown; and whether a request only reads. */
import { addQueryString, Params } from "../../../lib/http/params";
import type { Secret } from "./secrets";

/** The one 5xx the API may give: the documented answer to a refused X.509 certificate. */
const UNTRUSTED_MESSAGE = "Untrusted request. Please contact your system administrator and attach certificate.";

/** Keys that would only appear if a runtime object, a settings object or a stored secret leaked. */
const FORBIDDEN_KEYS = new Set([
  "rt",
  "runtime",
  "settings",
  "databasePath",
  "dataDir",
  "secret",
  "keys",
  "lookup",
  "encryption",
  "encryptionKey",
  "lookupKey",
  "cookie",
  "fingerprint",
  "secretFingerprint",
  "adminUsername",
  "adminPassword",
  "scryptLogN",
  "sessionIdleMs",
  "trustProxy",
  "publicUrl",
  "store",
  "clock",
  "bootstrap",
  "createdAdmin",
  "generatedPassword",
  "customerId",
  "meta",
  "actor",
  "password",
  "passwordHash",
  "password_hash",
  "lookupHash",
  "lookup_hash",
  "idHash",
  "id_hash",
  "ciphertext",
  "failedLogins",
  "lockedUntil",
  "limiter",
  "limits",
  "lockedAttempts",
  "stack",
]);

/** Text that betrays a stack trace or the server's files. */
const TRACE_PATTERNS = [/ {4}at /, /\bat [^\s"]+ \(/, /\/work\//, /\.ts:\d*/, /\.m?js:\d+/, /node_modules/, /file:\/\//, /\/tmp\/keyward-/];

function collectKeys(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectKeys(x, out);
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      collectKeys(x, out);
    }
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What is wrong with a response's status, envelope and content (empty when nothing). */
export function responseProblems(res: Response, text: string, requestText: string, secrets: Secret[]): string[] {
  const problems: string[] = [];
  const status = res.status;
  const type = res.headers.get("content-type");
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter !== null && !/^\d+$/.test(retryAfter)) problems.push(`Retry-After is not a whole number of seconds: ${JSON.stringify(retryAfter)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push("the body is not JSON");
  }
  const error = isPlainObject(parsed) && isPlainObject(parsed.error) ? parsed.error : undefined;
  const untrusted = status === 500 && error?.message === UNTRUSTED_MESSAGE;
  if (!((status >= 200 && status < 300) || (status >= 400 && status < 500) || untrusted)) problems.push(`status ${status}`);
  if (!type?.toLowerCase().startsWith("application/json")) problems.push(`content-type ${type}`);
  if (parsed !== undefined) {
    const keys = isPlainObject(parsed) ? Object.keys(parsed) : [];
    if (status < 300) {
      if (keys.length !== 1 || keys[0] !== "data") problems.push(`a ${status} body is not {"data": ...}`);
    } else if (keys.length !== 1 || keys[0] !== "error" || typeof error?.class !== "string" || typeof error?.message !== "string") {
      problems.push(`a ${status} body is not {"error": {"class": string, "message": string}}`);
    }
    const all = new Set<string>();
    collectKeys(parsed, all);
    const leakedKeys = [...all].filter((k) => FORBIDDEN_KEYS.has(k));
    if (leakedKeys.length > 0) problems.push(`the body has internal keys: ${leakedKeys.join(", ")}`);
  }
  for (const pattern of TRACE_PATTERNS) {
    const m = pattern.exec(text);
    // An error message may quote the request's own junk back; only text the request lacks counts.
    if (m && !requestText.includes(m[0])) problems.push(`the body looks like a stack trace or file path: ${JSON.stringify(m[0])}`);
  }
  for (const s of secrets) if (s.value && text.includes(s.value)) problems.push(`the body contains ${s.label}`);
  return problems;
}

/** GET or HEAD without `method=` in the query: the handler treats it as a read. */
export function isRead(method: string, search: string): boolean {
  if (!["GET", "HEAD"].includes(method.toUpperCase())) return false;
  const params = new Params();
  try {
    addQueryString(params, search.slice(1));
  } catch {
    return false;
  }
  return params.getCI("method") === undefined;
}
