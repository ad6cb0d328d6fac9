/** The vendor REST envelope: `{"data": ...}` on success, `{"error": {"class","message"}}` on failure. */
import { AppError, type ErrorKind } from "../errors";
import { jsonResponse } from "../http/json-response";

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

const ERROR_CLASS: Record<ErrorKind, string> = {
  invalid_request: "java.lang.IllegalArgumentException",
  unauthorized: "com.attask.common.AuthenticationException",
  forbidden: "com.attask.common.SecurityException",
  not_found: "com.attask.common.NotFoundException",
  conflict: "com.attask.common.ConflictException",
  rate_limited: "com.attask.common.AuthenticationException",
  untrusted: "com.attask.common.AuthenticationException",
  unavailable: "com.attask.common.ServiceUnavailableException",
  internal: "com.attask.common.InternalException",
};

export function restData(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return jsonResponse({ data }, init.status ?? 200, init.headers ? { ...JSON_HEADERS, ...init.headers } : JSON_HEADERS);
}

/** Renders any thrown value; unexpected errors become a generic 500 without internals. */
export function restError(e: unknown): Response {
  let status = 500;
  let cls = ERROR_CLASS.internal;
  let message = "An unexpected error occurred.";
  let headers: Record<string, string> = JSON_HEADERS;
  if (e instanceof AppError) {
    status = e.status;
    cls = ERROR_CLASS[e.kind];
    message = e.message;
    if (e.retryAfter !== undefined) headers = { ...JSON_HEADERS, "retry-after": String(e.retryAfter) };
  } else {
    console.error("keyward: unexpected error on the REST API:", e instanceof Error ? e.stack : e);
  }
  return jsonResponse({ error: { class: cls, message, title: message } }, status, headers);
}
