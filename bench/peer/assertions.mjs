// Pools of pre-signed JWTs for the load generator. A server that rejects a replayed jti (the peer's
// private_key_jwt client authentication, Keyward's token exchange) needs a fresh JWT per request, and
// signing one costs far more than the load generator may spend per request, so they are all signed
// before the run and handed out one per request (see rotatingRequests). Keyward's IMS exchange takes
// JWTs without a jti, which it would accept again; its pool is made of distinct JWTs all the same
// (imsExchangePool).
//
// Signing uses jose, which runs RS256 through WebCrypto on libuv's thread pool: on two cores about
// 4,500 signatures per second, so a pool of 40,000 takes about 9 s (and about 30 MB as strings).
import { createPrivateKey, randomUUID } from "node:crypto";
import { importJWK, importPKCS8, SignJWT } from "jose";

export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Signing, this many at a time, is cut off after this long. */
const SIGN_TIMEOUT_MS = 180_000;
const SIGN_CONCURRENCY = 64;
const MAX_POOL = 1_000_000;

/**
 * A signing key from what a caller has at hand: a private JWK object (as the peer writes it), a PKCS#8
 * or PKCS#1 PEM string (a service credential's bundle has PKCS#1), or a KeyObject / CryptoKey
 * (returned as is).
 */
export async function importPrivateKey(privateKey, alg = "RS256") {
  if (typeof privateKey === "string" && privateKey.includes("-----BEGIN RSA PRIVATE KEY-----")) {
    return importPKCS8(createPrivateKey(privateKey).export({ type: "pkcs8", format: "pem" }), alg);
  }
  if (typeof privateKey === "string") return importPKCS8(privateKey, alg);
  if (privateKey && typeof privateKey === "object" && "kty" in privateKey) return importJWK({ ...privateKey, alg }, alg);
  if (!privateKey) throw new Error("a private key is required");
  return privateKey;
}

/**
 * Returns `sign(i)` producing the i-th JWT: the claims from `claims(i)` (an object, or a function of i),
 * plus `iat` now, `exp` `expiresIn` seconds ahead and a random `jti`, unless the claims set them.
 */
export async function jwtSigner({ privateKey, alg = "RS256", kid, claims = {}, expiresIn = 600 }) {
  const key = await importPrivateKey(privateKey, alg);
  const header = kid ? { alg, kid } : { alg };
  const claimsOf = typeof claims === "function" ? claims : () => claims;
  return async (i) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iat: now, exp: now + expiresIn, jti: randomUUID(), ...claimsOf(i) };
    return new SignJWT(payload).setProtectedHeader(header).sign(key);
  };
}

/**
 * `count` results of `sign(i)` (i = 0 .. count-1), in order, at most `concurrency` in flight. Rejects
 * when signing takes longer than `timeoutMs`, or when two results are equal (a pool whose entries
 * repeat would be refused as replays).
 */
