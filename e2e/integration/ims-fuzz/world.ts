/**
 * The IMS state every case meets, made through the Developer Console services: a JWT credential
 * granted both metascopes, an OAuth Server-to-Server one, a migrated one (both sides), one whose
 * JWT side was revoked after its migration, a revoked one, a refreshed one (two certificates), a
 * read-only one; their bundles' private keys, a foreign RSA key and a foreign P-256 key; tokens
 * issued before the revocations; an assertion whose jti is taken. Credentials for the revocation
 * races ("victims") are made (or, past a budget, reinstated) on demand.
 */
import { generateKeyPair, generateKeyPairSync, createPrivateKey, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { handleImsRequest } from "../../../lib/ims/handler";
import type { ServiceContext } from "../../../lib/services/context";
import type { ServiceCredentialBundle } from "../../../lib/services/service-credentials/bundle";
import { createServiceCredential } from "../../../lib/services/service-credentials/create";
import { migrateServiceCredential, refreshServiceCredential, revokeJwtSide, revokeServiceCredential } from "../../../lib/services/service-credentials/manage";
import { MAX_SERVICE_CREDENTIALS } from "../../../lib/domain/service-credential";
import { consoleContext, type TestRuntime } from "../../../lib/testing/runtime";
import type { Refs } from "../fuzz/placeholders";
import { signAssertion, STANDARD_HEADER, type AssertionSpec, type Member, type SignedAssertion, type SigningKeys } from "./assertions";

export const WRITE = "ent_keyward_api";
export const READ = "ent_keyward_readonly_api";
/** Address of the seeding and repair calls; generated requests never use it. */
export const REPAIR_IP = "198.51.100.252";

export const CRED_NAMES = ["jwt", "migrated", "refreshed", "readonly", "revoked", "s2s", "unjwt"] as const;
export type CredName = (typeof CRED_NAMES)[number] | "victim";
/** The RSA keys a case may sign with: each JWT credential's bundle key (two for the refreshed one), the victim's, and a foreign one. */
export const RSA_KEYS = ["jwt", "migrated", "refreshed.old", "refreshed.new", "readonly", "revoked", "unjwt", "victim", "foreign"] as const;

/** A credential as the model of the API sees it. */
export interface WorldCred {
  name: CredName;
  clientId: string;
  secret: string;
  /** The technical account: the JWT sub and the user its tokens act as. */
  sub: string;
  scopes: string[];
  jwt: boolean;
  s2s: boolean;
  revoked: boolean;
  /** Being revoked by a racing call: any outcome of a revocation race is allowed. */
  racing: boolean;
  /** Names of the RSA keys whose certificates the credential holds. */
  keys: string[];
  certificatePem: string;
}

export interface SeededToken {
  token: string;
  label: string;
  /** Whether it must still work on the REST API. */
  live: boolean;
}

export interface ImsWorld {
  org: string;
  /** `https://<imsEndpoint>`: the base URL of aud and metascope claims, as the client library builds them. */
  ims: string;
  creds: Map<CredName, WorldCred>;
  keys: SigningKeys & { rsa: Map<string, KeyObject> };
  privatePems: Map<string, string>;
  seeded: SeededToken[];
  /** An assertion of the JWT credential already exchanged: its jti is taken (set once seeded). */
  used?: { signed: SignedAssertion; expiresAt: number };
  /** The latest token a case was issued. */
  recentToken: string | null;
}

const generateRsa = promisify(generateKeyPair);

const credOf = (name: CredName, b: ServiceCredentialBundle, keys: string[]): WorldCred => ({
  name,
  clientId: b.integration.technicalAccount.clientId,
  secret: b.integration.technicalAccount.clientSecret,
  sub: b.integration.id,
  scopes: b.integration.metascopes.split(","),
  jwt: keys.length > 0,
  s2s: keys.length === 0,
  revoked: false,
  racing: false,
  keys,
  certificatePem: b.integration.publicKey ?? "",
});

/** The claims @adobe/jwt-auth signs for a credential, 5 minutes ahead. */
export const standardClaims = (cred: string, scopes: readonly string[], base = "{{ims}}", expIn = 300): Member[] => [
  ["exp", { $exp: expIn, form: "int" }],
  ["iss", "{{org}}"],
  ["sub", `{{${cred}.sub}}`],
  ["aud", `${base}/c/{{${cred}.id}}`],
  ...scopes.map((s): Member => [`${base}/s/${s}`, true]),
];

export const standardAssertion = (cred: string, key: string, scopes: readonly string[], jti: "fresh" | "none" = "none"): AssertionSpec => ({
  key,
  alg: "RS256",
  header: STANDARD_HEADER,
  claims: standardClaims(cred, scopes),
  jti,
  mangle: { kind: "none" },
});

/** Builds the world, keeps it repaired between cases, and records every secret it hands out. */
export class WorldKeeper {
  world!: ImsWorld;
  /** Every client secret and private key handed out so far: no answer may show them. */
  readonly secrets: { label: string; value: string }[] = [];
  private ctx!: ServiceContext;
  private victimPool: { jwt: WorldCred[]; s2s: WorldCred[] } = { jwt: [], s2s: [] };
  private victimTurn = 0;

  constructor(private readonly rt: TestRuntime) {}

  private noteCred(c: WorldCred, privatePem?: string): WorldCred {
    this.secrets.push({ label: `the client secret of the ${c.name} credential`, value: c.secret });
    if (privatePem) this.notePem(`the private key of the ${c.name} credential`, privatePem);
    return c;
  }

  private notePem(label: string, pem: string): void {
    for (const line of pem.split("\n")) if (line.length >= 32 && !line.startsWith("-----")) this.secrets.push({ label: `a line of ${label}`, value: line });
  }

  async seed(): Promise<ImsWorld> {
    const rt = this.rt;
    const ctx = (this.ctx = await consoleContext(rt));
    const jwtCred = (name: string, metascopes = [WRITE]) => createServiceCredential(ctx, { name, type: "jwt", metascopes });
    // The RSA key pairs are the slow part: made at once, on the thread pool.
    const [jwt, migrated, refreshed, readonly, revoked, unjwt, victim, foreign] = await Promise.all([
      jwtCred("Fuzz JWT", [WRITE, READ]),
      jwtCred("Fuzz migrated"),
      jwtCred("Fuzz refreshed"),
      jwtCred("Fuzz read-only", [READ]),
      jwtCred("Fuzz revoked"),
      jwtCred("Fuzz JWT side revoked"),
      jwtCred("Fuzz victim"),
      generateRsa("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }),
    ]);
    const s2s = await createServiceCredential(ctx, { name: "Fuzz S2S", type: "oauth_server_to_server", metascopes: [WRITE, READ] });
    const refreshedNew = await refreshServiceCredential(ctx, refreshed.integration.technicalAccount.clientId);
    await migrateServiceCredential(ctx, migrated.integration.technicalAccount.clientId);
    await migrateServiceCredential(ctx, unjwt.integration.technicalAccount.clientId);

    const pems = new Map<string, string>([
      ["jwt", jwt.integration.privateKey!],
      ["migrated", migrated.integration.privateKey!],
      ["refreshed.old", refreshed.integration.privateKey!],
      ["refreshed.new", refreshedNew.integration.privateKey!],
      ["readonly", readonly.integration.privateKey!],
      ["revoked", revoked.integration.privateKey!],
      ["unjwt", unjwt.integration.privateKey!],
      ["victim", victim.integration.privateKey!],
      ["foreign", foreign.privateKey],
    ]);
    const creds = new Map<CredName, WorldCred>([
      ["jwt", this.noteCred(credOf("jwt", jwt, ["jwt"]), pems.get("jwt"))],
      ["migrated", this.noteCred({ ...credOf("migrated", migrated, ["migrated"]), s2s: true }, pems.get("migrated"))],
      ["refreshed", this.noteCred(credOf("refreshed", refreshed, ["refreshed.old", "refreshed.new"]), pems.get("refreshed.old"))],
      ["readonly", this.noteCred(credOf("readonly", readonly, ["readonly"]), pems.get("readonly"))],
      ["revoked", this.noteCred(credOf("revoked", revoked, ["revoked"]), pems.get("revoked"))],
      ["s2s", this.noteCred(credOf("s2s", s2s, []))],
      ["unjwt", this.noteCred({ ...credOf("unjwt", unjwt, ["unjwt"]), s2s: true }, pems.get("unjwt"))],
    ]);
    this.notePem("the refreshed credential's second private key", pems.get("refreshed.new")!);
    this.notePem("the victim credential's private key", pems.get("victim")!);
    this.notePem("the foreign private key", foreign.privateKey);
    const victimCred = this.noteCred({ ...credOf("victim", victim, ["victim"]), racing: false });
    this.victimPool.jwt.push(victimCred);

    this.world = {
      org: jwt.integration.org,
      ims: `https://${jwt.integration.imsEndpoint}`,
      creds,
      keys: { rsa: new Map([...pems].map(([k, pem]) => [k, createPrivateKey(pem)])), ec: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey },
      privatePems: pems,
      seeded: [],
      used: undefined,
      recentToken: null,
    };

    // Tokens of credentials about to lose a side or be revoked, and ones that must keep working.
    const revokedCred = creds.get("revoked")!;
    const unjwtCred = creds.get("unjwt")!;
    const seeded: SeededToken[] = [
      { token: await this.exchange("revoked", standardAssertion("revoked", "revoked", [WRITE])), label: "a token of the credential revoked since", live: false },
      { token: await this.exchange("unjwt", standardAssertion("unjwt", "unjwt", [WRITE])), label: "a JWT token of the credential whose JWT side was revoked since", live: false },
      { token: await this.clientCredentials("unjwt"), label: "a client-credentials token of the credential whose JWT side was revoked", live: true },
      { token: await this.exchange("refreshed", standardAssertion("refreshed", "refreshed.old", [WRITE])), label: "a token of the refreshed credential's first key", live: true },
      { token: await this.clientCredentials("migrated"), label: "a client-credentials token of the migrated credential", live: true },
    ];
    await revokeJwtSide(ctx, unjwtCred.clientId);
    unjwtCred.jwt = false;
    unjwtCred.keys = [];
    await revokeServiceCredential(ctx, revokedCred.clientId);
    revokedCred.revoked = true;
    revokedCred.jwt = false;
    this.world.seeded = seeded;
    this.world.used = await this.usedAssertion();
    return this.world;
  }

  /** The value of every world placeholder now. */
  refs(): Refs {
    const w = this.world;
    const refs: Refs = new Map([
      ["org", w.org],
      ["ims", w.ims],
      ["key.foreign.private", w.privatePems.get("foreign")!],
      ["key.jwt.private", w.privatePems.get("jwt")!],
    ]);
    // Set once seeding is done.
    if (w.used) refs.set("assertion.used", w.used.signed.text);
    const recent = w.recentToken ?? w.seeded[2]?.token;
    if (recent) refs.set("token.recent", recent);
    if (w.seeded[0]) refs.set("token.dead", w.seeded[0].token);
    for (const [name, c] of w.creds) {
      refs.set(`${name}.id`, c.clientId);
      refs.set(`${name}.secret`, c.secret);
      refs.set(`${name}.sub`, c.sub);
      refs.set(`${name}.certificate`, c.certificatePem);
    }
    return refs;
  }

  private async call(path: string, form: Record<string, string>): Promise<string> {
    const res = await handleImsRequest(
      new Request(`http://localhost:3000/ims/${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() }),
      { ip: REPAIR_IP },
    );
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || typeof body.access_token !== "string") throw new Error(`seeding /ims/${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  private sign(spec: AssertionSpec): SignedAssertion {
    return signAssertion(spec, this.world.keys, this.refs(), this.rt.clock.now());
  }

  private exchange(cred: CredName, spec: AssertionSpec, signed = this.sign(spec)): Promise<string> {
    const c = this.world.creds.get(cred)!;
    return this.call("exchange/jwt", { client_id: c.clientId, client_secret: c.secret, jwt_token: signed.text });
  }

  private clientCredentials(cred: CredName): Promise<string> {
    const c = this.world.creds.get(cred)!;
    return this.call("token/v3", { grant_type: "client_credentials", client_id: c.clientId, client_secret: c.secret });
  }

  private async usedAssertion(): Promise<NonNullable<ImsWorld["used"]>> {
    const signed = this.sign(standardAssertion("jwt", "jwt", [WRITE], "fresh"));
    await this.exchange("jwt", signed.spec, signed);
    return { signed, expiresAt: (Math.floor(this.rt.clock.now() / 1000) + 300) * 1000 };
  }

  /** Renews what expired since the last case. */
  async repair(): Promise<void> {
    if (!this.world.used || this.world.used.expiresAt - this.rt.clock.now() < 5_000) this.world.used = await this.usedAssertion();
  }

  /**
   * A live credential to revoke in a race, with a token issued before it: a new OAuth
   * Server-to-Server credential while the instance has room, else (and always for the JWT kind,
   * whose key pair takes half a second to make) one revoked earlier, reinstated through the store.
   */
  async victim(kind: "jwt" | "s2s"): Promise<{ cred: WorldCred; oldToken: string }> {
    const rt = this.rt;
    const pool = this.victimPool[kind];
    let cred: WorldCred;
    if (kind === "s2s" && (await rt.store.serviceCredentials.count()) < MAX_SERVICE_CREDENTIALS - 10) {
      const b = await createServiceCredential(this.ctx, { name: `Fuzz victim ${pool.length + 1}`, type: "oauth_server_to_server", metascopes: [WRITE] });
      cred = this.noteCred({ ...credOf("victim", b, []) });
      pool.push(cred);
    } else {
      cred = pool[this.victimTurn++ % pool.length]!;
      if (cred.revoked) {
        await rt.store.transaction(async (tx) => {
          await tx.serviceCredentials.update(cred.clientId, { revokedAt: null, jwtEnabled: kind === "jwt", s2sEnabled: kind === "s2s" });
          await tx.users.update(cred.sub, { isActive: true, updatedAt: rt.clock.now() });
        });
      }
    }
    cred.revoked = false;
    cred.jwt = kind === "jwt";
    cred.s2s = kind === "s2s";
    cred.racing = true;
    this.world.creds.set("victim", cred);
    const oldToken = kind === "jwt" ? await this.exchange("victim", standardAssertion("victim", "victim", [WRITE])) : await this.clientCredentials("victim");
    return { cred, oldToken };
  }

  /** After its race: the victim is revoked. */
  victimRevoked(): void {
    const v = this.world.creds.get("victim");
    if (!v) return;
    v.racing = false;
    v.revoked = true;
    v.jwt = false;
    v.s2s = false;
  }
}
