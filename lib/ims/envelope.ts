/**
 * The IMS surface's one renderer: `{"error","error_description"}` on failure (both always present,
 * as @adobe/jwt-auth reads them), and `Cache-Control: no-store` on every answer.
 */
import { AppError, type ErrorKind } from "../errors";
import { jsonResponse } from "../http/json-response";
import { ImsError, ImsMethodNotAllowed, type ImsErrorCode } from "./errors";

const HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  pragma: "no-cache",
  "x-content-type-options": "nosniff",
};

/** Errors of the shared hierarchy thrown by shared code (body parsing, the rate limiter). */
const CODE_OF_KIND: Record<ErrorKind, ImsErrorCode> = {
  invalid_request: "bad_request",
  unauthorized: "invalid_client",
  forbidden: "invalid_client",
  not_found: "not_found",
  conflict: "bad_request",
  rate_limited: "too_many_requests",
  untrusted: "bad_request",
  unavailable: "server_busy",
  internal: "server_busy",
};

export function imsJson(body: unknown, status = 200, extra?: Record<string, string>): Response {
  return jsonResponse(body, status, extra ? { ...HEADERS, ...extra } : HEADERS);
}

/** Renders any thrown value; unexpected errors become a generic 500 without internals. */
export function imsError(e: unknown): Response {
  if (!(e instanceof AppError)) {
    console.error("keyward: unexpected error on the IMS API:", e instanceof Error ? e.stack : e);
    return imsJson({ error: "server_error", error_description: "An unexpected error occurred." }, 500);
  }
  const code = e instanceof ImsError ? e.code : CODE_OF_KIND[e.kind];
  const headers: Record<string, string> = {};
  if (e.retryAfter !== undefined) headers["retry-after"] = String(e.retryAfter);
  if (e instanceof ImsMethodNotAllowed) headers.allow = e.allow;
  return imsJson({ error: code, error_description: e.message }, e.status, headers);
}
