/**
 * The OAuth state every case meets: one app of each type, their secrets and keys, live tokens,
 * unredeemed and redeemed codes, an exchanged JWT; seeded through the console services and the
 * OAuth handler, and repaired between cases so that credentials a case used up are there again.
 */
import { lookupHash } from "../../../lib/crypto/secrets";
import { makeCertificate } from "../../../lib/domain/x509-fixtures";
import { addClientSecret } from "../../../lib/services/oauth-apps/add-secret";
import { addPublicKey } from "../../../lib/services/oauth-apps/add-public-key";
import { generateKeyPair } from "../../../lib/services/oauth-apps/generate-key-pair";
import { refreshState } from "../../../lib/services/oauth/refresh-tokens";
import type { OAuthTokenType } from "../../../lib/storage/types";
import { consoleContext, oauthApi, type TestRuntime } from "../../../lib/testing/runtime";
import { authorizeCode, makeApp, makeUser, pkcePair, REDIRECT, type IssuedCode, type TestApp } from "../oauth-code-helpers";
import { createAdmin, makeSigners, nowSeconds, signAssertion, type Signer } from "../oauth-helpers";

/** Address of the seeding and repair calls; generated requests never use it. */
export const REPAIR_IP = "198.51.100.251";
/** A second registered redirect URL of the web app. */
export const OTHER_REDIRECT = "http://127.0.0.1:8765/callback";

export interface SigningKey {
  id: string;
  thumbprint: string;
  /** The `sub` its JWTs must carry: the administrator who added the key. */
  sub: string;
  signer: Signer;
}

export interface Apps {
  m2m: { clientId: string; secrets: [string, string]; tokenType: OAuthTokenType; generated: SigningKey; certificate: SigningKey };
  web: TestApp & { secret: string; tokenType: OAuthTokenType };
  spa: TestApp & { tokenType: OAuthTokenType };
}

/** Credentials a case may use up (redeem, rotate, revoke, replay) and the repairs renew. */
export interface LiveCredentials {
  webAccess: string;
  webRefresh: string;
  /** A web refresh token already rotated once: presenting it again is reuse. */
  webRotated: string;
  spaAccess: string;
  spaRefresh: string;
  m2mAccess: string;
  codes: { web: IssuedCode; webPkce: IssuedCode; spa: IssuedCode; webRedeemed: IssuedCode; spaRedeemed: IssuedCode };
  /** The refresh token the redemption of `codes.spaRedeemed` gave: replaying that code revokes it. */
  spaReplayable: string;
  /** An assertion already exchanged (its jti is taken) and when it expires. */
  usedJwt: { jwt: string; expiresAt: number };
  /** The first web access token and code: left to expire (unless a case uses the code first). */
  firstWebAccess: string;
  firstWebCode: string;
  /** The latest tokens a case was issued, so later cases present them too. */
  recentAccess: string | null;
  recentRefresh: string | null;
}

export interface OAuthWorld {
  admin: { id: string; username: string };
  second: { id: string; username: string };
  user: { username: string };
  apps: Apps;
  /** A key no app registered. */
  stranger: Signer;
  live: LiveCredentials;
}

const call = (path: string, form: Record<string, string>) => oauthApi(path, { form, ip: REPAIR_IP });

