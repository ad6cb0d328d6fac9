/**
 * The Developer Console's service-credential verbs, through the services: Get Service Credentials
 * (the bundle, what is stored of it, the technical account), Refresh, Remove certificate, Migrate,
 * Revoke JWT side and Revoke, the list, who may call them, and that each writes its audit row in the
 * transaction of its change.
 */
import fs from "node:fs";
import path from "node:path";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import Database from "better-sqlite3";
import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { actorOf } from "../../lib/domain/actor";
import { organizationId } from "../../lib/domain/service-credential";
import { Conflict, Forbidden, InvalidRequest, NotFound } from "../../lib/errors";
import { handleImsRequest } from "../../lib/ims/handler";
import type { ServiceContext } from "../../lib/services/context";
import type { ServiceCredentialBundle } from "../../lib/services/service-credentials/bundle";
import { createServiceCredential, type CreateServiceCredentialInput } from "../../lib/services/service-credentials/create";
import {
  migrateServiceCredential,
  refreshServiceCredential,
  removeCredentialKey,
  revokeJwtSide,
  revokeServiceCredential,
} from "../../lib/services/service-credentials/manage";
import { credentialsNeedingAttention, listServiceCredentials } from "../../lib/services/service-credentials/view";
import { createUser } from "../../lib/services/users/write";
import type { AuditEventInput, Store } from "../../lib/storage/types";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

const DAY = 86_400_000;
const PUBLIC_URL = "http://localhost:3000";

let rt: TestRuntime;
let ctx: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rt.cleanup();
});

const create = (over: Partial<CreateServiceCredentialInput> = {}) => createServiceCredential(ctx, { name: "Nightly export", ...over });
const clientIdOf = (b: ServiceCredentialBundle) => b.integration.technicalAccount.clientId;

