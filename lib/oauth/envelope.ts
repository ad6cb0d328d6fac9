/**
 * The OAuth surface's one renderer: RFC 6749 JSON, `{"error","error_description"}` on failure, and
 * `Cache-Control: no-store` on every answer (token responses carry credentials).
 */
import { AppError, type ErrorKind } from "../errors";
import { jsonResponse } from "../http/json-response";
import { MethodNotAllowed, OAuthError, type OAuthErrorCode } from "./errors";

const HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
  "x-content-type-options": "nosniff",
};

/** Errors of the shared hierarchy thrown by shared code (body parsing, the rate limiter, the hash gate). */
const CODE_OF_KIND: Record<ErrorKind, OAuthErrorCode> = {
  invalid_request: "invalid_request",
  unauthorized: "invalid_client",
  forbidden: "unauthorized_client",
  not_found: "invalid_request",
  conflict: "invalid_request",
  rate_limited: "temporarily_unavailable",
  untrusted: "invalid_request",
  unavailable: "temporarily_unavailable",
  internal: "temporarily_unavailable",
};

export function oauthJson(body: unknown, status = 200, extra?: Record<string, string>): Response {
  return jsonResponse(body, status, extra ? { ...HEADERS, ...extra } : HEADERS);
}

/** Renders any thrown value; unexpected errors become a generic 500 without internals. */
export function oauthError(e: unknown): Response {
  if (!(e instanceof AppError)) {
    console.error("keyward: unexpected error on the OAuth API:", e instanceof Error ? e.stack : e);
    return oauthJson({ error: "server_error", error_description: "An unexpected error occurred." }, 500);
  }
  const code = e instanceof OAuthError ? e.code : CODE_OF_KIND[e.kind];
  const headers: Record<string, string> = {};
  if (e.retryAfter !== undefined) headers["retry-after"] = String(e.retryAfter);
  if (e instanceof OAuthError && e.challenge) headers["www-authenticate"] = e.challenge;
  if (e instanceof MethodNotAllowed) headers.allow = e.allow;
  // A 404 or 405 from shared code keeps its status; everything else an OAuth client sees is 400/401/429/503.
  return oauthJson({ error: code, error_description: e.message }, e.status, headers);
}