async function mustToken(path: string, form: Record<string, string>): Promise<{ access_token: string; refresh_token?: string }> {
  const r = await call(path, form);
  if (r.status !== 200) throw new Error(`seeding ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as { access_token: string; refresh_token?: string };
}

/** Builds the world and records every credential it hands out in `known` (value -> label). */
export class WorldKeeper {
  world!: OAuthWorld;
  /** Every credential handed out so far, for the leak checks; value -> label. */
  readonly known = new Map<string, string>();

  constructor(private readonly rt: TestRuntime) {}

  private note(value: string, label: string): string {
    this.known.set(value, label);
    return value;
  }

  async seed(): Promise<OAuthWorld> {
    const rt = this.rt;
    const ctx = await consoleContext(rt);
    const second = await createAdmin(ctx, "second.admin");
    const username = await makeUser(rt, "fuzz.user");
    const adminUser = (await rt.store.users.byUsername(ctx.actor!.username))!;

    // machine_to_machine: two secrets; a generated key pair (the admin's) and a certificate key (the second admin's).
    const m2mApp = await makeApp(rt, "machine_to_machine", { tokenType: "sessionID" });
    const secret2 = (await addClientSecret(ctx, m2mApp.clientId, "rotation")).secret;
    const pair = await generateKeyPair(ctx, m2mApp.clientId);
    const cert = await makeCertificate({ subject: "CN=fuzz-bot", keyAlgorithm: "RSA" });
    const certKey = await addPublicKey(second.ctx, m2mApp.clientId, { bytes: new TextEncoder().encode(cert.pem), fileName: "certificate_pub.crt" });
    const keyOf = async (id: string) => (await rt.store.oauthApps.client(m2mApp.clientId))!.keys.find((k) => k.id === id)!;
    const generated: SigningKey = { id: pair.key.id, thumbprint: (await keyOf(pair.key.id)).thumbprint, sub: pair.key.createdBy, signer: { privatePem: pair.privateKeyPem, publicPem: "" } };
    const certificate: SigningKey = { id: certKey.id, thumbprint: (await keyOf(certKey.id)).thumbprint, sub: certKey.createdBy, signer: { privatePem: cert.privateKeyPem, publicPem: "" } };

    const web = await makeApp(rt, "web", { redirectUris: [REDIRECT, OTHER_REDIRECT] });
    const spa = await makeApp(rt, "single_page", { refreshRotation: false });
    const tokenType = async (clientId: string) => (await rt.store.oauthApps.byClientId(clientId))!.tokenType;
    const apps: Apps = {
      m2m: { clientId: m2mApp.clientId, secrets: [m2mApp.secret!, secret2], tokenType: await tokenType(m2mApp.clientId), generated, certificate },
      web: { ...web, secret: web.secret!, tokenType: await tokenType(web.clientId) },
      spa: { ...spa, tokenType: await tokenType(spa.clientId) },
    };
    this.note(apps.m2m.secrets[0], "the first client secret of the machine-to-machine app");
    this.note(apps.m2m.secrets[1], "the second client secret of the machine-to-machine app");
    this.note(apps.web.secret, "the client secret of the web app");
    this.note(generated.signer.privatePem, "the generated private key");
    this.note(certificate.signer.privatePem, "the certificate's private key");
    const [stranger] = await makeSigners(1);
    this.note(stranger!.privatePem, "an unregistered private key");

    this.world = {
      admin: { id: adminUser.id, username: adminUser.username },
      second: { id: second.id, username: "second.admin" },
      user: { username },
      apps,
      stranger: stranger!,
      live: {} as LiveCredentials,
    };
    const web1 = await this.codeTokens("web");
    const spa1 = await this.codeTokens("spa");
    const spaRedeemed = await this.redeemedCode("spa");
    this.world.live = {
      webAccess: web1.access,
      webRefresh: web1.refresh,
      webRotated: await this.rotatedWebRefresh(),
      spaAccess: spa1.access,
      spaRefresh: spa1.refresh,
      m2mAccess: await this.exchangeToken(),
      codes: {
        web: await this.code("web", null),
        webPkce: await this.code("web", true),
        spa: await this.code("spa", true),
        webRedeemed: (await this.redeemedCode("web")).issued,
        spaRedeemed: spaRedeemed.issued,
      },
      spaReplayable: spaRedeemed.refresh,
      usedJwt: await this.usedJwt(),
      firstWebAccess: web1.access,
      firstWebCode: "",
      recentAccess: null,
      recentRefresh: null,
    };
    this.world.live.firstWebCode = (await this.code("web", null)).code;
    return this.world;
  }

  /** A fresh JWT assertion as the flow accepts it (5 minutes, a new jti), signed by one of the app's keys. */
  assertion(key: "generated" | "certificate", opts: Parameters<typeof signAssertion>[3] = {}): Promise<string> {
    const k = this.world.apps.m2m[key];
    return signAssertion(this.rt, k.signer, k.sub, opts);
  }

  private async code(app: "web" | "spa", pkce: true | null): Promise<IssuedCode> {
    const a = this.world.apps[app];
    const issued = await authorizeCode(this.rt, a, { username: app === "spa" ? this.world.user.username : undefined, pkce: pkce ? pkcePair() : null });
    this.note(issued.code, `an authorization code of the ${app} app`);
    if (issued.pkce) this.note(issued.pkce.verifier, `a PKCE verifier of the ${app} app`);
    return issued;
  }

  private clientForm(app: "web" | "spa"): Record<string, string> {
    return app === "web" ? { client_id: this.world.apps.web.clientId, client_secret: this.world.apps.web.secret } : { client_id: this.world.apps.spa.clientId };
  }

  private async redeem(app: "web" | "spa", issued: IssuedCode): Promise<{ access: string; refresh: string }> {
    const form = { grant_type: "authorization_code", code: issued.code, redirect_uri: issued.redirectUri, ...(issued.pkce ? { code_verifier: issued.pkce.verifier } : {}), ...this.clientForm(app) };
    const t = await mustToken("/token", form);
    return { access: this.note(t.access_token, `an access token of the ${app} app`), refresh: this.note(t.refresh_token!, `a refresh token of the ${app} app`) };
  }

  private async codeTokens(app: "web" | "spa"): Promise<{ access: string; refresh: string }> {
    return this.redeem(app, await this.code(app, app === "spa" ? true : null));
  }

  private async redeemedCode(app: "web" | "spa"): Promise<{ issued: IssuedCode; refresh: string }> {
    const issued = await this.code(app, app === "spa" ? true : null);
    const { refresh } = await this.redeem(app, issued);
    return { issued, refresh };
  }

  private async rotatedWebRefresh(): Promise<string> {
    const { refresh } = await this.codeTokens("web");
    const t = await mustToken("/token", { grant_type: "refresh_token", refresh_token: refresh, ...this.clientForm("web") });
    this.note(t.access_token, "an access token of the web app");
    this.note(t.refresh_token!, "a refresh token of the web app");
    return refresh;
  }

  private async exchangeToken(jwt?: string): Promise<string> {
    const m2m = this.world.apps.m2m;
    const t = await mustToken("/jwt/exchange", { client_id: m2m.clientId, client_secret: m2m.secrets[0], jwt_token: jwt ?? (await this.assertion("generated")) });
    return this.note(t.access_token, "an access token of the machine-to-machine app");
  }

  private async usedJwt(): Promise<{ jwt: string; expiresAt: number }> {
    const exp = nowSeconds(this.rt) + 300;
    const jwt = await this.assertion("certificate", { claims: { exp } });
    await this.exchangeToken(jwt);
    return { jwt, expiresAt: exp * 1000 };
  }

  /** Notes the tokens a case was issued, and offers them to later cases. */
  noteIssued(body: { access_token?: unknown; refresh_token?: unknown }): void {
    if (typeof body.access_token === "string") this.world.live.recentAccess = this.note(body.access_token, "an access token issued to an earlier case");
    if (typeof body.refresh_token === "string") this.world.live.recentRefresh = this.note(body.refresh_token, "a refresh token issued to an earlier case");
  }

  private hash(value: string): string {
    return lookupHash(this.rt.keys, value);
  }

  private async accessAlive(token: string): Promise<boolean> {
    const t = await this.rt.store.oauthTokens.byHash(this.hash(token));
    return !!t && t.kind === "access" && (t.expiresAt === null || t.expiresAt > this.rt.clock.now());
  }

  private async refreshAlive(token: string, app: "web" | "spa", rotated: boolean): Promise<boolean> {
    const t = await this.rt.store.oauthTokens.byHash(this.hash(token));
    if (!t || t.kind !== "refresh" || (t.rotatedAt !== null) !== rotated) return false;
    const stored = (await this.rt.store.oauthApps.byClientId(this.world.apps[app].clientId))!;
    return refreshState(stored, t, this.rt.clock.now()) === "live";
  }

  private async codeState(issued: IssuedCode): Promise<"fresh" | "redeemed" | "gone"> {
    const c = await this.rt.store.oauthCodes.byHash(this.hash(issued.code));
    if (!c) return "gone";
    if (c.redeemedAt !== null) return "redeemed";
    return c.expiresAt > this.rt.clock.now() ? "fresh" : "gone";
  }

  /** Renews every credential a case used up or that expired meanwhile. */
  async repair(): Promise<void> {
    const live = this.world.live;
    const rt = this.rt;
    if (!(await this.accessAlive(live.webAccess)) || !(await this.refreshAlive(live.webRefresh, "web", false))) {
      const t = await this.codeTokens("web");
      live.webAccess = t.access;
      live.webRefresh = t.refresh;
    }
    if (!(await this.accessAlive(live.spaAccess)) || !(await this.refreshAlive(live.spaRefresh, "spa", false))) {
      const t = await this.codeTokens("spa");
      live.spaAccess = t.access;
      live.spaRefresh = t.refresh;
    }
    if (!(await this.refreshAlive(live.webRotated, "web", true))) live.webRotated = await this.rotatedWebRefresh();
    if (!(await this.accessAlive(live.m2mAccess))) live.m2mAccess = await this.exchangeToken();
    const codes = live.codes;
    if ((await this.codeState(codes.web)) !== "fresh") codes.web = await this.code("web", null);
    if ((await this.codeState(codes.webPkce)) !== "fresh") codes.webPkce = await this.code("web", true);
    if ((await this.codeState(codes.spa)) !== "fresh") codes.spa = await this.code("spa", true);
    if ((await this.codeState(codes.webRedeemed)) !== "redeemed") codes.webRedeemed = (await this.redeemedCode("web")).issued;
    if ((await this.codeState(codes.spaRedeemed)) !== "redeemed" || !(await this.refreshAlive(live.spaReplayable, "spa", false))) {
      const again = await this.redeemedCode("spa");
      codes.spaRedeemed = again.issued;
      live.spaReplayable = again.refresh;
    }
    if (live.usedJwt.expiresAt - rt.clock.now() < 5_000) live.usedJwt = await this.usedJwt();
  }
}
