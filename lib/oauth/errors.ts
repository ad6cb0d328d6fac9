/**
 * OAuth errors, named after their RFC 6749 / 7009 / 7662 codes. They are part of the one AppError
 * hierarchy (a kind and a status for every other surface), with the OAuth `error` code beside.
 */
import { AppError, type ErrorKind } from "../errors";

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "unsupported_token_type"
  | "temporarily_unavailable";

export class OAuthError extends AppError {
  readonly code: OAuthErrorCode;
  /** Sent as `WWW-Authenticate` (invalid_client after an `Authorization: Basic` attempt, RFC 6749 5.2). */
  readonly challenge?: string;
  constructor(code: OAuthErrorCode, kind: ErrorKind, status: number, description: string, challenge?: string) {
    super(kind, status, description);
    this.code = code;
    if (challenge !== undefined) this.challenge = challenge;
  }
}

/** A missing, repeated or malformed parameter. */
export class InvalidOAuthRequest extends OAuthError {
  constructor(description: string) {
    super("invalid_request", "invalid_request", 400, description);
  }
}

/** The client could not be authenticated: unknown client, wrong or missing secret. Always 401. */
export class InvalidClient extends OAuthError {
  constructor(description = "Client authentication failed.", challenge?: string) {
    super("invalid_client", "unauthorized", 401, description, challenge);
  }
}

/** The grant (assertion, code, refresh token) is invalid, expired, revoked or not this client's. */
export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super("invalid_grant", "invalid_request", 400, description);
  }
}

/** The authenticated client may not use this grant (e.g. a web app on the JWT exchange). */
export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super("unauthorized_client", "forbidden", 400, description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super("unsupported_grant_type", "invalid_request", 400, description);
  }
}

/** A known OAuth path called with a method it does not answer. */
export class MethodNotAllowed extends OAuthError {
  /** Sent as the Allow header, which RFC 9110 requires on a 405. */
  readonly allow: string;
  constructor(allowed: string) {
    super("invalid_request", "invalid_request", 405, `Use ${allowed}.`);
    this.allow = allowed === "GET" ? "GET, HEAD" : allowed;
  }
}

export const isOAuthError = (e: unknown): e is OAuthError => e instanceof OAuthError;
