/**
 * The user's answer on the consent page, and what they have allowed. Allow stores (or refreshes)
 * the consent and issues a single-use two-minute code bound to the client, redirect URL, user and
 * PKCE challenge; Deny sends `access_denied` back. Both redirect with `state` (only when sent) and
 * `iss` (RFC 9207). Users list and revoke their authorized apps; revoking ends the app's tokens for them.
 */
import { lookupHash, randomToken } from "../../crypto/secrets";
import { NotFound } from "../../errors";
import type { Runtime } from "../../runtime";
import { audit, requireActor, type ServiceContext } from "../context";
import { redirectWith, type AuthorizationRequest } from "./authorize-request";

export const CODE_TTL_MS = 2 * 60_000;

export async function hasConsent(rt: Runtime, userId: string, clientId: string): Promise<boolean> {
  return (await rt.store.consents.get(userId, clientId)) !== null;
}

const scopesOf = (scope: string): string[] => scope.split(" ").filter(Boolean);

/** Whether the user has allowed this app everything the request asks: a new scope asks again. */
export async function consentCovers(rt: Runtime, userId: string, clientId: string, scope: string): Promise<boolean> {
  const c = await rt.store.consents.get(userId, clientId);
  if (!c) return false;
  const allowed = new Set(scopesOf(c.scope));
  return scopesOf(scope).every((s) => allowed.has(s));
}

/** Issues the code (and records the consent when it is new); returns where to send the browser. */
export async function approveAuthorization(ctx: ServiceContext, r: AuthorizationRequest): Promise<string> {
  const actor = requireActor(ctx);
  const { rt } = ctx;
  const code = randomToken(32);
  const now = rt.clock.now();
  await rt.store.transaction(async (tx) => {
    const before = await tx.consents.get(actor.userId, r.app.clientId);
    // What was allowed before stays allowed: the consent grows by what this request adds.
    const scope = [...new Set([...scopesOf(before?.scope ?? ""), ...scopesOf(r.scope)])].join(" ");
    await tx.consents.put({ userId: actor.userId, clientId: r.app.clientId, scope, createdAt: before?.createdAt ?? now, updatedAt: now });
    if (!before) {
      await audit(tx, ctx, { action: "oauth.consent_given", subjectType: "oauth_app", subjectId: r.app.clientId, details: { app: r.app.name, scope: r.scope } });
    }
    await tx.oauthCodes.create({
      lookupHash: lookupHash(rt.keys, code),
      clientId: r.app.clientId,
      userId: actor.userId,
      redirectUri: r.redirectUri,
      codeChallenge: r.codeChallenge,
      scope: r.scope,
      createdAt: now,
      expiresAt: now + CODE_TTL_MS,
      redeemedAt: null,
      familyId: null,
    });
    await audit(tx, ctx, {
      action: "oauth_code.issue",
      subjectType: "oauth_app",
      subjectId: r.app.clientId,
      details: { redirectUri: r.redirectUri, pkce: r.codeChallenge !== null },
    });
  });
  return redirectWith(r.redirectUri, { code, state: r.state, iss: rt.settings.publicUrl });
}

export function denyAuthorization(rt: Runtime, r: AuthorizationRequest): string {
  return redirectWith(r.redirectUri, { error: "access_denied", error_description: "The user denied the request.", state: r.state, iss: rt.settings.publicUrl });
}

export interface AuthorizedApp {
  clientId: string;
  name: string;
  description: string;
  logo: string | null;
  developerName: string;
  privacyPolicyUrl: string;
  authorizedAt: number;
  lastUsedAt: number | null;
}

export async function listAuthorizedApps(ctx: ServiceContext): Promise<AuthorizedApp[]> {
  const actor = requireActor(ctx);
  const out: AuthorizedApp[] = [];
  for (const c of await ctx.rt.store.consents.listForUser(actor.userId)) {
    const app = await ctx.rt.store.oauthApps.byClientId(c.clientId);
    if (!app) continue;
    out.push({
      clientId: app.clientId,
      name: app.name,
      description: app.description,
      logo: app.logo,
      developerName: app.developerName,
      privacyPolicyUrl: app.privacyPolicyUrl,
      authorizedAt: c.createdAt,
      lastUsedAt: c.updatedAt,
    });
  }
  return out;
}

/** Withdraws the user's consent to an app and ends every token the app holds for them, at once. */
export async function revokeAuthorization(ctx: ServiceContext, clientId: string): Promise<{ revokedTokens: number }> {
  const actor = requireActor(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.consents.delete(actor.userId, clientId))) throw new NotFound("You have not authorized this application.");
    const revokedTokens = await tx.oauthTokens.deleteForUser(actor.userId, clientId);
    await audit(tx, ctx, { action: "oauth.consent_revoked", subjectType: "oauth_app", subjectId: clientId, details: { revokedTokens } });
    return { revokedTokens };
  });
}
