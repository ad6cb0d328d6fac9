/**
 * What the authorization code suites share: web, single-page and machine-to-machine apps made through
 * the console service, PKCE pairs, codes obtained the way the authorize page does (read the request,
 * the user allows), and the token, revocation and introspection calls a client makes.
 */
import { generateRandomCodeVerifier } from "oauth4webapi";
import { expect } from "vitest";
import { s256 } from "../../lib/domain/pkce";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import type { OAuthAppSettings } from "../../lib/services/oauth-apps/input";
import { readAuthorizationRequest } from "../../lib/services/oauth/authorize-request";
import { approveAuthorization } from "../../lib/services/oauth/consent";
import { createUser } from "../../lib/services/users/write";
import type { OAuthAppType } from "../../lib/storage/types";
import { consoleContext, oauthApi, type TestRuntime } from "../../lib/testing/runtime";

export const REDIRECT = "https://app.example.com/callback";
export const TOKEN = "/token";

export interface TestApp {
  clientId: string;
  /** The first client secret; null for a single-page app. */
  secret: string | null;
  type: OAuthAppType;
  name: string;
  redirectUris: string[];
}

let appCount = 0;

/** An app made by the seeded administrator; web and single-page apps redirect to REDIRECT unless told. */
export async function makeApp(rt: TestRuntime, type: OAuthAppType, settings: Partial<OAuthAppSettings> = {}): Promise<TestApp> {
  const name = settings.name ?? `${type} app ${++appCount}`;
  const redirectUris = type === "machine_to_machine" ? [] : (settings.redirectUris ?? [REDIRECT]);
  const { app, secret } = await createOAuthApp(await consoleContext(rt), { ...settings, type, name, redirectUris });
  return { clientId: app.clientId, secret, type, name, redirectUris };
}

/** A user who is not an administrator; their username. */
export async function makeUser(rt: TestRuntime, username: string): Promise<string> {
  await createUser(await consoleContext(rt), { username, name: username, password: `${username}-password-1` }, { apiFieldNames: false });
  return username;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkcePair(): Pkce {
  const verifier = generateRandomCodeVerifier();
  return { verifier, challenge: s256(verifier) };
}

export interface AuthorizeOptions {
  /** Who allows it (the seeded administrator by default). */
  username?: string;
  /** A PKCE pair, or null for none; single-page apps get a fresh one by default, web apps none. */
  pkce?: Pkce | null;
  state?: string;
  redirectUri?: string;
}

export interface IssuedCode {
  code: string;
  pkce: Pkce | null;
  redirectUri: string;
  callback: URL;
}

/** The authorize request read as the page reads it, allowed by the user: the code from the redirect. */
export async function authorizeCode(rt: TestRuntime, app: TestApp, opts: AuthorizeOptions = {}): Promise<IssuedCode> {
  const pkce = opts.pkce === undefined ? (app.type === "single_page" ? pkcePair() : null) : opts.pkce;
  const redirectUri = opts.redirectUri ?? app.redirectUris[0]!;
  const query = new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, response_type: "code" });
  if (pkce) {
    query.set("code_challenge", pkce.challenge);
    query.set("code_challenge_method", "S256");
  }
  if (opts.state !== undefined) query.set("state", opts.state);
  const outcome = await readAuthorizationRequest(rt, query);
  if (outcome.kind !== "ok") throw new Error(`authorize refused: ${JSON.stringify(outcome)}`);
  const callback = new URL(await approveAuthorization(await consoleContext(rt, opts.username), outcome.request));
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in ${callback.toString()}`);
  return { code, pkce, redirectUri, callback };
}

/** client_id, and client_secret for an app that has one (client_secret_post). */
export function clientForm(app: TestApp): Record<string, string> {
  return app.secret === null ? { client_id: app.clientId } : { client_id: app.clientId, client_secret: app.secret };
}

/** `Authorization: Basic` as RFC 6749 2.3.1 wants it: each part form-encoded, then base64. */
export function basicHeader(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString("base64")}`;
}

/** The authorization_code token request for an issued code (its verifier and redirect URI). */
export function codeForm(app: TestApp, issued: IssuedCode, over: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: "authorization_code",
    code: issued.code,
    redirect_uri: issued.redirectUri,
    ...(issued.pkce ? { code_verifier: issued.pkce.verifier } : {}),
    ...clientForm(app),
    ...over,
  };
}

export const tokenCall = (form: Record<string, string>, ip?: string) => oauthApi(TOKEN, { form, ...(ip === undefined ? {} : { ip }) });

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/** A token response that must be a success: 200, no-store, exactly the RFC 6749 5.1 fields. */
export function expectTokens(r: { status: number; body: unknown; headers: Headers }, tokenType: string, opts: { refresh?: boolean } = {}): Tokens {
  const refresh = opts.refresh ?? true;
  expect({ status: r.status, body: r.body }).toEqual({
    status: 200,
    body: { access_token: expect.any(String), token_type: tokenType, expires_in: 3600, ...(refresh ? { refresh_token: expect.any(String) } : {}) },
  });
  expect(r.headers.get("cache-control")).toBe("no-store");
  return r.body as Tokens;
}

/** The whole flow for an app: a code allowed by the user, redeemed at /token. */
export async function tokensFor(rt: TestRuntime, app: TestApp, opts: AuthorizeOptions = {}): Promise<Tokens> {
  const issued = await authorizeCode(rt, app, opts);
  const r = await tokenCall(codeForm(app, issued));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Tokens;
}

export const refreshCall = (app: TestApp, refreshToken: string, over: Record<string, string> = {}) =>
  tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken, ...clientForm(app), ...over });

export const revokeCall = (app: TestApp, token: string, over: Record<string, string> = {}) => oauthApi("/revoke", { form: { token, ...clientForm(app), ...over } });

export const introspectCall = (app: TestApp, token: string, over: Record<string, string> = {}) =>
  oauthApi("/introspect", { form: { token, ...clientForm(app), ...over } });

/** Whether a confidential app's introspection calls the token active. */
export async function isActive(app: TestApp, token: string): Promise<boolean> {
  const r = await introspectCall(app, token);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body as { active: boolean }).active;
}

/** How many events of an audit action have been recorded. */
export async function auditCount(rt: TestRuntime, action: string): Promise<number> {
  return (await rt.store.audit.list({ action, limit: 1000 })).length;
}
