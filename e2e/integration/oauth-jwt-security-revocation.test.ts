/**
 * An access token dies at once with what it came from (its app, key, secret or user) and an hour
 * after it was issued: the REST API then answers the vendor's 401 envelope, however it is sent. And
 * the ten-app limit holds at the service, also when creates race for the last slot.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Conflict } from "../../lib/errors";
import { addClientSecret } from "../../lib/services/oauth-apps/add-secret";
import { addPublicKey } from "../../lib/services/oauth-apps/add-public-key";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { getOAuthApp, listOAuthApps } from "../../lib/services/oauth-apps/get";
import { deletePublicKey } from "../../lib/services/oauth-apps/remove-public-key";
import { deleteClientSecret } from "../../lib/services/oauth-apps/remove-secret";
import { deleteOAuthApp } from "../../lib/services/oauth-apps/remove";
import type { ServiceContext } from "../../lib/services/context";
import { updateUser } from "../../lib/services/users/write";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { createAdmin, createM2mApp, exchangeOk, expectDeadToken, makeSigners, searchWith, storedToken, type M2mApp, type Signer } from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let ctx: ServiceContext;
let app: M2mApp;

beforeAll(async () => {
  signers = await makeSigners(2);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
  app = await createM2mApp(ctx, signers[0]!);
});
afterEach(() => rt.cleanup());

const expectLiveToken = async (token: string) => expect((await searchWith(token)).status).toBe(200);

describe("a token dies at once", () => {
  it("when its app is deleted; another app's token lives on", async () => {
    const other = await createM2mApp(ctx, signers[1]!);
    const [token, kept] = [await exchangeOk(rt, app), await exchangeOk(rt, other)];
    await expectLiveToken(token);
    expect(await deleteOAuthApp(ctx, app.clientId)).toEqual({ revokedTokens: 1 });
    await expectDeadToken(token);
    expect(await storedToken(rt, token)).toBeNull();
    await expectLiveToken(kept);
  });

  it("when the key that signed its JWT is removed; a token from the app's other key lives on", async () => {
    const second = await addPublicKey(ctx, app.clientId, { bytes: signers[1]!.publicPem });
    const token = await exchangeOk(rt, app);
    const kept = await exchangeOk(rt, { ...app, signer: signers[1]! });
    await expectLiveToken(token);
    expect(await deletePublicKey(ctx, app.clientId, app.key.id)).toEqual({ revokedTokens: 1 });
    await expectDeadToken(token);
    await expectLiveToken(kept);
    expect((await storedToken(rt, kept))?.publicKeyId).toBe(second.id);
  });

  it("when the secret it was exchanged with is deleted; a token from the app's other secret lives on", async () => {
    const [first] = (await getOAuthApp(ctx, app.clientId)).secrets;
    const spare = await addClientSecret(ctx, app.clientId);
    const token = await exchangeOk(rt, app);
    const kept = await exchangeOk(rt, { ...app, secret: spare.secret });
    await expectLiveToken(token);
    expect(await deleteClientSecret(ctx, app.clientId, first!.id)).toEqual({ revokedTokens: 1 });
    await expectDeadToken(token);
    await expectLiveToken(kept);
  });

  it("when its user is deactivated, and stays dead after the user is reactivated", async () => {
    const other = await createAdmin(ctx, "contractor");
    await addPublicKey(other.ctx, app.clientId, { bytes: signers[1]!.publicPem });
    const theirs = await exchangeOk(rt, { ...app, signer: signers[1]!, sub: other.id });
    const mine = await exchangeOk(rt, app);
    await expectLiveToken(theirs);
    await updateUser(ctx, other.id, { isActive: false }, { apiFieldNames: false });
    await expectDeadToken(theirs);
    await expectLiveToken(mine);
    await updateUser(ctx, other.id, { isActive: true }, { apiFieldNames: false });
    await expectDeadToken(theirs);
  });
});

describe("a token expires", () => {
  it("an hour after it was issued: it works until the last millisecond, then gets the 401 envelope", async () => {
    const token = await exchangeOk(rt, app);
    rt.clock.advance(3_600_000 - 1);
    await expectLiveToken(token);
    rt.clock.advance(1);
    await expectDeadToken(token);
    rt.clock.advance(24 * 3_600_000);
    await expectDeadToken(token);
  });

  it("whatever the exp of the JWT it came from", async () => {
    const token = await exchangeOk(rt, app, { claims: { exp: Math.floor(rt.clock.now() / 1000) + 20 * 3600 } });
    rt.clock.advance(3_600_000 + 1000);
    await expectDeadToken(token);
  });
});

describe("the ten-app limit", () => {
  const create = (n: number) => createOAuthApp(ctx, { type: "machine_to_machine", name: `App ${n}` });

  it("the service refuses an 11th app with Conflict and stores nothing", async () => {
    for (let n = 2; n <= 9; n++) await create(n);
    await createOAuthApp(ctx, { type: "web", name: "Tenth", redirectUris: ["https://tenth.example/cb"] });
    await expect(create(11)).rejects.toBeInstanceOf(Conflict);
    await expect(createOAuthApp(ctx, { type: "single_page", name: "Also 11th", redirectUris: ["https://spa.example/cb"] })).rejects.toBeInstanceOf(Conflict);
    expect((await listOAuthApps(ctx)).apps).toHaveLength(10);
    expect(await rt.store.oauthApps.count()).toBe(10);
    expect(await rt.store.audit.list({ action: "oauth_app.create", limit: 100 })).toHaveLength(10);
  });

  it("deleting an app frees its slot", async () => {
    for (let n = 2; n <= 10; n++) await create(n);
    await expect(create(11)).rejects.toBeInstanceOf(Conflict);
    await deleteOAuthApp(ctx, app.clientId);
    await expect(create(11)).resolves.toMatchObject({ app: { name: "App 11" } });
    expect(await rt.store.oauthApps.count()).toBe(10);
  });

  it("two creates racing for the 10th slot: exactly one wins, the other gets Conflict", async () => {
    for (let n = 2; n <= 9; n++) await create(n);
    const results = await Promise.allSettled([create(10), create(11)]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(Conflict) });
    expect(await rt.store.oauthApps.count()).toBe(10);
  });

  it("five creates racing for the last two slots: two win", async () => {
    for (let n = 2; n <= 8; n++) await create(n);
    const results = await Promise.allSettled([9, 10, 11, 12, 13].map(create));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    for (const r of results.filter((x) => x.status === "rejected")) expect(r).toMatchObject({ reason: expect.any(Conflict) });
    expect(await rt.store.oauthApps.count()).toBe(10);
    expect(await rt.store.audit.list({ action: "oauth_app.create", limit: 100 })).toHaveLength(10);
  });
});
