/**
 * What the OAuth2 suites share: RSA signers made with jose, machine-to-machine apps with a secret and
 * a registered key, JWT assertions signed as the JWT flow wants them (and ways to spoil them), the
 * exchange call, and the REST calls that use the token it returns.
 */
import { randomUUID } from "node:crypto";
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type JWTHeaderParameters } from "jose";
import { expect } from "vitest";
import { lookupHash } from "../../lib/crypto/secrets";
import { actorOf } from "../../lib/domain/actor";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import type { OAuthAppSettings } from "../../lib/services/oauth-apps/input";
import type { PublicKeyView } from "../../lib/services/oauth-apps/view";
import type { ServiceContext } from "../../lib/services/context";
import { createUser } from "../../lib/services/users/write";
import { api, oauthApi, type TestRuntime } from "../../lib/testing/runtime";

export const EXCHANGE = "/jwt/exchange";
export const HOUR_S = 3600;

export interface Signer {
  privatePem: string;
  publicPem: string;
}

/** RSA 2048 key pairs (PKCS #8 private, SPKI public). Slow-ish: make them once per file. */
export async function makeSigners(n: number): Promise<Signer[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
      return { privatePem: await exportPKCS8(privateKey), publicPem: await exportSPKI(publicKey) };
    }),
  );
}

/** A machine-to-machine app with its first secret and one key added by the context's administrator. */
export interface M2mApp {
  clientId: string;
  secret: string;
  key: PublicKeyView;
  /** The `sub` its JWTs carry: the key's creator. */
  sub: string;
  signer: Signer;
}

export async function createM2mApp(ctx: ServiceContext, signer: Signer, settings: Partial<OAuthAppSettings> = {}): Promise<M2mApp> {
  const { app, secret } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "Integration", ...settings });
  const key = await addPublicKey(ctx, app.clientId, { bytes: signer.publicPem });
  if (!secret) throw new Error("a machine-to-machine app has a secret");
  return { clientId: app.clientId, secret, key, sub: key.createdBy, signer };
}

/** Another System Administrator, and a console context acting as them. */
export async function createAdmin(ctx: ServiceContext, username: string): Promise<{ id: string; ctx: ServiceContext }> {
  const user = await createUser(ctx, { username, name: username, accessLevel: "admin", password: `${username}-password-1` }, { apiFieldNames: false });
  return { id: user.id, ctx: { ...ctx, actor: actorOf(user, "console") } };
}

export interface AssertionOptions {
  /** Claims over the defaults (iss, sub, exp 5 minutes ahead, a fresh jti); undefined drops one. */
  claims?: Record<string, unknown>;
  header?: Partial<JWTHeaderParameters>;
  alg?: string;
}

export const nowSeconds = (rt: TestRuntime): number => Math.floor(rt.clock.now() / 1000);

/** A JWT for the exchange: by default exactly what the flow accepts for this signer and sub. */
export async function signAssertion(rt: TestRuntime, signer: Signer, sub: string, opts: AssertionOptions = {}): Promise<string> {
  const alg = opts.alg ?? "RS256";
  const claims = { iss: rt.customerId, sub, exp: nowSeconds(rt) + 300, jti: randomUUID(), ...opts.claims };
  const key = await importPKCS8(signer.privatePem, alg);
  return new SignJWT(claims).setProtectedHeader({ ...opts.header, alg }).sign(key);
}

/** A JWT for an app's own key and sub. */
export const assertionFor = (rt: TestRuntime, app: M2mApp, opts?: AssertionOptions): Promise<string> => signAssertion(rt, app.signer, app.sub, opts);

/** An unsigned JWT (`alg: none`), with an empty signature part. */
export function unsignedJwt(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part(header)}.${part(claims)}.`;
}

export interface ExchangeForm extends Record<string, string> {
  client_id: string;
  client_secret: string;
  jwt_token: string;
}

export const exchangeForm = (app: Pick<M2mApp, "clientId" | "secret">, jwt: string): ExchangeForm => ({
  client_id: app.clientId,
  client_secret: app.secret,
  jwt_token: jwt,
});

/** POSTs the exchange, urlencoded. */
export const exchange = (form: Record<string, string>, ip?: string) => oauthApi(EXCHANGE, { form, ...(ip === undefined ? {} : { ip }) });

/** An exchange that must succeed; its access token. */
export async function exchangeOk(rt: TestRuntime, app: M2mApp, opts?: AssertionOptions): Promise<string> {
  const r = await exchange(exchangeForm(app, await assertionFor(rt, app, opts)));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.access_token as string;
}

/** How many access tokens the exchange has issued (its audit events). */
export async function issuedCount(rt: TestRuntime): Promise<number> {
  return (await rt.store.audit.list({ action: "oauth_token.issue", limit: 1000 })).length;
}

/** The stored token behind an access token's text. */
export const storedToken = (rt: TestRuntime, token: string) => rt.store.oauthTokens.byHash(lookupHash(rt.keys, token));

export type TokenCarrier = "bearer" | "sessionID header" | "sessionID param";

/** A REST project search authenticated by an access token. */
export function searchWith(token: string, via: TokenCarrier = "bearer") {
  if (via === "bearer") return api("/proj/search", { headers: { authorization: `Bearer ${token}` } });
  if (via === "sessionID header") return api("/proj/search", { headers: { sessionID: token } });
  return api(`/proj/search?sessionID=${encodeURIComponent(token)}`);
}

export const NOT_LOGGED_IN_ENVELOPE = {
  error: { class: "com.attask.common.AuthenticationException", message: expect.any(String), title: expect.any(String) },
};

/** The token is refused on the REST API with the vendor's 401 envelope, whichever way it is sent. */
export async function expectDeadToken(token: string): Promise<void> {
  for (const via of ["bearer", "sessionID header", "sessionID param"] as const) {
    const r = await searchWith(token, via);
    expect(r.status, via).toBe(401);
    expect(r.body, via).toEqual(NOT_LOGGED_IN_ENVELOPE);
  }
}

/** An OAuth error answer: its status, its code, `Cache-Control: no-store`, a description. */
export function expectOAuthError(r: { status: number; body: unknown; headers: Headers }, status: number, error: string): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: { error, error_description: expect.any(String) } });
  expect(r.headers.get("cache-control")).toBe("no-store");
}