/** POSTs a form to an IMS endpoint, as a client would. */
async function ims(pathname: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await handleImsRequest(
    new Request(`${PUBLIC_URL}/ims/${pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() }),
  );
  return { status: res.status, body: await res.json() };
}

/** Exchanges a JWT signed with the bundle's private key (or the one given) at /ims/exchange/jwt. */
async function exchange(b: ServiceCredentialBundle, privateKey = b.integration.privateKey!) {
  const { clientId, clientSecret } = b.integration.technicalAccount;
  const jwt = await new SignJWT({ [`${PUBLIC_URL}/s/ent_keyward_api`]: true })
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(b.integration.org)
    .setSubject(b.integration.id)
    .setAudience(`${PUBLIC_URL}/c/${clientId}`)
    .setExpirationTime(Math.floor(rt.clock.now() / 1000) + 300)
    .sign(createPrivateKey(privateKey));
  return ims("exchange/jwt", { client_id: clientId, client_secret: clientSecret, jwt_token: jwt });
}

/** A client-credentials token for a migrated or OAuth Server-to-Server credential. */
const clientCredentials = (b: ServiceCredentialBundle) =>
  ims("token/v3", { grant_type: "client_credentials", client_id: clientIdOf(b), client_secret: b.integration.technicalAccount.clientSecret });

const searchStatus = async (token: string) => (await api("/project/search", { headers: { authorization: `Bearer ${token}` } })).status;

async function developerContext(username = "dev.user"): Promise<ServiceContext> {
  await createUser(ctx, { username, name: "Dev User", password: "dev-password-123", isDeveloper: true }, { apiFieldNames: false });
  return consoleContext(rt, username);
}

/** The admin acting through an access token (e.g. an OAuth application or a local development token). */
async function tokenContext(): Promise<ServiceContext> {
  const admin = (await rt.store.users.byUsername("admin"))!;
  return { rt, actor: actorOf(admin, { kind: "access_token", clientId: "some-client" }), meta: {} };
}

const auditRows = (action: string) => rt.store.audit.list({ action, limit: 100 });

describe("Get Service Credentials", () => {
  it("returns the vendor's bundle, exactly: the client ID and secret, the technical account, the org, an RSA key and its one-year certificate", async () => {
    const bundle = await create();
    expect(Object.keys(bundle).sort()).toEqual(["integration", "ok", "statusCode"]);
    expect(bundle.ok).toBe(true);
    expect(bundle.statusCode).toBe(200);
    const i = bundle.integration;
    expect(Object.keys(i).sort()).toEqual(["email", "id", "imsEndpoint", "metascopes", "org", "privateKey", "publicKey", "technicalAccount"]);
    expect(Object.keys(i.technicalAccount).sort()).toEqual(["clientId", "clientSecret"]);
    expect(i.imsEndpoint).toBe("localhost:3000");
    expect(i.metascopes).toBe("ent_keyward_api");
    expect(i.technicalAccount.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(i.technicalAccount.clientSecret).toMatch(/^kwsc_[A-Za-z0-9_-]{40,}$/);
    expect(i.id).toMatch(/^[0-9A-F]{24}@techacct\.keyward$/);
    expect(i.email).toMatch(/^[0-9a-f-]{36}@techacct\.keyward$/);
    expect(i.org).toBe(organizationId(rt.customerId));
    expect(i.org).toMatch(/@KeywardOrg$/);

    expect(i.privateKey!.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true);
    const privateKey = createPrivateKey(i.privateKey!);
    expect(privateKey.asymmetricKeyType).toBe("rsa");
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(i.publicKey!.startsWith("-----BEGIN CERTIFICATE-----\n")).toBe(true);
    const cert = new X509Certificate(i.publicKey!);
    const from = new Date(cert.validFrom).getTime();
    const to = new Date(cert.validTo).getTime();
    expect(from).toBe(Math.floor(rt.clock.now() / 1000) * 1000);
    expect(to - from).toBe(365 * DAY);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.publicKey.export({ format: "pem", type: "spki" })).toBe(createPublicKey(privateKey).export({ format: "pem", type: "spki" }));
    expect(cert.subject).toContain(`CN=${i.id}`);

    // What is stored: the certificate and its dates, the secret's hint.
    const stored = await rt.store.serviceCredentials.withKeys(i.technicalAccount.clientId);
    expect(stored?.credential).toMatchObject({ name: "Nightly export", technicalAccountId: i.id, metascopes: ["ent_keyward_api"], jwtEnabled: true, s2sEnabled: false, revokedAt: null });
    expect(stored?.credential.secretHint).toBe(i.technicalAccount.clientSecret.slice(-4));
    expect(stored?.keys).toHaveLength(1);
    expect(stored?.keys[0]).toMatchObject({ certificatePem: i.publicKey, notBefore: from, notAfter: to });
  });

  it("keeps neither the client secret nor the private key in plain text anywhere in the database", async () => {
    const bundle = await create();
    const secret = bundle.integration.technicalAccount.clientSecret;
    const keyBody = bundle.integration.privateKey!.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
    const certBody = bundle.integration.publicKey!.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
    const needles = [secret, secret.slice("kwsc_".length), keyBody.join(""), keyBody.join("\n"), ...keyBody.slice(0, 5)];

    // Every file of the database (main, WAL, shared memory), byte for byte.
    const files = fs.readdirSync(rt.dir).filter((f) => f.startsWith("keyward.db"));
    expect(files).toContain("keyward.db");
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(rt.dir, f))));
    for (const n of needles) expect(bytes.includes(n)).toBe(false);
    // The search itself works: the certificate, which is public, is found.
    expect(bytes.includes(certBody[0]!)).toBe(true);

    // And every row of every table, read through another connection.
    const db = new Database(path.join(rt.dir, "keyward.db"), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      expect(tables).toEqual(expect.arrayContaining(["service_credentials", "service_credential_keys", "users", "audit_events"]));
      // Every cell's value as it is (blobs as bytes), so nothing is hidden by an encoding.
      const cells = tables.flatMap((t) =>
        (db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).flat().map((v) => (Buffer.isBuffer(v) ? v.toString("latin1") : String(v))),
      );
      const text = cells.join("\u0000");
      for (const n of needles) expect(text.includes(n)).toBe(false);
      expect(text.includes(certBody.join("\n"))).toBe(true);
      const row = db.prepare("SELECT secret_hash, secret_ciphertext FROM service_credentials").get() as { secret_hash: string; secret_ciphertext: string };
      expect(row.secret_hash).not.toContain(secret.slice(5, 20));
      expect(row.secret_ciphertext).not.toContain(secret.slice(5, 20));
    } finally {
      db.close();
    }
  });

  it("makes the technical account a users row of kind technical, not listed, that cannot sign in", async () => {
    const bundle = await create();
    const account = await rt.store.users.byId(bundle.integration.id);
    expect(account).toMatchObject({ id: bundle.integration.id, username: bundle.integration.id, email: bundle.integration.email, kind: "technical", accessLevel: "user", isActive: true, isDeveloper: false });
    expect(account?.name).toBe("Nightly export");
    const listed = await rt.store.users.list({ limit: 100, offset: 0 });
    expect(listed.users.map((u) => u.username)).toEqual(["admin"]);
    expect(listed.total).toBe(1);
    expect((await rt.store.users.list({ search: "techacct", limit: 100, offset: 0 })).users).toEqual([]);

    const unknown = await api("/login", { form: { username: "no.such.user", password: "any-password-1" } });
    expect(unknown.status).toBe(401);
    for (const password of ["any-password-1", "!technical-account", account!.passwordHash, bundle.integration.technicalAccount.clientSecret]) {
      const r = await api("/login", { form: { username: bundle.integration.id, password } });
      expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: unknown.body });
    }
    const failures = await auditRows("auth.login_failed");
    expect(failures.filter((e) => e.actorName === bundle.integration.id).every((e) => (e.details as { reason?: string }).reason === "unknown user")).toBe(true);
  });

  it("applies the access level chosen; a technical administrator is not counted among the administrators", async () => {
    const admin = await create({ name: "Admin bot", accessLevel: "admin" });
    rt.clock.advance(1000);
    const user = await create({ name: "User bot" });
    expect((await rt.store.users.byId(admin.integration.id))?.accessLevel).toBe("admin");
    expect((await rt.store.users.byId(user.integration.id))?.accessLevel).toBe("user");
    expect(await rt.store.users.countAdmins({ activeOnly: true })).toBe(1);
    const views = await listServiceCredentials(ctx);
    expect(views.map((v) => [v.name, v.accessLevel])).toEqual([
      ["Admin bot", "admin"],
      ["User bot", "user"],
    ]);
    const [event] = await auditRows("service_credential.create");
    expect(event?.details).toMatchObject({ name: "User bot", accessLevel: "user" });
  });

  it("an OAuth Server-to-Server credential's bundle has no key pair, and it stores no certificate", async () => {
    const bundle = await create({ type: "oauth_server_to_server", metascopes: ["ent_keyward_readonly_api", "ent_keyward_api"] });
    expect(Object.keys(bundle.integration).sort()).toEqual(["email", "id", "imsEndpoint", "metascopes", "org", "technicalAccount"]);
    expect(bundle.integration.metascopes).toBe("ent_keyward_api,ent_keyward_readonly_api");
    const stored = await rt.store.serviceCredentials.withKeys(clientIdOf(bundle));
    expect(stored?.credential).toMatchObject({ jwtEnabled: false, s2sEnabled: true, metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"] });
    expect(stored?.keys).toEqual([]);
  });

  it("refuses an empty or long name, an unknown metascope and no metascope, storing nothing", async () => {
    const refused: Partial<CreateServiceCredentialInput>[] = [
      { name: "" },
      { name: "   " },
      { name: "x".repeat(101) },
      { metascopes: ["ent_other_sdk"] },
      { metascopes: ["ent_keyward_api", "ent_other_sdk"] },
      { metascopes: [] },
      { type: "oauth_server_to_server", metascopes: [] },
    ];
    for (const over of refused) await expect(create(over)).rejects.toBeInstanceOf(InvalidRequest);
    await expect(createServiceCredential(ctx, { name: "x", type: "saml" } as unknown as CreateServiceCredentialInput)).rejects.toBeInstanceOf(InvalidRequest);
    expect(await rt.store.serviceCredentials.count()).toBe(0);
    expect(await auditRows("service_credential.create")).toEqual([]);
  });

  it("is refused to a non-administrator, even a developer, and to an administrator acting through an access token", async () => {
    const dev = await developerContext();
    await expect(createServiceCredential(dev, { name: "Mine" })).rejects.toBeInstanceOf(Forbidden);
    const viaToken = await tokenContext();
    await expect(createServiceCredential(viaToken, { name: "Via token" })).rejects.toBeInstanceOf(Forbidden);
    await expect(createServiceCredential(viaToken, { name: "Via token", type: "oauth_server_to_server" })).rejects.toBeInstanceOf(Forbidden);
    expect(await rt.store.serviceCredentials.count()).toBe(0);
  });

  it("allows at most 100 credentials, revoked ones included, also when the creates race", async () => {
    const results = await Promise.allSettled(Array.from({ length: 101 }, (_, n) => create({ name: `Bot ${n}`, type: "oauth_server_to_server" })));
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(100);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    expect(await rt.store.serviceCredentials.count()).toBe(100);
    const first = (results[0] as PromiseFulfilledResult<ServiceCredentialBundle>).value;
    await revokeServiceCredential(ctx, clientIdOf(first));
    await expect(create({ name: "One more" })).rejects.toBeInstanceOf(Conflict);
    await expect(create({ name: "One more", type: "oauth_server_to_server" })).rejects.toThrow(/100 service credentials/);
    expect(await rt.store.serviceCredentials.count()).toBe(100);
    // No refused create left a technical account behind.
    const db = new Database(path.join(rt.dir, "keyward.db"), { readonly: true, fileMustExist: true });
    try {
      expect(db.prepare("SELECT count(*) FROM users WHERE kind = 'technical'").pluck().get()).toBe(100);
    } finally {
      db.close();
    }
  });
});

describe("Refresh", () => {
  it("adds a key pair with the same client ID and secret; the old certificate stays; a sixth valid certificate is refused", async () => {
    const bundle = await create();
    rt.clock.advance(1000);
    const refreshed = await refreshServiceCredential(ctx, clientIdOf(bundle));
    expect(Object.keys(refreshed.integration).sort()).toEqual(Object.keys(bundle.integration).sort());
    expect(refreshed.integration.technicalAccount).toEqual(bundle.integration.technicalAccount);
    expect({ ...refreshed.integration, privateKey: "", publicKey: "" }).toEqual({ ...bundle.integration, privateKey: "", publicKey: "" });
    expect(refreshed.integration.privateKey).not.toBe(bundle.integration.privateKey);
    expect(refreshed.integration.publicKey).not.toBe(bundle.integration.publicKey);
    expect(new X509Certificate(refreshed.integration.publicKey!).checkPrivateKey(createPrivateKey(refreshed.integration.privateKey!))).toBe(true);
    const keys = await rt.store.serviceCredentialKeys.list(clientIdOf(bundle));
    expect(keys.map((k) => k.certificatePem)).toEqual([bundle.integration.publicKey, refreshed.integration.publicKey]);
    // Both keys exchange.
    for (const b of [bundle, refreshed]) expect((await exchange(b)).status).toBe(200);

    for (let n = 0; n < 3; n++) await refreshServiceCredential(ctx, clientIdOf(bundle));
    expect(await rt.store.serviceCredentialKeys.list(clientIdOf(bundle))).toHaveLength(5);
    await expect(refreshServiceCredential(ctx, clientIdOf(bundle))).rejects.toSatisfy((e: unknown) => e instanceof Conflict && /5 valid certificates/.test(e.message));
    expect(await rt.store.serviceCredentialKeys.list(clientIdOf(bundle))).toHaveLength(5);
    expect(await auditRows("service_credential.refresh")).toHaveLength(4);
  });

  it("once certificates have expired, a refresh removes them and makes room", async () => {
    const bundle = await create();
    for (let n = 0; n < 4; n++) await refreshServiceCredential(ctx, clientIdOf(bundle));
    rt.clock.advance(365 * DAY + 1000);
    const refreshed = await refreshServiceCredential(ctx, clientIdOf(bundle));
    const keys = await rt.store.serviceCredentialKeys.list(clientIdOf(bundle));
    expect(keys.map((k) => k.certificatePem)).toEqual([refreshed.integration.publicKey]);
    const [event] = await auditRows("service_credential.refresh");
    expect((event?.details as { removedExpiredKeys: string[] }).removedExpiredKeys).toHaveLength(5);
  });

  it("is refused for a revoked credential (Conflict), an OAuth Server-to-Server one (InvalidRequest) and an unknown one (NotFound)", async () => {
    const revoked = await create();
    await revokeServiceCredential(ctx, clientIdOf(revoked));
    await expect(refreshServiceCredential(ctx, clientIdOf(revoked))).rejects.toBeInstanceOf(Conflict);
    const s2s = await create({ type: "oauth_server_to_server" });
    await expect(refreshServiceCredential(ctx, clientIdOf(s2s))).rejects.toBeInstanceOf(InvalidRequest);
    await expect(refreshServiceCredential(ctx, "0".repeat(32))).rejects.toBeInstanceOf(NotFound);
    expect(await rt.store.serviceCredentialKeys.list(clientIdOf(revoked))).toHaveLength(1);
    expect(await auditRows("service_credential.refresh")).toEqual([]);
  });
});

describe("Remove certificate", () => {
  it("refuses the only certificate of a JWT-only credential; after a refresh it removes the old one and the tokens it bought", async () => {
    const bundle = await create();
    const [only] = await rt.store.serviceCredentialKeys.list(clientIdOf(bundle));
    await expect(removeCredentialKey(ctx, clientIdOf(bundle), only!.id)).rejects.toBeInstanceOf(Conflict);
    const oldToken = (await exchange(bundle)).body.access_token as string;
    const refreshed = await refreshServiceCredential(ctx, clientIdOf(bundle));
    const newToken = (await exchange(refreshed)).body.access_token as string;
    expect(await searchStatus(oldToken)).toBe(200);

    expect(await removeCredentialKey(ctx, clientIdOf(bundle), only!.id)).toEqual({ tokens: 1 });
    expect(await searchStatus(oldToken)).toBe(401);
    expect(await searchStatus(newToken)).toBe(200);
    expect((await exchange(bundle)).body.error).toBe("invalid_signature");
    expect((await exchange(refreshed)).status).toBe(200);
    await expect(removeCredentialKey(ctx, clientIdOf(bundle), only!.id)).rejects.toBeInstanceOf(NotFound);
    const [event] = await auditRows("service_credential.remove_key");
    expect(event).toMatchObject({ subjectId: clientIdOf(bundle), details: { keyId: only!.id, revokedTokens: 1 } });
  });

  it("removes the last certificate of a migrated credential, and refuses another credential's certificate", async () => {
    const a = await create();
    const b = await create({ name: "Other" });
    const [bKey] = await rt.store.serviceCredentialKeys.list(clientIdOf(b));
    await expect(removeCredentialKey(ctx, clientIdOf(a), bKey!.id)).rejects.toBeInstanceOf(NotFound);
    expect(await rt.store.serviceCredentialKeys.list(clientIdOf(b))).toHaveLength(1);
    await migrateServiceCredential(ctx, clientIdOf(a));
    const [aKey] = await rt.store.serviceCredentialKeys.list(clientIdOf(a));
    expect(await removeCredentialKey(ctx, clientIdOf(a), aKey!.id)).toEqual({ tokens: 0 });
    expect(await rt.store.serviceCredentialKeys.list(clientIdOf(a))).toEqual([]);
    expect((await clientCredentials(a)).status).toBe(200);
  });
});

describe("Migrate and Revoke JWT side", () => {
  it("migrating adds OAuth Server-to-Server with the same client ID and secret; revoking the JWT side then ends JWT tokens only", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    const jwtToken = (await exchange(bundle)).body.access_token as string;
    expect((await clientCredentials(bundle)).body.error).toBe("invalid_client");
    await expect(revokeJwtSide(ctx, id)).rejects.toBeInstanceOf(Conflict);
    expect((await listServiceCredentials(ctx))[0]?.typeLabel).toBe("JWT (service account)");

    rt.clock.advance(60_000);
    await migrateServiceCredential(ctx, id);
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential).toMatchObject({ jwtEnabled: true, s2sEnabled: true, migratedAt: rt.clock.now() });
    await expect(migrateServiceCredential(ctx, id)).rejects.toBeInstanceOf(Conflict);
    expect((await listServiceCredentials(ctx))[0]?.typeLabel).toBe("JWT + OAuth Server-to-Server (migrating)");
    const s2s = await clientCredentials(bundle);
    expect(s2s.status).toBe(200);
    const s2sToken = s2s.body.access_token as string;
    expect((await exchange(bundle)).status).toBe(200);
    expect(await searchStatus(jwtToken)).toBe(200);

    expect(await revokeJwtSide(ctx, id)).toEqual({ tokens: 2 });
    expect(await searchStatus(jwtToken)).toBe(401);
    expect(await searchStatus(s2sToken)).toBe(200);
    expect((await exchange(bundle)).body.error).toBe("invalid_client");
    expect((await clientCredentials(bundle)).status).toBe(200);
    expect(await rt.store.serviceCredentialKeys.list(id)).toEqual([]);
    const [view] = await listServiceCredentials(ctx);
    expect(view).toMatchObject({ typeLabel: "OAuth Server-to-Server", jwtEnabled: false, s2sEnabled: true, expiry: "none", keys: [], status: "active" });
    await expect(revokeJwtSide(ctx, id)).rejects.toBeInstanceOf(Conflict);
    await expect(refreshServiceCredential(ctx, id)).rejects.toBeInstanceOf(InvalidRequest);

    const [migrated] = await auditRows("service_credential.migrate");
    expect(migrated).toMatchObject({ subjectId: id, actorName: "admin", details: { jwtStillEnabled: true } });
    const [revokedJwt] = await auditRows("service_credential.revoke_jwt");
    expect(revokedJwt).toMatchObject({ subjectId: id, details: { revokedTokens: 2, removedKeys: 1 } });
  });

  it("migrating an OAuth Server-to-Server credential is refused", async () => {
    const s2s = await create({ type: "oauth_server_to_server" });
    await expect(migrateServiceCredential(ctx, clientIdOf(s2s))).rejects.toBeInstanceOf(Conflict);
    await expect(revokeJwtSide(ctx, clientIdOf(s2s))).rejects.toBeInstanceOf(Conflict);
    expect(await auditRows("service_credential.migrate")).toEqual([]);
  });
});

describe("Revoke", () => {
  it("ends every token at once, deactivates the technical account and keeps the row, greyed", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    await migrateServiceCredential(ctx, id);
    const tokens = [(await exchange(bundle)).body.access_token as string, (await clientCredentials(bundle)).body.access_token as string];
    for (const t of tokens) expect(await searchStatus(t)).toBe(200);
    rt.clock.advance(1000);

    expect(await revokeServiceCredential(ctx, id)).toEqual({ tokens: 2 });
    for (const t of tokens) expect(await searchStatus(t)).toBe(401);
    expect((await rt.store.users.byId(bundle.integration.id))?.isActive).toBe(false);
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential).toMatchObject({ revokedAt: rt.clock.now(), jwtEnabled: false, s2sEnabled: false });
    expect((await rt.store.serviceCredentials.usage(rt.clock.now())).find((u) => u.clientId === id)).toBeUndefined();
    expect((await exchange(bundle)).body.error).toBe("invalid_client");
    expect((await clientCredentials(bundle)).body.error).toBe("invalid_client");
    const [view] = await listServiceCredentials(ctx);
    expect(view).toMatchObject({ clientId: id, status: "revoked", revokedAt: rt.clock.now(), expiry: "none", liveTokens: 0, typeLabel: "JWT + OAuth Server-to-Server (migrating)" });

    for (const verb of [
      () => revokeServiceCredential(ctx, id),
      () => refreshServiceCredential(ctx, id),
      () => migrateServiceCredential(ctx, id),
      () => revokeJwtSide(ctx, id),
      () => removeCredentialKey(ctx, id, view!.keys[0]!.id),
    ]) {
      await expect(verb()).rejects.toBeInstanceOf(Conflict);
    }
    const [event] = await auditRows("service_credential.revoke");
    expect(event).toMatchObject({ subjectId: id, details: { name: "Nightly export", technicalAccountId: bundle.integration.id, revokedTokens: 2 } });
  });

  it("a revoked credential keeps the label of its type in the list", async () => {
    const jwt = await create({ name: "JWT" });
    rt.clock.advance(1000);
    const s2s = await create({ name: "S2S", type: "oauth_server_to_server" });
    await revokeServiceCredential(ctx, clientIdOf(jwt));
    await revokeServiceCredential(ctx, clientIdOf(s2s));
    expect((await listServiceCredentials(ctx)).map((v) => [v.name, v.status, v.typeLabel])).toEqual([
      ["JWT", "revoked", "JWT (service account)"],
      ["S2S", "revoked", "OAuth Server-to-Server"],
    ]);
  });
});

describe("the console home's attention list", () => {
  it("names active JWT credentials whose newest certificate expires within 30 days or has expired, and nothing else", async () => {
    const soon = await create({ name: "Soon" });
    const refreshed = await create({ name: "Refreshed" });
    const revoked = await create({ name: "Revoked" });
    await create({ name: "Server to server", type: "oauth_server_to_server" });
    expect(await credentialsNeedingAttention(ctx)).toEqual([]);
    rt.clock.advance(340 * DAY);
    // A refresh gives a certificate valid for a year from now: that credential no longer needs attention.
    await refreshServiceCredential(ctx, clientIdOf(refreshed));
    await revokeServiceCredential(ctx, clientIdOf(revoked));
    expect((await credentialsNeedingAttention(ctx)).map((c) => [c.name, c.expiry])).toEqual([["Soon", "expiring"]]);
    rt.clock.advance(30 * DAY);
    expect((await credentialsNeedingAttention(ctx)).map((c) => [c.clientId, c.expiry])).toEqual([[clientIdOf(soon), "expired"]]);
  });

  it("is for administrators only", async () => {
    await createUser(ctx, { username: "plain.user", name: "Plain", password: "plain-password-1" }, { apiFieldNames: false });
    await expect(credentialsNeedingAttention(await consoleContext(rt, "plain.user"))).rejects.toBeInstanceOf(Forbidden);
  });
});

describe("the list", () => {
  it("shows each credential's fields, certificates and live tokens, never a secret", async () => {
    const bundle = await create({ metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"] });
    await exchange(bundle);
    const now = rt.clock.now();
    rt.clock.advance(1000);
    const s2s = await create({ name: "Sync", type: "oauth_server_to_server" });
    const [key] = await rt.store.serviceCredentialKeys.list(clientIdOf(bundle));
    const views = await listServiceCredentials(ctx);
    expect(views).toEqual([
      {
        clientId: clientIdOf(bundle),
        name: "Nightly export",
        technicalAccountId: bundle.integration.id,
        technicalAccountEmail: bundle.integration.email,
        accessLevel: "user",
        metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"],
        typeLabel: "JWT (service account)",
        jwtEnabled: true,
        s2sEnabled: false,
        migratedAt: null,
        secretHint: bundle.integration.technicalAccount.clientSecret.slice(-4),
        createdAt: now,
        lastUsedAt: now,
        revokedAt: null,
        status: "active",
        certificateExpires: key!.notAfter,
        expiry: "valid",
        keys: [{ id: key!.id, fingerprint256: key!.fingerprint256, notBefore: key!.notBefore, notAfter: key!.notAfter, expiry: "valid", createdAt: now, lastUsedAt: now }],
        liveTokens: 1,
      },
      expect.objectContaining({
        clientId: clientIdOf(s2s),
        name: "Sync",
        typeLabel: "OAuth Server-to-Server",
        certificateExpires: null,
        expiry: "none",
        keys: [],
        liveTokens: 0,
        lastUsedAt: null,
      }),
    ]);
    const text = JSON.stringify(views);
    for (const b of [bundle, s2s]) expect(text).not.toContain(b.integration.technicalAccount.clientSecret);
    const stored = await rt.store.serviceCredentials.list();
    for (const c of stored) {
      expect(text).not.toContain(c.secretHash);
      expect(text).not.toContain(c.secretCiphertext);
    }
  });

  it("shows a certificate as expiring within 30 days of its expiry, and expired after", async () => {
    const bundle = await create();
    const [key] = await rt.store.serviceCredentialKeys.list(clientIdOf(bundle));
    const at = async (t: number) => {
      rt.clock.set(t);
      const [view] = await listServiceCredentials(ctx);
      return [view!.expiry, view!.keys[0]!.expiry];
    };
    expect(await at(key!.notAfter - 30 * DAY - 1)).toEqual(["valid", "valid"]);
    expect(await at(key!.notAfter - 30 * DAY)).toEqual(["expiring", "expiring"]);
    expect(await at(key!.notAfter)).toEqual(["expiring", "expiring"]);
    expect(await at(key!.notAfter + 1)).toEqual(["expired", "expired"]);
    // A refresh brings the newest certificate's expiry; the old one still shows as expired.
    const refreshed = await refreshServiceCredential(ctx, clientIdOf(bundle));
    expect(refreshed.integration.publicKey).toBeDefined();
    const [view] = await listServiceCredentials(ctx);
    expect(view!.expiry).toBe("valid");
    expect(view!.keys.map((k) => k.expiry)).toEqual(["valid"]);
  });

  it("is for administrators only", async () => {
    await create();
    await expect(listServiceCredentials(await developerContext())).rejects.toBeInstanceOf(Forbidden);
  });
});

describe("who may manage credentials", () => {
  it("refresh, remove, migrate, revoke JWT side and revoke are refused to a developer and to an access token", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    const [key] = await rt.store.serviceCredentialKeys.list(id);
    for (const c of [await developerContext(), await tokenContext()]) {
      for (const verb of [
        () => refreshServiceCredential(c, id),
        () => removeCredentialKey(c, id, key!.id),
        () => migrateServiceCredential(c, id),
        () => revokeJwtSide(c, id),
        () => revokeServiceCredential(c, id),
      ]) {
        await expect(verb()).rejects.toBeInstanceOf(Forbidden);
      }
    }
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential).toMatchObject({ revokedAt: null, s2sEnabled: false, jwtEnabled: true });
    expect(await rt.store.serviceCredentialKeys.list(id)).toHaveLength(1);
  });
});

describe("audit rows commit with their change", () => {
  class AuditFailed extends Error {}

  /** Runs `verb` with the audit row of `action` failing inside its transaction; the verb must fail. */
  async function failingAudit(action: string, verb: () => Promise<unknown>): Promise<void> {
    const original = rt.store.transaction.bind(rt.store);
    const spy = vi.spyOn(rt.store, "transaction").mockImplementation(<T,>(fn: (tx: Store) => Promise<T>) =>
      original((tx) =>
        fn(
          new Proxy(tx, {
            get: (target, prop, receiver) =>
              prop === "audit"
                ? {
                    ...target.audit,
                    append: async (e: AuditEventInput) => {
                      if (e.action === action) throw new AuditFailed(action);
                      return target.audit.append(e);
                    },
                  }
                : Reflect.get(target, prop, receiver),
          }),
        ),
      ),
    );
    try {
      await expect(verb()).rejects.toBeInstanceOf(AuditFailed);
    } finally {
      spy.mockRestore();
    }
  }

  it("create, refresh, remove_key, migrate, revoke_jwt and revoke: without their audit row nothing changes; with it, the row names the change", async () => {
    await failingAudit("service_credential.create", () => create());
    expect(await rt.store.serviceCredentials.count()).toBe(0);
    expect(await rt.store.users.byUsername("Nightly export")).toBeNull();

    const bundle = await create();
    const id = clientIdOf(bundle);
    const [created] = await auditRows("service_credential.create");
    expect(created).toMatchObject({ subjectType: "service_credential", subjectId: id, actorName: "admin", details: { name: "Nightly export", type: "jwt", technicalAccountId: bundle.integration.id } });
    const keysNow = async () => (await rt.store.serviceCredentialKeys.list(id)).map((k) => k.id);
    const [firstKey] = await keysNow();

    await failingAudit("service_credential.refresh", () => refreshServiceCredential(ctx, id));
    expect(await keysNow()).toEqual([firstKey]);
    rt.clock.advance(1000);
    await refreshServiceCredential(ctx, id);
    const afterRefresh = await keysNow();
    expect(afterRefresh).toHaveLength(2);
    expect((await auditRows("service_credential.refresh"))[0]).toMatchObject({ subjectId: id, details: { keyId: afterRefresh[1], keptKeys: [firstKey] } });

    const token = (await exchange(bundle)).body.access_token as string;
    await failingAudit("service_credential.remove_key", () => removeCredentialKey(ctx, id, firstKey!));
    expect(await keysNow()).toEqual(afterRefresh);
    expect(await searchStatus(token)).toBe(200);
    await removeCredentialKey(ctx, id, firstKey!);
    expect(await keysNow()).toEqual([afterRefresh[1]]);
    expect((await auditRows("service_credential.remove_key"))[0]).toMatchObject({ subjectId: id, details: { keyId: firstKey, revokedTokens: 1 } });

    await failingAudit("service_credential.migrate", () => migrateServiceCredential(ctx, id));
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential).toMatchObject({ s2sEnabled: false, migratedAt: null });
    await migrateServiceCredential(ctx, id);
    expect((await auditRows("service_credential.migrate"))[0]).toMatchObject({ subjectId: id });

    const jwtToken = (await exchange(await refreshServiceCredential(ctx, id))).body.access_token as string;
    await failingAudit("service_credential.revoke_jwt", () => revokeJwtSide(ctx, id));
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential.jwtEnabled).toBe(true);
    expect(await keysNow()).toHaveLength(2);
    expect(await searchStatus(jwtToken)).toBe(200);
    await revokeJwtSide(ctx, id);
    expect((await auditRows("service_credential.revoke_jwt"))[0]).toMatchObject({ subjectId: id, details: { revokedTokens: 1, removedKeys: 2 } });

    const s2sToken = (await clientCredentials(bundle)).body.access_token as string;
    await failingAudit("service_credential.revoke", () => revokeServiceCredential(ctx, id));
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential.revokedAt).toBeNull();
    expect((await rt.store.users.byId(bundle.integration.id))?.isActive).toBe(true);
    expect(await searchStatus(s2sToken)).toBe(200);
    await revokeServiceCredential(ctx, id);
    expect((await auditRows("service_credential.revoke"))[0]).toMatchObject({ subjectId: id, details: { revokedTokens: 1 } });
    expect(await searchStatus(s2sToken)).toBe(401);
  });
});

describe("verbs that race", () => {
  it("two removals of the two certificates of a JWT-only credential at once: one wins, one certificate stays", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    await refreshServiceCredential(ctx, id);
    const keys = await rt.store.serviceCredentialKeys.list(id);
    expect(keys).toHaveLength(2);
    const results = await Promise.allSettled(keys.map((k) => removeCredentialKey(ctx, id, k.id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    expect(await rt.store.serviceCredentialKeys.list(id)).toHaveLength(1);
    expect(await auditRows("service_credential.remove_key")).toHaveLength(1);
  });

  it("refreshes at once never take a credential past five valid certificates", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    for (let n = 0; n < 3; n++) await refreshServiceCredential(ctx, id);
    const results = await Promise.allSettled([refreshServiceCredential(ctx, id), refreshServiceCredential(ctx, id), refreshServiceCredential(ctx, id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(r.reason).toBeInstanceOf(Conflict);
    expect(await rt.store.serviceCredentialKeys.list(id)).toHaveLength(5);
  });

  it("a migration racing a revocation leaves the credential revoked with both sides off", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    const [revoked, migrated] = await Promise.allSettled([revokeServiceCredential(ctx, id), migrateServiceCredential(ctx, id)]);
    expect(revoked.status).toBe("fulfilled");
    expect((await rt.store.serviceCredentials.withKeys(id))?.credential).toMatchObject({ jwtEnabled: false, s2sEnabled: false, revokedAt: rt.clock.now() });
    expect((await clientCredentials(bundle)).body.error).toBe("invalid_client");
    // The migration either lost (refused: the credential is revoked) or ran wholly before the revocation.
    const migrations = await auditRows("service_credential.migrate");
    if (migrated.status === "rejected") {
      expect(migrated.reason).toBeInstanceOf(Conflict);
      expect(migrations).toEqual([]);
    } else {
      expect(migrations[0]!.id).toBeLessThan((await auditRows("service_credential.revoke"))[0]!.id);
    }
  });

  it("two revocations at once: one revokes, the other is told it already was", async () => {
    const bundle = await create();
    const id = clientIdOf(bundle);
    const results = await Promise.allSettled([revokeServiceCredential(ctx, id), revokeServiceCredential(ctx, id)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await auditRows("service_credential.revoke")).toHaveLength(1);
  });
});
