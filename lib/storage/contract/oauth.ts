/**
 * OAuth2 applications, their client secrets and public keys; `oauthApps.client` (the app with its
 * secrets and keys, as client authentication reads it) must answer what the last write left; deletes
 * cascade to what was minted from the deleted row. Tokens, jti claims and usage: oauth-tokens.ts.
 */
import { describe, expect, it } from "vitest";
import { T0, type Current } from "./fixtures";
import { createClient, createToken, newApp, newPublicKey, newSecret } from "./oauth-fixtures";

export function oauthAppsContract(h: Current): void {
  describe("OAuth apps", () => {
    it("create stores an app that list, count, byClientId and client return; unknown client IDs are null", async () => {
      const { store } = h();
      expect(await store.oauthApps.list()).toEqual([]);
      expect(await store.oauthApps.count()).toBe(0);
      const web = newApp({ type: "web", tokenType: "sessionID", redirectUris: ["https://a.example/cb", "http://127.0.0.1:8080/cb"], createdAt: T0 + 1 });
      const m2m = newApp({ logo: "data:image/png;base64,iVBORw0KGgo=", developerEmail: "dev@example.com" });
      await store.oauthApps.create(web);
      await store.oauthApps.create(m2m);
      expect(await store.oauthApps.list()).toEqual([m2m, web]);
      expect(await store.oauthApps.count()).toBe(2);
      expect(await store.oauthApps.byClientId(web.clientId)).toEqual(web);
      expect(await store.oauthApps.client(web.clientId)).toEqual({ app: web, secrets: [], keys: [] });
      expect(await store.oauthApps.byClientId("no-such-client")).toBeNull();
      expect(await store.oauthApps.client("no-such-client")).toBeNull();
    });

    it("create refuses a client ID that is already in use", async () => {
      const { store } = h();
      const app = newApp();
      await store.oauthApps.create(app);
      await expect(store.oauthApps.create({ ...app, name: "Other" })).rejects.toThrow();
      expect(await store.oauthApps.byClientId(app.clientId)).toEqual(app);
      expect(await store.oauthApps.count()).toBe(1);
    });

    it("update changes the given settings, redirect URLs included, and leaves the rest", async () => {
      const { store } = h();
      const app = newApp({ type: "web", tokenType: "sessionID", redirectUris: ["https://a.example/cb"] });
      const other = newApp();
      await store.oauthApps.create(app);
      await store.oauthApps.create(other);
      await store.oauthApps.client(app.clientId);
      await store.oauthApps.update(app.clientId, { name: "Renamed", redirectUris: ["https://b.example/cb", "https://c.example/cb"], logo: null, updatedAt: T0 + 5 });
      const changed = { ...app, name: "Renamed", redirectUris: ["https://b.example/cb", "https://c.example/cb"], updatedAt: T0 + 5 };
      expect(await store.oauthApps.byClientId(app.clientId)).toEqual(changed);
      expect((await store.oauthApps.client(app.clientId))?.app).toEqual(changed);
      await store.oauthApps.update(app.clientId, { tokenType: "Bearer", updatedAt: T0 + 6 });
      expect((await store.oauthApps.client(app.clientId))?.app).toEqual({ ...changed, tokenType: "Bearer", updatedAt: T0 + 6 });
      expect(await store.oauthApps.byClientId(other.clientId)).toEqual(other);
    });

    it("touch records when the app was last used, also in a client read made before", async () => {
      const { store } = h();
      const { app } = await createClient(store);
      expect((await store.oauthApps.client(app.clientId))?.app.lastUsedAt).toBeNull();
      await store.oauthApps.touch(app.clientId, T0 + 60_000);
      await store.oauthApps.touch("no-such-client", T0 + 60_000);
      expect((await store.oauthApps.client(app.clientId))?.app).toEqual({ ...app, lastUsedAt: T0 + 60_000 });
      expect(await store.oauthApps.byClientId(app.clientId)).toEqual({ ...app, lastUsedAt: T0 + 60_000 });
    });

    it("client returns the app with its own secrets and keys, and reflects every write to them", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      const other = await createClient(store);
      expect(await store.oauthApps.client(app.clientId)).toEqual({ app, secrets: [secret], keys: [key] });
      const secret2 = newSecret(app.clientId, { createdAt: T0 + 1, notes: "deploy" });
      await store.clientSecrets.create(secret2);
      expect((await store.oauthApps.client(app.clientId))?.secrets).toEqual([secret, secret2]);
      const certified = newPublicKey(app.clientId, user.id, {
        source: "certificate",
        createdAt: T0 + 1,
        certificate: { subjectCommonName: "svc", notBefore: T0 - 1000, notAfter: T0 + 1000, fingerprint256: "AB:CD" },
      });
      await store.publicKeys.create(certified);
      expect((await store.oauthApps.client(app.clientId))?.keys).toEqual([key, certified]);
      expect(await store.clientSecrets.setNotes(app.clientId, secret.id, "rotated")).toBe(true);
      await store.clientSecrets.touch(secret2.id, T0 + 7);
      await store.publicKeys.touch(certified.id, T0 + 8);
      expect(await store.oauthApps.client(app.clientId)).toEqual({
        app,
        secrets: [{ ...secret, notes: "rotated" }, { ...secret2, lastUsedAt: T0 + 7 }],
        keys: [key, { ...certified, lastUsedAt: T0 + 8 }],
      });
      expect(await store.clientSecrets.delete(app.clientId, secret.id)).toEqual({ tokens: 0 });
      expect(await store.publicKeys.delete(app.clientId, key.id)).toEqual({ tokens: 0 });
      expect(await store.oauthApps.client(app.clientId)).toEqual({ app, secrets: [{ ...secret2, lastUsedAt: T0 + 7 }], keys: [{ ...certified, lastUsedAt: T0 + 8 }] });
      expect(await store.oauthApps.client(other.app.clientId)).toEqual({ app: other.app, secrets: [other.secret], keys: [other.key] });
    });

    it("delete removes the app with its secrets, keys, tokens and jti claims, counts the tokens, and is null for no app", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      const kept = await createClient(store);
      const tokens = [
        await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id }),
        await createToken(store, { clientId: app.clientId, userId: user.id }, { kind: "refresh", grant: "authorization_code", expiresAt: null }),
      ];
      const keptToken = await createToken(store, { clientId: kept.app.clientId, userId: user.id }, { secretId: kept.secret.id });
      expect(await store.assertionIds.claim(app.clientId, "jti-1", T0 + 60_000, T0)).toBe(true);
      for (const t of tokens) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      await store.oauthApps.client(app.clientId);

      expect(await store.oauthApps.delete(app.clientId)).toEqual({ tokens: 2 });
      expect(await store.oauthApps.delete(app.clientId)).toBeNull();
      expect(await store.oauthApps.delete("no-such-client")).toBeNull();
      expect(await store.oauthApps.byClientId(app.clientId)).toBeNull();
      expect(await store.oauthApps.client(app.clientId)).toBeNull();
      expect(await store.clientSecrets.list(app.clientId)).toEqual([]);
      expect(await store.publicKeys.list(app.clientId)).toEqual([]);
      for (const t of tokens) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      expect(await store.oauthApps.list()).toEqual([kept.app]);
      expect(await store.oauthTokens.byHash(keptToken.lookupHash)).toEqual(keptToken);

      // The same client ID again starts with nothing: its old jti claim went with it.
      await store.oauthApps.create(app);
      expect(await store.oauthApps.client(app.clientId)).toEqual({ app, secrets: [], keys: [] });
      expect(await store.assertionIds.claim(app.clientId, "jti-1", T0 + 60_000, T0)).toBe(true);
    });
  });

  describe("OAuth client secrets", () => {
    it("list returns an app's secrets oldest first, and only that app's", async () => {
      const { store } = h();
      const [a, b] = [newApp(), newApp()];
      await store.oauthApps.create(a);
      await store.oauthApps.create(b);
      const later = newSecret(a.clientId, { createdAt: T0 + 2, createdBy: "someone" });
      const earlier = newSecret(a.clientId, { createdAt: T0 + 1 });
      const theirs = newSecret(b.clientId);
      for (const s of [later, earlier, theirs]) await store.clientSecrets.create(s);
      expect(await store.clientSecrets.list(a.clientId)).toEqual([earlier, later]);
      expect(await store.clientSecrets.list(b.clientId)).toEqual([theirs]);
      expect(await store.clientSecrets.list("no-such-client")).toEqual([]);
    });

    it("setNotes changes a secret's notes only under its own app", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      expect(await store.clientSecrets.setNotes(a.app.clientId, a.secret.id, "prod")).toBe(true);
      expect(await store.clientSecrets.setNotes(b.app.clientId, a.secret.id, "hijacked")).toBe(false);
      expect(await store.clientSecrets.setNotes(a.app.clientId, "no-such-secret", "x")).toBe(false);
      expect(await store.clientSecrets.list(a.app.clientId)).toEqual([{ ...a.secret, notes: "prod" }]);
      expect((await store.oauthApps.client(a.app.clientId))?.secrets).toEqual([{ ...a.secret, notes: "prod" }]);
    });

    it("delete removes the secret and exactly the tokens minted with it, and counts them", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      const other = newSecret(app.clientId);
      await store.clientSecrets.create(other);
      const minted = [
        await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id }),
        await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id }),
      ];
      const survivors = [
        await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: other.id, publicKeyId: key.id }),
        await createToken(store, { clientId: app.clientId, userId: user.id }),
      ];
      for (const t of [...minted, ...survivors]) await store.oauthTokens.byHash(t.lookupHash);
      expect(await store.clientSecrets.delete(app.clientId, secret.id)).toEqual({ tokens: 2 });
      expect(await store.clientSecrets.delete(app.clientId, secret.id)).toBeNull();
      for (const t of minted) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      for (const t of survivors) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      expect(await store.clientSecrets.list(app.clientId)).toEqual([other]);
    });

    it("delete under another app's client ID deletes nothing and is null", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const token = await createToken(store, { clientId: a.app.clientId, userId: a.user.id }, { secretId: a.secret.id });
      expect(await store.clientSecrets.delete(b.app.clientId, a.secret.id)).toBeNull();
      expect(await store.clientSecrets.list(a.app.clientId)).toEqual([a.secret]);
      expect(await store.oauthTokens.byHash(token.lookupHash)).toEqual(token);
    });

    it("touch records when a secret was last used; an unknown secret is ignored", async () => {
      const { store } = h();
      const { app, secret } = await createClient(store);
      await store.clientSecrets.touch(secret.id, T0 + 90_000);
      await store.clientSecrets.touch("no-such-secret", T0 + 90_000);
      expect(await store.clientSecrets.list(app.clientId)).toEqual([{ ...secret, lastUsedAt: T0 + 90_000 }]);
    });
  });

  describe("OAuth public keys", () => {
    it("create stores keys listed oldest first per app; the same key twice in one app is refused, in another app accepted", async () => {
      const { store } = h();
      const { user, app, key } = await createClient(store);
      const b = newApp();
      await store.oauthApps.create(b);
      const second = newPublicKey(app.clientId, user.id, { createdAt: T0 + 1, source: "generated" });
      await store.publicKeys.create(second);
      await expect(store.publicKeys.create(newPublicKey(app.clientId, user.id, { fingerprint256: key.fingerprint256 }))).rejects.toThrow();
      const same = newPublicKey(b.clientId, user.id, { fingerprint256: key.fingerprint256, spkiPem: key.spkiPem, thumbprint: key.thumbprint });
      await store.publicKeys.create(same);
      expect(await store.publicKeys.list(app.clientId)).toEqual([key, second]);
      expect(await store.publicKeys.list(b.clientId)).toEqual([same]);
      expect(await store.publicKeys.list("no-such-client")).toEqual([]);
    });

    it("delete removes the key and exactly the tokens minted with it, and counts them; under another app it is null", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      const b = await createClient(store);
      const other = newPublicKey(app.clientId, user.id);
      await store.publicKeys.create(other);
      const minted = await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id });
      const survivor = await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: other.id });
      await store.oauthTokens.byHash(minted.lookupHash);
      expect(await store.publicKeys.delete(b.app.clientId, key.id)).toBeNull();
      expect(await store.oauthTokens.byHash(minted.lookupHash)).toEqual(minted);
      expect(await store.publicKeys.delete(app.clientId, key.id)).toEqual({ tokens: 1 });
      expect(await store.publicKeys.delete(app.clientId, key.id)).toBeNull();
      expect(await store.oauthTokens.byHash(minted.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(survivor.lookupHash)).toEqual(survivor);
      expect(await store.publicKeys.list(app.clientId)).toEqual([other]);
      expect(await store.clientSecrets.list(app.clientId)).toEqual([secret]);
    });

    it("touch records when a key was last used; an unknown key is ignored", async () => {
      const { store } = h();
      const { app, key } = await createClient(store);
      await store.publicKeys.touch(key.id, T0 + 30_000);
      await store.publicKeys.touch("no-such-key", T0 + 30_000);
      expect(await store.publicKeys.list(app.clientId)).toEqual([{ ...key, lastUsedAt: T0 + 30_000 }]);
    });
  });
}
