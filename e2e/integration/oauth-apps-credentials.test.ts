/**
 * The secret and key verbs through the services: at most five secrets and ten keys, one key once,
 * secrets only where there is a confidential client and keys only on machine-to-machine apps; every
 * verb for System Administrators only; a secret or key is found only under its own app's client ID.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Conflict, Forbidden, InvalidRequest, NotFound, Unauthorized } from "../../lib/errors";
import { addClientSecret } from "../../lib/services/oauth-apps/add-secret";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { generateKeyPair } from "../../lib/services/oauth-apps/generate-key-pair";
import { getOAuthApp, listOAuthApps } from "../../lib/services/oauth-apps/get";
import { deletePublicKey } from "../../lib/services/oauth-apps/remove-public-key";
import { deleteClientSecret } from "../../lib/services/oauth-apps/remove-secret";
import { deleteOAuthApp } from "../../lib/services/oauth-apps/remove";
import { setClientSecretNotes } from "../../lib/services/oauth-apps/secret-notes";
import { updateOAuthApp } from "../../lib/services/oauth-apps/update";
import type { ServiceContext } from "../../lib/services/context";
import { createUser } from "../../lib/services/users/write";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { createM2mApp, exchangeOk, makeSigners, searchWith, type M2mApp, type Signer } from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;
let app: M2mApp;

beforeAll(async () => {
  signers = await makeSigners(11);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  app = await createM2mApp(ctx, signers[0]!);
});
afterEach(() => rt.cleanup());

const pem = (i: number) => ({ bytes: signers[i]!.publicPem });
const spa = () => createOAuthApp(ctx, { type: "single_page", name: "Dash", redirectUris: ["https://dash.example/cb"] });
const webApp = () => createOAuthApp(ctx, { type: "web", name: "Portal", redirectUris: ["https://portal.example/cb"] });
const secretIdOf = async (clientId: string) => (await getOAuthApp(ctx, clientId)).secrets[0]!.id;

describe("client secrets", () => {
  it("an app has at most five secrets: the sixth is refused with Conflict", async () => {
    for (let i = 2; i <= 5; i++) await addClientSecret(ctx, app.clientId, `secret ${i}`);
    await expect(addClientSecret(ctx, app.clientId)).rejects.toBeInstanceOf(Conflict);
    expect((await getOAuthApp(ctx, app.clientId)).secrets).toHaveLength(5);
  });

  it("deleting a secret frees its place", async () => {
    for (let i = 2; i <= 5; i++) await addClientSecret(ctx, app.clientId);
    await deleteClientSecret(ctx, app.clientId, await secretIdOf(app.clientId));
    await expect(addClientSecret(ctx, app.clientId)).resolves.toMatchObject({ secret: expect.any(String) });
  });

  it("a single-page app has no secret, and adding one is refused", async () => {
    const { app: dash } = await spa();
    await expect(addClientSecret(ctx, dash.clientId)).rejects.toBeInstanceOf(InvalidRequest);
    expect((await getOAuthApp(ctx, dash.clientId)).secrets).toEqual([]);
  });

  it("a web app gets secrets like a machine-to-machine app", async () => {
    const { app: portal, secret } = await webApp();
    expect(secret).toEqual(expect.any(String));
    await addClientSecret(ctx, portal.clientId);
    expect((await getOAuthApp(ctx, portal.clientId)).secrets).toHaveLength(2);
  });

  it("notes are trimmed and at most 500 characters", async () => {
    const id = await secretIdOf(app.clientId);
    await setClientSecretNotes(ctx, app.clientId, id, "  deployed on host-7  ");
    await expect(setClientSecretNotes(ctx, app.clientId, id, "n".repeat(501))).rejects.toBeInstanceOf(InvalidRequest);
    await expect(addClientSecret(ctx, app.clientId, "n".repeat(501))).rejects.toBeInstanceOf(InvalidRequest);
    expect((await getOAuthApp(ctx, app.clientId)).secrets.map((s) => s.notes)).toEqual(["deployed on host-7"]);
  });

  it("the views never carry a secret's hash, and the secret is shown only once", async () => {
    const added = await addClientSecret(ctx, app.clientId);
    const shown = JSON.stringify([await getOAuthApp(ctx, app.clientId), await listOAuthApps(ctx)]);
    expect(shown).not.toContain(added.secret);
    expect(shown).not.toContain(app.secret);
    expect(shown).not.toMatch(/lookupHash/);
  });
});

describe("public keys", () => {
  it("an app has at most ten keys: the eleventh is refused with Conflict", async () => {
    for (let i = 1; i <= 9; i++) await addPublicKey(ctx, app.clientId, pem(i));
    await expect(addPublicKey(ctx, app.clientId, pem(10))).rejects.toBeInstanceOf(Conflict);
    await expect(generateKeyPair(ctx, app.clientId)).rejects.toBeInstanceOf(Conflict);
    expect((await getOAuthApp(ctx, app.clientId)).keys).toHaveLength(10);
  });

  it("the same key twice in one app is refused; another app may register it", async () => {
    await expect(addPublicKey(ctx, app.clientId, pem(0))).rejects.toBeInstanceOf(Conflict);
    const other = await createM2mApp(ctx, signers[0]!);
    expect(other.key.fingerprint256).toBe(app.key.fingerprint256);
    expect((await getOAuthApp(ctx, app.clientId)).keys).toHaveLength(1);
  });

  it("only machine-to-machine apps have keys: web and single-page apps refuse adding and generating", async () => {
    for (const { app: other } of [await webApp(), await spa()]) {
      await expect(addPublicKey(ctx, other.clientId, pem(1))).rejects.toBeInstanceOf(InvalidRequest);
      await expect(generateKeyPair(ctx, other.clientId)).rejects.toBeInstanceOf(InvalidRequest);
      expect((await getOAuthApp(ctx, other.clientId)).keys).toEqual([]);
    }
  });

  it("refuses a private key upload, and a key that is not RSA", async () => {
    await expect(addPublicKey(ctx, app.clientId, { bytes: signers[1]!.privatePem })).rejects.toBeInstanceOf(InvalidRequest);
    await expect(addPublicKey(ctx, app.clientId, { bytes: "not a key" })).rejects.toBeInstanceOf(InvalidRequest);
    expect((await getOAuthApp(ctx, app.clientId)).keys).toHaveLength(1);
  });

  it("a generated key pair returns the private key once and keeps only the public half", async () => {
    const { privateKeyPem, key } = await generateKeyPair(ctx, app.clientId);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(key).toMatchObject({ source: "generated", bits: 2048, createdBy: ctx.actor!.userId, createdByName: "admin" });
    expect(JSON.stringify(await rt.store.publicKeys.list(app.clientId))).not.toContain("PRIVATE KEY");
  });
});

describe("only System Administrators", () => {
  it("every verb refuses a non-admin with Forbidden and changes nothing", async () => {
    await createUser(ctx, { username: "plain.user", name: "Plain", password: "plain-password-1" }, { apiFieldNames: false });
    const user = await consoleContext(rt, "plain.user");
    const secretId = await secretIdOf(app.clientId);
    const before = await getOAuthApp(ctx, app.clientId);
    const verbs: [string, () => Promise<unknown>][] = [
      ["list", () => listOAuthApps(user)],
      ["get", () => getOAuthApp(user, app.clientId)],
      ["create", () => createOAuthApp(user, { type: "machine_to_machine", name: "Mine" })],
      ["update", () => updateOAuthApp(user, app.clientId, { name: "Hijacked" })],
      ["delete", () => deleteOAuthApp(user, app.clientId)],
      ["add secret", () => addClientSecret(user, app.clientId)],
      ["notes", () => setClientSecretNotes(user, app.clientId, secretId, "mine")],
      ["delete secret", () => deleteClientSecret(user, app.clientId, secretId)],
      ["add key", () => addPublicKey(user, app.clientId, pem(1))],
      ["generate key", () => generateKeyPair(user, app.clientId)],
      ["delete key", () => deletePublicKey(user, app.clientId, app.key.id)],
    ];
    for (const [name, verb] of verbs) await expect(verb(), name).rejects.toBeInstanceOf(Forbidden);
    for (const [name, verb] of verbs) await expect(verb(), name).rejects.toBeInstanceOf(Forbidden);
    expect(await getOAuthApp(ctx, app.clientId)).toEqual(before);
    expect(await rt.store.oauthApps.count()).toBe(1);
  });

  it("without an actor every verb is Unauthorized", async () => {
    const nobody: ServiceContext = { ...ctx, actor: null };
    await expect(listOAuthApps(nobody)).rejects.toBeInstanceOf(Unauthorized);
    await expect(createOAuthApp(nobody, { type: "machine_to_machine", name: "X" })).rejects.toBeInstanceOf(Unauthorized);
    await expect(deleteOAuthApp(nobody, app.clientId)).rejects.toBeInstanceOf(Unauthorized);
    await expect(generateKeyPair(nobody, app.clientId)).rejects.toBeInstanceOf(Unauthorized);
  });
});

describe("lookups by client ID", () => {
  it("a secret of app A named under app B's client ID is NotFound and nothing is deleted", async () => {
    const other = await createM2mApp(ctx, signers[1]!);
    const token = await exchangeOk(rt, app);
    const id = await secretIdOf(app.clientId);
    await expect(deleteClientSecret(ctx, other.clientId, id)).rejects.toBeInstanceOf(NotFound);
    await expect(setClientSecretNotes(ctx, other.clientId, id, "moved")).rejects.toBeInstanceOf(NotFound);
    expect((await getOAuthApp(ctx, app.clientId)).secrets).toMatchObject([{ id, notes: "" }]);
    expect((await getOAuthApp(ctx, other.clientId)).secrets).toHaveLength(1);
    expect((await searchWith(token)).status).toBe(200);
  });

  it("a key of app A named under app B's client ID is NotFound and nothing is deleted", async () => {
    const other = await createM2mApp(ctx, signers[1]!);
    const token = await exchangeOk(rt, app);
    await expect(deletePublicKey(ctx, other.clientId, app.key.id)).rejects.toBeInstanceOf(NotFound);
    expect((await getOAuthApp(ctx, app.clientId)).keys.map((k) => k.id)).toEqual([app.key.id]);
    expect((await getOAuthApp(ctx, other.clientId)).keys.map((k) => k.id)).toEqual([other.key.id]);
    expect((await searchWith(token)).status).toBe(200);
  });

  it("unknown client IDs, secret IDs and key IDs are NotFound, inherited property names included", async () => {
    const secretId = await secretIdOf(app.clientId);
    for (const name of ["0123456789abcdef0123456789abcdef", ...INHERITED_NAMES]) {
      await expect(getOAuthApp(ctx, name), name).rejects.toBeInstanceOf(NotFound);
      await expect(updateOAuthApp(ctx, name, { name: "X" }), name).rejects.toBeInstanceOf(NotFound);
      await expect(deleteOAuthApp(ctx, name), name).rejects.toBeInstanceOf(NotFound);
      await expect(addClientSecret(ctx, name), name).rejects.toBeInstanceOf(NotFound);
      await expect(addPublicKey(ctx, name, pem(1)), name).rejects.toBeInstanceOf(NotFound);
      await expect(deleteClientSecret(ctx, name, secretId), name).rejects.toBeInstanceOf(NotFound);
      await expect(deleteClientSecret(ctx, app.clientId, name), name).rejects.toBeInstanceOf(NotFound);
      await expect(setClientSecretNotes(ctx, app.clientId, name, "x"), name).rejects.toBeInstanceOf(NotFound);
      await expect(deletePublicKey(ctx, app.clientId, name), name).rejects.toBeInstanceOf(NotFound);
    }
    const after = await getOAuthApp(ctx, app.clientId);
    expect([after.secrets.length, after.keys.length, await rt.store.oauthApps.count()]).toEqual([1, 1, 1]);
  });
});
