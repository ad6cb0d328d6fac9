/**
 * Verifying the JWT a client exchanges for an access token in the OAuth2 JWT flow (RFC 7523 style):
 * an RS256 compact JWS signed with the private half of a public key the client registered, naming the
 * instance's Customer ID as iss and the key's owner as sub. Pure: the caller passes the client's keys and the clock.
 *
 * Only format and algorithm errors are reported before the signature verifies, so an unsigned or
 * forged token learns nothing about which claims would have passed. Keys come only from `keys`: the
 * jku, x5u, x5c and jwk headers are never read, so a token cannot bring its own key.
 */
import { describeDuration, firstVerifyingKey, MAX_KEYS_TRIED, NOT_COMPACT, parseJsonObject, readRs256Compact } from "./jws-parts";

export interface AssertionKey {
  id: string;
  spkiPem: string;
  thumbprint: string;
  /** The user who registered the key: the only accepted sub. */
  createdBy: string;
}

export interface AssertionExpectations {
  /** The only accepted iss: the instance's Customer ID (shown on the application's page). */
  issuer: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** How far ahead exp may be (24 hours for the JWT flow). */
  maxLifetimeMs: number;
}

export interface VerifiedAssertion {
  key: AssertionKey;
  subject: string;
  issuer: string;
  /** exp in milliseconds since the epoch. */
  expiresAt: number;
  jti: string | null;
  claims: Record<string, unknown>;
}

export type AssertionReason =
  | "malformed"
  | "algorithm"
  | "unknown_key"
  | "signature"
  | "expired"
  | "missing_exp"
  | "too_far_ahead"
  | "not_yet_valid"
  | "issuer"
  | "subject"
  | "jti";

/** A refused assertion. The message is safe to show the client: it never echoes the token. */
export class AssertionRejected extends Error {
  constructor(
    readonly reason: AssertionReason,
    message: string,
  ) {
    super(message);
    this.name = "AssertionRejected";
  }
}

export { MAX_ASSERTION_CHARS, MAX_KEYS_TRIED } from "./jws-parts";
const NBF_SKEW_MS = 60_000;
const MAX_JTI_CHARS = 255;

const reject = (reason: AssertionReason, message: string) => new AssertionRejected(reason, message);
const malformed = (message = NOT_COMPACT) => reject("malformed", message);

export async function verifyJwtAssertion(token: string, keys: readonly AssertionKey[], expect: AssertionExpectations): Promise<VerifiedAssertion> {
  const read = readRs256Compact(token);
  if ("reason" in read) throw reject(read.reason, read.message);
  const { header, payloadPart } = read;

  const candidates = selectKeys(header.kid, keys);
  const key = await firstVerifyingKey(token, candidates);
  if (!key) throw reject("signature", "The JWT's signature does not match any public key registered for this client.");

  const claims = parseJsonObject(payloadPart);
  if (!claims) throw malformed("The JWT payload is not a JSON object.");
  return checkClaims(claims, key, expect);
}

function selectKeys(kid: unknown, keys: readonly AssertionKey[]): readonly AssertionKey[] {
  if (kid === undefined) {
    if (keys.length === 0) throw reject("unknown_key", "No public key is registered for this client.");
    return keys.slice(0, MAX_KEYS_TRIED);
  }
  const key = typeof kid === "string" ? keys.find((k) => k.id === kid || k.thumbprint === kid) : undefined;
  if (!key) throw reject("unknown_key", "The JWT's kid does not name a public key registered for this client.");
  return [key];
}

function checkClaims(claims: Record<string, unknown>, key: AssertionKey, expect: AssertionExpectations): VerifiedAssertion {
  const { exp, nbf, iss, sub, jti } = claims;
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw reject("missing_exp", "The JWT must have an exp claim: a number of seconds since the epoch.");
  const expiresAt = exp * 1000;
  if (expiresAt <= expect.now) throw reject("expired", "The JWT's exp is in the past.");
  if (expiresAt - expect.now > expect.maxLifetimeMs) {
    throw reject("too_far_ahead", `The JWT's exp is more than ${describeDuration(expect.maxLifetimeMs)} in the future.`);
  }
  if (nbf !== undefined) {
    if (typeof nbf !== "number" || !Number.isFinite(nbf)) throw reject("not_yet_valid", "The JWT's nbf must be a number of seconds since the epoch.");
    if (nbf * 1000 > expect.now + NBF_SKEW_MS) throw reject("not_yet_valid", "The JWT's nbf is in the future.");
  }
  if (iss !== expect.issuer) throw reject("issuer", "The JWT's iss must be the Customer ID shown on the application's page.");
  if (sub !== key.createdBy) throw reject("subject", "The JWT's sub must be the ID of the user who registered its public key.");
  if (jti !== undefined && (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_CHARS)) {
    throw reject("jti", `The JWT's jti must be a non-empty string of at most ${MAX_JTI_CHARS} characters.`);
  }
  return { key, subject: key.createdBy, issuer: expect.issuer, expiresAt, jti: typeof jti === "string" ? jti : null, claims };
}
