/**
 * Every change to an OAuth2 application, its secrets and its keys writes one audit event naming the
 * administrator, the app and what changed (never a secret or a private key); each exchange one
 * `oauth_token.issue`; a refused admin verb writes nothing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCertificate } from "../../lib/domain/x509-fixtures";
import { addClientSecret } from "../../lib/services/oauth-apps/add-secret";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { generateKeyPair } from "../../lib/services/oauth-apps/generate-key-pair";
import { getOAuthApp } from "../../lib/services/oauth-apps/get";
import { deletePublicKey } from "../../lib/services/oauth-apps/remove-public-key";
import { deleteClientSecret } from "../../lib/services/oauth-apps/remove-secret";
import { deleteOAuthApp } from "../../lib/services/oauth-apps/remove";
import { setClientSecretNotes } from "../../lib/services/oauth-apps/secret-notes";
import { updateOAuthApp } from "../../lib/services/oauth-apps/update";
import type { ServiceContext } from "../../lib/services/context";
import type { AuditEvent } from "../../lib/storage/types";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { exchangeOk, makeSigners, type Signer } from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;
let adminId: string;

beforeAll(async () => {
  signers = await makeSigners(1);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  adminId = ctx.actor!.userId;
});
afterEach(() => rt.cleanup());

/** The OAuth events written since `after` (an event ID), oldest first. */
async function eventsSince(after = 0): Promise<AuditEvent[]> {
  const all = await rt.store.audit.list({ limit: 200 });
  return all.filter((e) => e.id > after && /^oauth/.test(e.action)).reverse();
}
const lastId = async () => (await rt.store.audit.list({ limit: 1 }))[0]?.id ?? 0;

/** An admin verb's event: by the administrator, from the console's address, about the app. */
const byAdmin = (action: string, clientId: string, details: Record<string, unknown>) => ({
  id: expect.any(Number),
  at: rt.clock.now(),
  actorId: adminId,
  actorName: "admin",
  action,
  subjectType: "oauth_app",
  subjectId: clientId,
  ip: "127.0.0.1",
  userAgent: "test",
  details,
});

