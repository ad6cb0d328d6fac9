/**
 * What the IMS suites share: service credentials made through Get Service Credentials, JWT assertions
 * signed from a bundle's private key as @adobe/jwt-auth signs them (and ways to spoil them), the IMS
 * handler called like a client (urlencoded or multipart), the REST calls that use the token it returns,
 * and the checks every IMS answer must pass.
 */
import { createPrivateKey, randomUUID, type KeyObject } from "node:crypto";
import { SignJWT, type JWTHeaderParameters } from "jose";
import { expect } from "vitest";
import { decrypt } from "../../lib/crypto/secrets";
import { tokenSigner, type TokenSigner } from "../../lib/crypto/ims-token";
import { handleImsRequest } from "../../lib/ims/handler";
import type { ServiceContext } from "../../lib/services/context";
import type { ServiceCredentialBundle } from "../../lib/services/service-credentials/bundle";
import { createServiceCredential, type CreateServiceCredentialInput } from "../../lib/services/service-credentials/create";
import { api, type TestAnswer, type TestRuntime } from "../../lib/testing/runtime";

export const IMS_BASE = "http://localhost:3000/ims";
export const EXCHANGE = "/exchange/jwt";
export const HOUR_S = 3600;
export const DAY_MS = 24 * 3_600_000;
export const WRITE_SCOPE = "ent_keyward_api";
export const READ_SCOPE = "ent_keyward_readonly_api";

/** A credential as its bundle describes it, with the private key parsed once. */
export interface Credential {
  bundle: ServiceCredentialBundle;
  clientId: string;
  secret: string;
  technicalAccountId: string;
  org: string;
  /** `https://<imsEndpoint>`: the base of aud and of the metascope claims, as the client library builds them. */
  ims: string;
  metascopes: string[];
  privateKeyPem: string;
  certificatePem: string;
  privateKey: KeyObject;
}

/** A credential from a bundle (the first one, or the one a refresh returned). */
export function credentialOf(bundle: ServiceCredentialBundle): Credential {
  const i = bundle.integration;
  if (!i.privateKey || !i.publicKey) throw new Error("a JWT credential's bundle has a key pair");
  return {
    bundle,
    clientId: i.technicalAccount.clientId,
    secret: i.technicalAccount.clientSecret,
    technicalAccountId: i.id,
    org: i.org,
    ims: `https://${i.imsEndpoint}`,
    metascopes: i.metascopes.split(","),
    privateKeyPem: i.privateKey,
    certificatePem: i.publicKey,
    // The bundle's key is PKCS #1 ("BEGIN RSA PRIVATE KEY"), which jose's importers do not read.
    privateKey: createPrivateKey(i.privateKey),
  };
}

/** Get Service Credentials (a JWT credential) as the context's administrator. */
export async function createCredential(ctx: ServiceContext, input: Partial<CreateServiceCredentialInput> = {}): Promise<Credential> {
  return credentialOf(await createServiceCredential(ctx, { name: "Integration", type: "jwt", ...input }));
}

export const nowSeconds = (rt: TestRuntime): number => Math.floor(rt.clock.now() / 1000);

/** The claims @adobe/jwt-auth signs for a credential: exp 5 minutes ahead, iss, sub, aud and one claim per metascope. */
export function claimsFor(rt: TestRuntime, cred: Credential, scopes: readonly string[] = cred.metascopes): Record<string, unknown> {
  return {
    exp: nowSeconds(rt) + 300,
    iss: cred.org,
    sub: cred.technicalAccountId,
    aud: `${cred.ims}/c/${cred.clientId}`,
    ...Object.fromEntries(scopes.map((s) => [`${cred.ims}/s/${s}`, true])),
  };
}

export interface AssertionOptions {
  /** Claims over the defaults; undefined drops one. */
  claims?: Record<string, unknown>;
  /** The metascope claims (default: every granted one). */
  scopes?: readonly string[];
  header?: Partial<JWTHeaderParameters>;
  alg?: string;
  /** Signs with this key instead of the credential's private key. */
  key?: KeyObject | Uint8Array;
  /** Adds a fresh jti. */
  jti?: boolean;
}

const withoutUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A JWT for the exchange: by default exactly what the exchange accepts for this credential. */
export async function signImsAssertion(rt: TestRuntime, cred: Credential, opts: AssertionOptions = {}): Promise<string> {
  const claims = withoutUndefined({ ...claimsFor(rt, cred, opts.scopes), ...(opts.jti ? { jti: randomUUID() } : {}), ...opts.claims });
  return new SignJWT(claims).setProtectedHeader({ typ: "JWT", ...opts.header, alg: opts.alg ?? "RS256" }).sign(opts.key ?? cred.privateKey);
}

const part = (o: unknown) => Buffer.from(typeof o === "string" ? o : JSON.stringify(o)).toString("base64url");

/** A compact JWT with the given header and claims and an empty (or the given) signature part. */
export function unsignedJwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ""): string {
  return `${part(header)}.${part(claims)}.${signature}`;
}