export async function signedAssertionPool({ count, sign, concurrency = SIGN_CONCURRENCY, timeoutMs = SIGN_TIMEOUT_MS }) {
  if (!Number.isInteger(count) || count < 1 || count > MAX_POOL) throw new Error(`count must be an integer from 1 to ${MAX_POOL}`);
  if (typeof sign !== "function") throw new Error("sign must be a function of the index");
  const out = new Array(count);
  const deadline = Date.now() + timeoutMs;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      if (Date.now() > deadline) throw new Error(`signing ${count} JWTs took longer than ${timeoutMs / 1000} s (${next} done)`);
      const i = next++;
      out[i] = await sign(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (new Set(out).size !== count) throw new Error("the pool has repeated entries");
  return out;
}

/**
 * urlencoded token requests for the peer's client_credentials grant with private_key_jwt:
 * `grant_type=client_credentials&client_assertion_type=...&client_assertion=<RS256 JWT>`, each JWT with
 * `iss` = `sub` = clientId, `aud` = tokenEndpoint and its own `jti`. `privateKey` and `kid` are the peer
 * file's `privateKeyJwt.privateJwk` and `privateKeyJwt.kid`. Returns an array of `count` strings.
 */
export async function peerAssertionPool({ tokenEndpoint, clientId, privateKey, kid, count, expiresIn = 600, scope, ...opts }) {
  if (!tokenEndpoint || !clientId) throw new Error("tokenEndpoint and clientId are required");
  const sign = await jwtSigner({ privateKey, kid, expiresIn, claims: { iss: clientId, sub: clientId, aud: tokenEndpoint } });
  const fixed = new URLSearchParams({ grant_type: "client_credentials", client_assertion_type: JWT_BEARER_ASSERTION_TYPE });
  if (scope) fixed.set("scope", scope);
  const prefix = `${fixed.toString()}&client_assertion=`;
  // A JWT is base64url and dots: nothing in it needs escaping in a urlencoded body.
  return signedAssertionPool({ count, sign: async (i) => prefix + (await sign(i)), ...opts });
}

/**
 * urlencoded bodies for Keyward's token exchange: `client_id`, `client_secret`, `jwt_token` (RS256, `iss`
 * = issuer (the customer id), `sub` = subject (a user id, or a function of i), its own `jti`, `exp`
 * `expiresIn` seconds ahead: at most 24 h). `claims` adds more claims (object or function of i).
 */
export async function exchangeAssertionPool({ clientId, clientSecret, issuer, subject, privateKey, kid, count, expiresIn = 3600, claims, ...opts }) {
  if (expiresIn > 86_400) throw new Error("the exchange accepts jwt_token expiring at most 24 h ahead");
  const subOf = typeof subject === "function" ? subject : () => subject;
  const extraOf = typeof claims === "function" ? claims : () => claims ?? {};
  const sign = await jwtSigner({ privateKey, kid, expiresIn, claims: (i) => ({ iss: issuer, sub: subOf(i), ...extraOf(i) }) });
  const prefix = `${new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString()}&jwt_token=`;
  return signedAssertionPool({ count, sign: async (i) => prefix + (await sign(i)), ...opts });
}

/** The boundary of the IMS exchange's multipart bodies: form-data's shape (26 dashes, 24 digits), fixed. */
export const IMS_MULTIPART_BOUNDARY = "--------------------------584072931605218347902615";

/** The Content-Type of the bodies `imsExchangePool` makes in `format`. */
export const imsExchangeContentType = (format = "multipart") =>
  format === "multipart" ? `multipart/form-data; boundary=${IMS_MULTIPART_BOUNDARY}` : "application/x-www-form-urlencoded";

/** A multipart/form-data body of string fields, byte for byte as the form-data package writes it. */
export function multipartBody(fields, boundary = IMS_MULTIPART_BOUNDARY) {
  let out = "";
  for (const [name, value] of Object.entries(fields)) {
    out += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}

/**
 * Bodies for Keyward's POST /ims/exchange/jwt, as @adobe/jwt-auth sends them: `client_id`,
 * `client_secret` and `jwt_token` as multipart/form-data (`format: "urlencoded"` for the other form the
 * endpoint takes). The JWT is the package's: header `{alg: RS256, typ: JWT}` (no kid), claims `exp`,
 * `iss` = org, `sub` = technicalAccountId, `aud` = `${imsBase}/c/${clientId}`, one
 * `${imsBase}/s/${metascope}: true` per metascope, then `iat` (jsonwebtoken adds it), and no `jti`.
 *
 * Without a jti the exchange accepts the same JWT again, so the pool would work with repeats; its
 * JWTs are made distinct anyway, so no request is answered from anything cached by an earlier one:
 * `exp` runs over `expSpread` seconds from `minLifetime` ahead, and once those are used `iat` steps
 * one second back. With the defaults every exp stays within the exchange's 24 h limit for any pool
 * up to MAX_POOL.
 */
export async function imsExchangePool({
  clientId,
  clientSecret,
  org,
  technicalAccountId,
  privateKey,
  imsBase,
  metascopes,
  count,
  format = "multipart",
  minLifetime = 600,
  expSpread = 43_200,
  ...opts
}) {
  if (!clientId || !clientSecret || !org || !technicalAccountId || !imsBase) throw new Error("clientId, clientSecret, org, technicalAccountId and imsBase are required");
  if (!Array.isArray(metascopes) || metascopes.length === 0) throw new Error("at least one metascope is required");
  if (minLifetime + expSpread > 86_400) throw new Error("the exchange accepts jwt_token expiring at most 24 h ahead");
  if (format !== "multipart" && format !== "urlencoded") throw new Error(`unknown body format ${format}`);
  const key = await importPrivateKey(privateKey, "RS256");
  const now = Math.floor(Date.now() / 1000);
  const scopeClaims = Object.fromEntries(metascopes.map((m) => [`${imsBase}/s/${m}`, true]));
  const aud = `${imsBase}/c/${clientId}`;
  const sign = (i) =>
    new SignJWT({ exp: now + minLifetime + (i % expSpread), iss: org, sub: technicalAccountId, aud, ...scopeClaims, iat: now - Math.floor(i / expSpread) })
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .sign(key);
  const body =
    format === "multipart"
      ? (jwt) => multipartBody({ client_id: clientId, client_secret: clientSecret, jwt_token: jwt })
      : (jwt) => `${new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString()}&jwt_token=${jwt}`;
  return signedAssertionPool({ count, sign: async (i) => body(await sign(i)), ...opts });
}

/**
 * The Basic-authenticated client_credentials request for the peer (no pool needed: nothing in it is
 * single-use). Spread into autocannon's options.
 */
export function peerBasicRequest({ tokenEndpoint, clientId, clientSecret }) {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
  return {
    url: tokenEndpoint,
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  };
}

/**
 * Hands out the pool's bodies one per request, in order, across every autocannon run it is given to
 * (warm-up and measured run share it). Spread `requests` into autocannon's options. Once the pool is
 * used up it starts over, so the server sees replays and refuses them: `stats().replayed` > 0 means the
 * pool was too small for the run. Each connection also takes one body when it starts.
 */
export function rotatingRequests(pool) {
  if (!Array.isArray(pool) || pool.length === 0) throw new Error("the pool is empty");
  let next = 0;
  return {
    requests: [{ setupRequest: (req) => ({ ...req, body: pool[next++ % pool.length] }) }],
    stats: () => ({ size: pool.length, used: Math.min(next, pool.length), replayed: Math.max(0, next - pool.length) }),
  };
}