describe("audit events of the admin verbs", () => {
  it("create writes oauth_app.create with the settings and oauth_secret.add for the first secret", async () => {
    const { app, secret } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "Billing sync" });
    const secretId = app.secrets[0]!.id;
    expect(await eventsSince()).toEqual([
      byAdmin("oauth_app.create", app.clientId, {
        name: "Billing sync",
        type: "machine_to_machine",
        typeLabel: app.typeLabel,
        tokenType: "Bearer",
        redirectUris: [],
      }),
      byAdmin("oauth_secret.add", app.clientId, { secretId, hint: secret!.slice(-4) }),
    ]);
    expect(JSON.stringify(await rt.store.audit.list({ limit: 10 }))).not.toContain(secret!);
  });

  it("a single-page app's create writes no secret event", async () => {
    const { app } = await createOAuthApp(ctx, { type: "single_page", name: "Dashboard", redirectUris: ["https://dash.example/cb"] });
    expect((await eventsSince()).map((e) => e.action)).toEqual(["oauth_app.create"]);
    expect((await eventsSince())[0]!.details).toMatchObject({ type: "single_page", tokenType: "Bearer", redirectUris: ["https://dash.example/cb"] });
    expect(app.secrets).toEqual([]);
  });

  it("update writes oauth_app.update with the names of the settings that changed", async () => {
    const { app } = await createOAuthApp(ctx, { type: "web", name: "Portal", redirectUris: ["https://portal.example/cb"] });
    const since = await lastId();
    await updateOAuthApp(ctx, app.clientId, { name: "Portal 2", redirectUris: ["https://portal.example/cb", "https://portal.example/cb2"], tokenType: "sessionID" });
    expect(await eventsSince(since)).toEqual([byAdmin("oauth_app.update", app.clientId, { name: "Portal 2", changed: ["name", "redirectUris"] })]);
  });

  it("adding a secret, changing its notes and deleting it write oauth_secret.add, .notes and .delete", async () => {
    const { app } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "Billing sync" });
    const since = await lastId();
    const added = await addClientSecret(ctx, app.clientId, "for the staging deployment");
    await setClientSecretNotes(ctx, app.clientId, added.view.id, "  now production  ");
    await deleteClientSecret(ctx, app.clientId, added.view.id);
    expect(await eventsSince(since)).toEqual([
      byAdmin("oauth_secret.add", app.clientId, { secretId: added.view.id, hint: added.secret.slice(-4) }),
      byAdmin("oauth_secret.notes", app.clientId, { secretId: added.view.id, notes: "now production" }),
      byAdmin("oauth_secret.delete", app.clientId, { secretId: added.view.id, hint: added.secret.slice(-4), revokedTokens: 0 }),
    ]);
  });

  it("adding a key (bare or in a certificate), generating one and removing one write oauth_key.add, .generate and .delete", async () => {
    const { app } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "Billing sync" });
    const since = await lastId();
    const bare = await addPublicKey(ctx, app.clientId, { bytes: signers[0]!.publicPem });
    const cert = await makeCertificate({ subject: "CN=billing-bot", keyAlgorithm: "RSA" });
    const certified = await addPublicKey(ctx, app.clientId, { bytes: new TextEncoder().encode(cert.pem), fileName: "certificate_pub.crt" });
    const generated = await generateKeyPair(ctx, app.clientId);
    await deletePublicKey(ctx, app.clientId, bare.id);
    const key = (k: typeof bare) => ({ keyId: k.id, source: k.source, fingerprint256: k.fingerprint256, bits: 2048, sub: adminId });
    expect(await eventsSince(since)).toEqual([
      byAdmin("oauth_key.add", app.clientId, key(bare)),
      byAdmin("oauth_key.add", app.clientId, { ...key(certified), source: "certificate", notAfter: cert.certificate.notAfter.getTime() }),
      byAdmin("oauth_key.generate", app.clientId, { ...key(generated.key), source: "generated" }),
      byAdmin("oauth_key.delete", app.clientId, { keyId: bare.id, fingerprint256: bare.fingerprint256, revokedTokens: 0 }),
    ]);
    expect(JSON.stringify(await eventsSince(since))).not.toContain("PRIVATE KEY");
  });

  it("removing a key, a secret and the app count the tokens each revoked", async () => {
    const { app, secret } = await createOAuthApp(ctx, { type: "machine_to_machine", name: "Billing sync" });
    const key = await addPublicKey(ctx, app.clientId, { bytes: signers[0]!.publicPem });
    const m2m = { clientId: app.clientId, secret: secret!, key, sub: adminId, signer: signers[0]! };
    await exchangeOk(rt, m2m);
    await exchangeOk(rt, m2m);
    const generated = await generateKeyPair(ctx, app.clientId);
    await exchangeOk(rt, { ...m2m, key: generated.key, signer: { privatePem: generated.privateKeyPem, publicPem: "" } });
    const spare = await addClientSecret(ctx, app.clientId);
    await exchangeOk(rt, { ...m2m, secret: spare.secret });
    const since = await lastId();
    await deletePublicKey(ctx, app.clientId, generated.key.id);
    await deleteClientSecret(ctx, app.clientId, (await getOAuthApp(ctx, app.clientId)).secrets.find((x) => x.id !== spare.view.id)!.id);
    await deleteOAuthApp(ctx, app.clientId);
    expect((await eventsSince(since)).map((e) => [e.action, e.details?.revokedTokens])).toEqual([
      ["oauth_key.delete", 1],
      ["oauth_secret.delete", 2],
      ["oauth_app.delete", 1],
    ]);
    expect((await eventsSince(since))[2]).toEqual(byAdmin("oauth_app.delete", app.clientId, { name: "Billing sync", type: "machine_to_machine", revokedTokens: 1 }));
  });

  it("a refused verb writes no event", async () => {
    const { app } = await createOAuthApp(ctx, { type: "single_page", name: "Dashboard", redirectUris: ["https://dash.example/cb"] });
    const since = await lastId();
    await expect(addClientSecret(ctx, app.clientId)).rejects.toThrow();
    await expect(addPublicKey(ctx, app.clientId, { bytes: signers[0]!.publicPem })).rejects.toThrow();
    await expect(updateOAuthApp(ctx, app.clientId, { name: "Dashboard", redirectUris: [] })).rejects.toThrow();
    await expect(deleteClientSecret(ctx, app.clientId, "no-such-secret")).rejects.toThrow();
    await expect(deleteOAuthApp(ctx, "no-such-client")).rejects.toThrow();
    expect(await eventsSince(since)).toEqual([]);
  });
});