/** The decoded header or payload (0 or 1) of a compact JWT. */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The same token with its payload replaced, header and signature kept. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${part(payload)}.${signature}`;
}

export interface MultipartBody {
  body: string;
  contentType: string;
}

/** A multipart/form-data body of text fields, as form-data (the package @adobe/jwt-auth uses) writes it. */
export function multipartBody(fields: Record<string, string> | readonly (readonly [string, string])[], boundary = `----keyward${randomUUID().replace(/-/g, "")}`): MultipartBody {
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  let body = "";
  for (const [name, value] of entries) body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  body += `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface ImsCall {
  method?: string;
  headers?: Record<string, string>;
  /** An urlencoded body. */
  form?: Record<string, string>;
  /** A multipart body of these text fields. */
  multipart?: Record<string, string> | readonly (readonly [string, string])[];
  /** A raw body (set content-type in headers). */
  body?: string;
  ip?: string;
}

/** Calls the IMS handler the way a client would (POST unless told otherwise, or GET without a body). */
export async function imsApi(pathAndQuery: string, init: ImsCall = {}): Promise<TestAnswer> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (init.multipart) {
    const m = multipartBody(init.multipart);
    body = m.body;
    headers.set("content-type", m.contentType);
  }
  const url = pathAndQuery.startsWith("http") ? pathAndQuery : IMS_BASE + pathAndQuery;
  const method = init.method ?? (body === undefined ? "GET" : "POST");
  const res = await handleImsRequest(new Request(url, { method, headers, body }), init.ip === undefined ? undefined : { ip: init.ip });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export interface ExchangeForm extends Record<string, string> {
  client_id: string;
  client_secret: string;
  jwt_token: string;
}

export const exchangeForm = (cred: Pick<Credential, "clientId" | "secret">, jwt: string): ExchangeForm => ({
  client_id: cred.clientId,
  client_secret: cred.secret,
  jwt_token: jwt,
});

/** POSTs the exchange, urlencoded. */
export const exchange = (form: Record<string, string>, ip?: string) => imsApi(EXCHANGE, { form, ...(ip === undefined ? {} : { ip }) });

/** POSTs the exchange, multipart (as @adobe/jwt-auth does). */
export const exchangeMultipart = (fields: Record<string, string>, ip?: string) => imsApi(EXCHANGE, { multipart: fields, ...(ip === undefined ? {} : { ip }) });

/** An exchange that must succeed; its access token. */
export async function exchangeOk(rt: TestRuntime, cred: Credential, opts?: AssertionOptions): Promise<string> {
  const r = await exchange(exchangeForm(cred, await signImsAssertion(rt, cred, opts)));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.access_token as string;
}

/** An IMS error answer: its status, its code, a non-empty description and `Cache-Control: no-store`. */
export function expectImsError(r: TestAnswer, status: number, error: string): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: { error, error_description: expect.stringMatching(/\S/) } });
  expect(r.headers.get("cache-control")).toBe("no-store");
}

/** How many IMS tokens the exchange has issued (its audit events). */
export async function issuedCount(rt: TestRuntime): Promise<number> {
  return (await rt.store.audit.list({ action: "ims_token.issue", limit: 1000 })).length;
}

/** Live token rows per credential. */
export const liveTokens = (rt: TestRuntime) => rt.store.serviceCredentials.usage(rt.clock.now());

/** Nothing was issued: no audit event and no live token row. */
export async function expectNothingIssued(rt: TestRuntime): Promise<void> {
  expect(await issuedCount(rt)).toBe(0);
  expect(await liveTokens(rt)).toEqual([]);
}

export const SEARCH = "/project/search";

/** A REST project search with `Authorization: Bearer <token>`. */
export const searchWith = (token: string) => api(SEARCH, { headers: { authorization: `Bearer ${token}` } });

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const NOT_LOGGED_IN_ENVELOPE = {
  error: { class: "com.attask.common.AuthenticationException", message: expect.any(String), title: expect.any(String) },
};

/** The token is refused on the REST API with the vendor's 401 envelope. */
export async function expectDeadToken(token: string): Promise<void> {
  const r = await searchWith(token);
  expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: NOT_LOGGED_IN_ENVELOPE });
}

/** The token searches projects. */
export async function expectLiveToken(token: string): Promise<void> {
  const r = await searchWith(token);
  expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { data: expect.any(Array) } });
}

/**
 * A signer over the server's current token signing key, opened from the store as the service does.
 * For defence-in-depth cases only: tokens no outsider could sign, refused for their claims or row.
 */
export async function serverSigner(rt: TestRuntime, kid?: string): Promise<TokenSigner> {
  const current = (await rt.store.signingKeys.list()).find((k) => k.retiredAt === null);
  if (!current) throw new Error("no current signing key");
  const privateKeyPem = decrypt(rt.keys, current.privateKeyCiphertext, `signing-key:${current.kid}`);
  return tokenSigner({ kid: kid ?? current.kid, privateKeyPem });
}
