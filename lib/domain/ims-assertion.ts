/**
 * Verifying the JWT a service credential exchanges at POST /ims/exchange/jwt: the vendor's
 * server-to-server "JWT bearer" credential, as @adobe/jwt-auth builds it. An RS256 compact JWS with
 * exp (integer seconds), iss = the organization ID, sub = the technical account ID,
 * aud = `${ims}/c/${clientId}` and one `${ims}/s/${metascope}: true` claim per requested metascope.
 * It has no kid and no jti, so every current key of the credential is tried. Pure: the caller passes
 * the keys and the clock.
 *
 * As in the JWT-flow verifier, only format and algorithm errors are reported before the signature
 * verifies, and keys come only from `keys`: the jwk, jku, x5u and x5c headers are never read.
 */
import { quotableMetascope } from "./service-credential";
import { describeDuration, firstVerifyingKey, NOT_COMPACT, parseJsonObject, readRs256Compact } from "./jws-parts";

export interface ImsCredentialKey {
  id: string;
  spkiPem: string;
  /** Milliseconds since the epoch: the certificate's expiry. A key is not used after it. */
  notAfter: number;
}

export interface ImsExpectations {
  /** The only accepted iss: the organization ID. */
  org: string;
  /** The only accepted sub. */
  technicalAccountId: string;
  /** aud must end with `/c/${clientId}`. */
  clientId: string;
  /** The metascopes granted to the credential. */
  scopes: readonly string[];
  /** Milliseconds since the epoch. */
  now: number;
  /** How far ahead exp may be (24 hours). */
  maxLifetimeMs: number;
}

export interface VerifiedImsAssertion {
  key: ImsCredentialKey;
  /** The granted metascopes the JWT names, in claim order, without repeats. */
  scopes: string[];
  /** exp in milliseconds since the epoch. */
  expiresAt: number;
  jti: string | null;
}

export type ImsAssertionReason =
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "missing_exp"
  | "too_far_ahead"
  | "issuer"
  | "subject"
  | "audience"
  | "no_scope"
  | "scope_not_granted"
  | "certificate_expired"
  | "jti";

/** A refused assertion. The message is safe to show the client: it never echoes the token. */
export class ImsAssertionRejected extends Error {
  constructor(
    readonly reason: ImsAssertionReason,
    message: string,
  ) {
    super(message);
    this.name = "ImsAssertionRejected";
  }
}

const MAX_JTI_CHARS = 255;
/** A metascope claim: any base URL, then /s/ and the metascope as the last path segment. */
const METASCOPE_CLAIM = /\/s\/([^/]+)$/;

const reject = (reason: ImsAssertionReason, message: string) => new ImsAssertionRejected(reason, message);
const malformed = (message = NOT_COMPACT) => reject("malformed", message);

export async function verifyImsAssertion(token: string, keys: readonly ImsCredentialKey[], expect: ImsExpectations): Promise<VerifiedImsAssertion> {
  const read = readRs256Compact(token);
  if ("reason" in read) throw reject(read.reason, read.message);
  const { payloadPart } = read;

  // X.509 validity includes notAfter itself; a NaN expiry counts as expired.
  const current = keys.filter((k) => k.notAfter >= expect.now);
  const key = await firstVerifyingKey(token, current);
  if (!key) {
    const expired = keys.filter((k) => !(k.notAfter >= expect.now));
    if (await firstVerifyingKey(token, expired)) {
      throw reject("certificate_expired", "The JWT is signed with a key whose certificate has expired. Upload a new certificate for this credential.");
    }
    throw reject("signature", "The JWT's signature does not match any current certificate of this credential.");
  }

  const claims = parseJsonObject(payloadPart);
  if (!claims) throw malformed("The JWT payload is not a JSON object.");
  return checkClaims(claims, key, expect);
}

function checkClaims(claims: Record<string, unknown>, key: ImsCredentialKey, expect: ImsExpectations): VerifiedImsAssertion {
  const { exp, iss, sub, aud, jti } = claims;
  if (typeof exp !== "number" || !Number.isInteger(exp)) {
    throw reject("missing_exp", "The JWT must have an exp claim: a whole number of seconds since the epoch.");
  }
  const expiresAt = exp * 1000;
  if (expiresAt <= expect.now) throw reject("expired", "The JWT's exp is in the past.");
  if (expiresAt - expect.now > expect.maxLifetimeMs) {
    throw reject("too_far_ahead", `The JWT's exp is more than ${describeDuration(expect.maxLifetimeMs)} in the future.`);
  }
  if (iss !== expect.org) throw reject("issuer", "The JWT's iss must be the credential's organization ID.");
  if (sub !== expect.technicalAccountId) throw reject("subject", "The JWT's sub must be the credential's technical account ID.");
  if (typeof aud !== "string" || !aud.endsWith(`/c/${expect.clientId}`)) {
    throw reject("audience", "The JWT's aud must be the IMS base URL followed by /c/ and the credential's client ID.");
  }
  const scopes = metascopes(claims, expect.scopes);
  if (jti !== undefined && (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_CHARS)) {
    throw reject("jti", `The JWT's jti must be a non-empty string of at most ${MAX_JTI_CHARS} characters.`);
  }
  return { key, scopes, expiresAt, jti: typeof jti === "string" ? jti : null };
}

/** The metascopes named by claims whose value is exactly true; every one must be granted. */
function metascopes(claims: Record<string, unknown>, granted: readonly string[]): string[] {
  const named: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    const scope = value === true ? METASCOPE_CLAIM.exec(name)?.[1] : undefined;
    if (scope === undefined) continue;
    if (!granted.includes(scope)) {
      const which = quotableMetascope(scope) ? `metascope ${scope}` : "a metascope";
      throw reject("scope_not_granted", `The JWT names ${which} that is not granted to this credential.`);
    }
    if (!named.includes(scope)) named.push(scope);
  }
  if (named.length === 0) throw reject("no_scope", 'The JWT must name at least one metascope, as a claim "<IMS base URL>/s/<metascope>": true.');
  return named;
}
