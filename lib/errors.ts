/**
 * The one error hierarchy. Services throw these; each transport (vendor REST envelope, OAuth JSON,
 * console forms) renders them through its own single renderer.
 */
export type ErrorKind =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "untrusted"
  | "unavailable"
  | "internal";

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly status: number;
  /** Seconds the client should wait before trying again (sent as Retry-After). */
  readonly retryAfter?: number;
  constructor(kind: ErrorKind, status: number, message: string, retryAfter?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.name = new.target.name;
    if (retryAfter !== undefined) this.retryAfter = Math.max(1, Math.ceil(retryAfter));
  }
}

/** Bad parameters, unknown fields, malformed JSON: 400. */
export class InvalidRequest extends AppError {
  constructor(message: string) {
    super("invalid_request", 400, message);
  }
}

export const NOT_LOGGED_IN = "You are not currently logged in.";

/** Missing, unknown or expired credential, or a wrong password: 401. */
export class Unauthorized extends AppError {
  constructor(message: string = NOT_LOGGED_IN) {
    super("unauthorized", 401, message);
  }
}

/** Authenticated but not allowed: 403. */
export class Forbidden extends AppError {
  constructor(message = "You do not have permission to perform this action.") {
    super("forbidden", 403, message);
  }
}

export class NotFound extends AppError {
  constructor(message: string) {
    super("not_found", 404, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super("conflict", 409, message);
  }
}

/** Too many attempts (lockout or rate limit): 429 with Retry-After. */
export class RateLimited extends AppError {
  constructor(message: string, retryAfterSeconds?: number) {
    super("rate_limited", 429, message, retryAfterSeconds);
  }
}

/** The server is at capacity for this kind of work (e.g. password hashing): 503 with Retry-After. */
export class ServiceBusy extends AppError {
  constructor(message = "The server is busy. Try again in a moment.", retryAfterSeconds = 1) {
    super("unavailable", 503, message, retryAfterSeconds);
  }
}

/** A request the instance's policy refuses outright (the vendor answers these with 500). */
export class UntrustedRequest extends AppError {
  constructor(message: string) {
    super("untrusted", 500, message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
