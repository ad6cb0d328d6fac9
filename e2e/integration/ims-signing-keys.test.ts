/**
 * The keys this server signs IMS access tokens with: the first start's key, the JWKS at GET
 * /ims/keys, rotation (old tokens keep working; the old key stays published until its tokens have
 * expired, then the purge removes it), who may rotate, and what is stored of the private key.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { actorOf } from "../../lib/domain/actor";
import { IMS_TOKEN_TTL_MS } from "../../lib/domain/service-credential";
import { Forbidden } from "../../lib/errors";
import { handleImsRequest } from "../../lib/ims/handler";
import type { ServiceContext } from "../../lib/services/context";
import { issueLocalDevelopmentToken } from "../../lib/services/ims/local-token";
import { ensureSigningKey, listSigningKeys, rotateSigningKey } from "../../lib/services/ims/signing-keys";
import { purgeExpiredSometimes } from "../../lib/services/oauth/purge";
import { createUser } from "../../lib/services/users/write";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let admin: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  admin = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

async function keysEndpoint(method = "GET"): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await handleImsRequest(new Request("http://localhost:3000/ims/keys", { method }));
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text), headers: res.headers };
}

const jwks = async () => (await keysEndpoint()).body as { keys: Record<string, unknown>[] };
const publishedKids = async () => (await jwks()).keys.map((k) => k.kid);
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;
const search = async (t: string) => (await api("/project/search", { headers: { authorization: `Bearer ${t}` } })).status;
const newToken = async () => (await issueLocalDevelopmentToken(admin)).accessToken;

describe("the first key and the JWKS", () => {
  it("a fresh instance has exactly one current ES256 key, created by the system", async () => {
    const keys = await rt.store.signingKeys.list();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ alg: "ES256", retiredAt: null });
    const [created] = await rt.store.audit.list({ action: "signing_key.create", limit: 10 });
    expect(created).toMatchObject({ actorName: "system", subjectType: "signing_key", subjectId: keys[0]!.kid });
    // Starting again finds it.
    await ensureSigningKey(rt);
    expect(await rt.store.signingKeys.list()).toEqual(keys);
  });

  it("GET /ims/keys publishes its public half: kid, kty, crv, x, y, alg, use, and no private member", async () => {
    const [key] = await rt.store.signingKeys.list();
    const r = await keysEndpoint();
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("cache-control")).toBe("public, max-age=60");
    expect(Object.keys(r.body as object)).toEqual(["keys"]);
    expect(r.body.keys).toHaveLength(1);
    const jwk = r.body.keys[0] as Record<string, unknown>;
    expect(Object.keys(jwk).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(jwk).toEqual({ kid: key!.kid, kty: "EC", crv: "P-256", alg: "ES256", use: "sig", x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), y: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(jwk).not.toHaveProperty("d");
    expect(JSON.stringify(r.body)).not.toMatch(/"d"|PRIVATE/);
  });

  it("a standard JWT library verifies the server's tokens with the published JWKS", async () => {
    const t = await newToken();
    const { payload, protectedHeader } = await jwtVerify(t, createLocalJWKSet(await jwks()), { algorithms: ["ES256"], currentDate: new Date(rt.clock.now()) });
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid: (await rt.store.signingKeys.list())[0]!.kid });
    expect(payload).toMatchObject({ type: "access_token", as: "keyward" });
  });

  it("answers 405 to other methods than GET (HEAD is GET)", async () => {
    expect((await keysEndpoint("HEAD")).status).toBe(200);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await keysEndpoint(method);
      expect({ method, status: r.status, error: r.body?.error }).toEqual({ method, status: 405, error: "method_not_allowed" });
    }
  });
});

describe("rotation", () => {
  it("makes a new key current; new tokens use it and old ones keep working", async () => {
    const [first] = await rt.store.signingKeys.list();
    const before = await newToken();
    expect(headerOf(before).kid).toBe(first!.kid);
    rt.clock.advance(60_000);

    const rotated = await rotateSigningKey(admin);
    expect(rotated).toEqual({ kid: expect.any(String), retired: 1 });
    expect(rotated.kid).not.toBe(first!.kid);
    const keys = await rt.store.signingKeys.list();
    expect(keys.map((k) => [k.kid, k.retiredAt])).toEqual([
      [rotated.kid, null],
      [first!.kid, rt.clock.now()],
    ]);
    const after = await newToken();
    expect(headerOf(after).kid).toBe(rotated.kid);
    expect(await search(before)).toBe(200);
    expect(await search(after)).toBe(200);
    expect(await publishedKids()).toEqual(expect.arrayContaining([first!.kid, rotated.kid]));
    expect(await publishedKids()).toHaveLength(2);

    expect(await listSigningKeys(admin)).toEqual([
      { kid: rotated.kid, alg: "ES256", createdAt: rt.clock.now(), retiredAt: null, publishedUntil: null, current: true },
      { kid: first!.kid, alg: "ES256", createdAt: first!.createdAt, retiredAt: rt.clock.now(), publishedUntil: rt.clock.now() + IMS_TOKEN_TTL_MS, current: false },
    ]);
    const [event] = await rt.store.audit.list({ action: "signing_key.rotate", limit: 10 });
    expect(event).toMatchObject({ actorName: "admin", subjectType: "signing_key", subjectId: rotated.kid, details: { retired: 1 } });
  });

  it("the old key stays published until its tokens have expired (retired + 24 h); then the purge deletes it", async () => {
    const [first] = await rt.store.signingKeys.list();
    rt.clock.advance(3_600_000);
    const lastOld = await newToken();
    const { kid } = await rotateSigningKey(admin);
    const retiredAt = rt.clock.now();

    rt.clock.set(retiredAt + IMS_TOKEN_TTL_MS - 1);
    expect((await publishedKids()).sort()).toEqual([first!.kid, kid].sort());
    expect(await search(lastOld)).toBe(200);
    rt.clock.set(retiredAt + IMS_TOKEN_TTL_MS);
    expect(await publishedKids()).toEqual([kid]);
    expect(await search(lastOld)).toBe(401);
    expect((await listSigningKeys(admin)).map((k) => k.kid)).toEqual([kid]);
    // Not yet purged: the row stays until the purge runs.
    expect(await rt.store.signingKeys.list()).toHaveLength(2);

    // The background purge runs at most every ten minutes, after a first call that starts its clock.
    purgeExpiredSometimes(rt);
    rt.clock.advance(10 * 60_000);
    purgeExpiredSometimes(rt);
    await vi.waitFor(async () => expect((await rt.store.signingKeys.list()).map((k) => k.kid)).toEqual([kid]));
    expect(await publishedKids()).toEqual([kid]);
    expect(await search(await newToken())).toBe(200);
  });

  it("deleteRetiredBefore keeps a key retired less than a token lifetime ago", async () => {
    const [first] = await rt.store.signingKeys.list();
    const { kid } = await rotateSigningKey(admin);
    const retiredAt = rt.clock.now();
    expect(await rt.store.signingKeys.deleteRetiredBefore(retiredAt)).toBe(0);
    expect(await rt.store.signingKeys.deleteRetiredBefore(retiredAt + 1)).toBe(1);
    expect((await rt.store.signingKeys.list()).map((k) => k.kid)).toEqual([kid]);
    expect(await publishedKids()).toEqual([kid]);
    expect(first!.kid).not.toBe(kid);
  });

  it("rotating twice keeps both retired keys published beside the current one", async () => {
    const t0 = await newToken();
    const a = await rotateSigningKey(admin);
    rt.clock.advance(1000);
    const t1 = await newToken();
    const b = await rotateSigningKey(admin);
    expect(b.retired).toBe(1);
    expect(await publishedKids()).toHaveLength(3);
    expect((await rt.store.signingKeys.list()).filter((k) => k.retiredAt === null).map((k) => k.kid)).toEqual([b.kid]);
    for (const t of [t0, t1, await newToken()]) expect(await search(t)).toBe(200);
    expect(headerOf(t1).kid).toBe(a.kid);
  });

  it("is refused to a non-administrator and to an actor authenticated by an access token", async () => {
    await createUser(admin, { username: "dev.user", name: "Dev", password: "dev-password-123", isDeveloper: true }, { apiFieldNames: false });
    const dev = await consoleContext(rt, "dev.user");
    const adminRow = (await rt.store.users.byUsername("admin"))!;
    const viaToken: ServiceContext = { rt, actor: actorOf(adminRow, { kind: "access_token", clientId: "some-app" }), meta: {} };
    await expect(rotateSigningKey(dev)).rejects.toBeInstanceOf(Forbidden);
    await expect(rotateSigningKey(viaToken)).rejects.toBeInstanceOf(Forbidden);
    await expect(listSigningKeys(dev)).rejects.toBeInstanceOf(Forbidden);
    expect(await rt.store.signingKeys.list()).toHaveLength(1);
    expect(await rt.store.audit.list({ action: "signing_key.rotate", limit: 10 })).toEqual([]);
  });
});

describe("what is stored", () => {
  it("the private key is sealed: no PEM, in any encoding, in its row or anywhere in the database files", async () => {
    await rotateSigningKey(admin);
    const db = new Database(path.join(rt.dir, "keyward.db"), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT kid, private_key_ciphertext, public_jwk FROM signing_keys").all() as { kid: string; private_key_ciphertext: string; public_jwk: string }[];
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        // The PEM's text, and the base64 of "-----BEGIN".
        for (const needle of ["BEGIN", "PRIVATE KEY", "-----", "LS0tLS1CRUdJTi"]) expect(r.private_key_ciphertext).not.toContain(needle);
        expect(r.private_key_ciphertext.length).toBeGreaterThan(100);
        const jwk = JSON.parse(r.public_jwk) as Record<string, unknown>;
        expect(jwk).not.toHaveProperty("d");
        expect(jwk.kid).toBe(r.kid);
      }
    } finally {
      db.close();
    }
    const files = fs.readdirSync(rt.dir).filter((f) => f.startsWith("keyward.db"));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(rt.dir, f))));
    expect(bytes.includes("PRIVATE KEY")).toBe(false);
    expect(bytes.includes("LS0tLS1CRUdJTiBQUklWQVRF")).toBe(false);
  });
});
