/**
 * IMS errors, named after the codes the vendor's token service answers with (and @adobe/jwt-auth
 * surfaces as its error's code). Members of the one AppError hierarchy, with the IMS `error` beside.
 */
import { AppError, type ErrorKind } from "../errors";

export type ImsErrorCode =
  | "invalid_client"
  | "invalid_token"
  | "invalid_signature"
  | "invalid_scope"
  | "bad_request"
  | "unsupported_grant_type"
  | "method_not_allowed"
  | "not_found"
  | "too_many_requests"
  | "server_busy";

export class ImsError extends AppError {
  readonly code: ImsErrorCode;
  constructor(code: ImsErrorCode, kind: ErrorKind, status: number, description: string) {
    super(kind, status, description);
    this.code = code;
  }
}

/** Unknown client, wrong or missing secret, a revoked credential, or a side (JWT, server-to-server) it does not have. Always 401. */
export class ImsInvalidClient extends ImsError {
  constructor(description = "Client authentication failed: unknown client ID or wrong client secret.") {
    super("invalid_client", "unauthorized", 401, description);
  }
}

/** The JWT is malformed, expired, too long-lived, or names the wrong org, account or audience. */
export class ImsInvalidToken extends ImsError {
  constructor(description: string) {
    super("invalid_token", "invalid_request", 400, description);
  }
}

/** The JWT is unsigned, signed with another algorithm, or no certificate of the credential verifies it. */
export class ImsInvalidSignature extends ImsError {
  constructor(description: string) {
    super("invalid_signature", "invalid_request", 400, description);
  }
}

/** No metascope, or one the credential is not granted. */
export class ImsInvalidScope extends ImsError {
  constructor(description: string) {
    super("invalid_scope", "invalid_request", 400, description);
  }
}

/** A missing, repeated or malformed parameter. */
export class ImsBadRequest extends ImsError {
  constructor(description: string) {
    super("bad_request", "invalid_request", 400, description);
  }
}

export class ImsUnsupportedGrantType extends ImsError {
  constructor(description: string) {
    super("unsupported_grant_type", "invalid_request", 400, description);
  }
}

/** A 405, with the methods the path allows (sent as the Allow header, which RFC 9110 requires on a 405). */
export class ImsMethodNotAllowed extends ImsError {
  readonly allow: string;
  constructor(allowed: "GET" | "POST") {
    super("method_not_allowed", "invalid_request", 405, `Use ${allowed}.`);
    this.allow = allowed === "GET" ? "GET, HEAD" : allowed;
  }
}
