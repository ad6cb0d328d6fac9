/**
 * OAuth tokens (access and refresh, by lookup hash), the `jti` claims that stop a JWT assertion's
 * replay, live-token usage per app, and transactions over all of the OAuth aggregates.
 */
import { describe, expect, it } from "vitest";
import { Boom, createUser, T0, type Current } from "./fixtures";
import { createClient, createToken, newApp, newPublicKey, newSecret, newToken, usageOf } from "./oauth-fixtures";

const HOUR = 3_600_000;

export function oauthTokensContract(h: Current): void {
  describe("OAuth tokens", () => {
    it("create stores a token that byHash returns; unknown hashes are null; a hash in use is refused", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      const access = newToken({ clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id, scope: "all" });
      const refresh = newToken({ clientId: app.clientId, userId: user.id }, { kind: "refresh", grant: "authorization_code", familyId: "fam-1", expiresAt: null, rotatedAt: T0 + 1 });
      await store.oauthTokens.create(access);
      await store.oauthTokens.create(refresh);
      expect(await store.oauthTokens.byHash(access.lookupHash)).toEqual(access);
      expect(await store.oauthTokens.byHash(refresh.lookupHash)).toEqual(refresh);
      expect(await store.oauthTokens.byHash("no-such-hash")).toBeNull();
      await expect(store.oauthTokens.create({ ...access, userId: user.id, createdAt: T0 + 9 })).rejects.toThrow();
      expect(await store.oauthTokens.byHash(access.lookupHash)).toEqual(access);
    });

    it("touch moves lastUsedAt, also after a cached read; delete says whether there was a token", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const [t, other] = [await createToken(store, { clientId: app.clientId, userId: user.id }), await createToken(store, { clientId: app.clientId, userId: user.id })];
      await store.oauthTokens.byHash(t.lookupHash);
      await store.oauthTokens.touch(t.lookupHash, T0 + 61_000);
      expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual({ ...t, lastUsedAt: T0 + 61_000 });
      expect(await store.oauthTokens.delete(t.lookupHash)).toBe(true);
      expect(await store.oauthTokens.delete(t.lookupHash)).toBe(false);
      expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(other.lookupHash)).toEqual(other);
    });

    it("deleteForUser ends all of a user's tokens, or only those of one app, and says how many", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const [u, v] = [await createUser(store), await createUser(store)];
      const uOnA = [await createToken(store, { clientId: a.app.clientId, userId: u.id }), await createToken(store, { clientId: a.app.clientId, userId: u.id }, { kind: "refresh", expiresAt: null })];
      const uOnB = await createToken(store, { clientId: b.app.clientId, userId: u.id });
      const vOnA = await createToken(store, { clientId: a.app.clientId, userId: v.id });
      for (const t of [...uOnA, uOnB, vOnA]) await store.oauthTokens.byHash(t.lookupHash);
      expect(await store.oauthTokens.deleteForUser(u.id, a.app.clientId)).toBe(2);
      for (const t of uOnA) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(uOnB.lookupHash)).toEqual(uOnB);
      const more = await createToken(store, { clientId: a.app.clientId, userId: u.id });
      expect(await store.oauthTokens.deleteForUser(u.id)).toBe(2);
      expect(await store.oauthTokens.deleteForUser(u.id)).toBe(0);
      expect(await store.oauthTokens.byHash(uOnB.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(more.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(vOnA.lookupHash)).toEqual(vOnA);
    });

    it("deleteExpired removes the tokens expired by then, keeps live ones and those that never expire", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const expired = [await createToken(store, { clientId: app.clientId, userId: user.id }, { expiresAt: T0 - 1 }), await createToken(store, { clientId: app.clientId, userId: user.id }, { expiresAt: T0 - HOUR })];
      const live = await createToken(store, { clientId: app.clientId, userId: user.id }, { expiresAt: T0 + HOUR });
      const forever = await createToken(store, { clientId: app.clientId, userId: user.id }, { kind: "refresh", expiresAt: null });
      for (const t of [...expired, live, forever]) await store.oauthTokens.byHash(t.lookupHash);
      expect(await store.oauthTokens.deleteExpired(T0)).toBe(2);
      expect(await store.oauthTokens.deleteExpired(T0)).toBe(0);
      for (const t of expired) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      expect(await store.oauthTokens.byHash(live.lookupHash)).toEqual(live);
      expect(await store.oauthTokens.byHash(forever.lookupHash)).toEqual(forever);
      expect(await store.oauthTokens.deleteExpired(T0 + 2 * HOUR)).toBe(1);
      expect(await store.oauthTokens.byHash(forever.lookupHash)).toEqual(forever);
    });
  });

  describe("OAuth assertion IDs", () => {
    it("claim is true the first time and false for a replay until the stored one expires", async () => {
      const { store } = h();
      const { app } = await createClient(store);
      expect(await store.assertionIds.claim(app.clientId, "jti-a", T0 + HOUR, T0)).toBe(true);
      expect(await store.assertionIds.claim(app.clientId, "jti-a", T0 + HOUR, T0)).toBe(false);
      expect(await store.assertionIds.claim(app.clientId, "jti-a", T0 + 2 * HOUR, T0 + HOUR - 1)).toBe(false);
      expect(await store.assertionIds.claim(app.clientId, "JTI-A", T0 + HOUR, T0)).toBe(true);
      // Once the stored assertion has expired it guards nothing; the new claim guards until its own expiry.
      expect(await store.assertionIds.claim(app.clientId, "jti-a", T0 + 3 * HOUR, T0 + HOUR + 1)).toBe(true);
      expect(await store.assertionIds.claim(app.clientId, "jti-a", T0 + 3 * HOUR, T0 + 2 * HOUR)).toBe(false);
    });

    it("claims of different apps are independent", async () => {
      const { store } = h();
      const [a, b] = [await createClient(store), await createClient(store)];
      expect(await store.assertionIds.claim(a.app.clientId, "shared", T0 + HOUR, T0)).toBe(true);
      expect(await store.assertionIds.claim(b.app.clientId, "shared", T0 + HOUR, T0)).toBe(true);
      expect(await store.assertionIds.claim(a.app.clientId, "shared", T0 + HOUR, T0)).toBe(false);
      expect(await store.assertionIds.claim(b.app.clientId, "shared", T0 + HOUR, T0)).toBe(false);
    });

    it("deleteExpired removes the claims expired by then and says how many", async () => {
      const { store } = h();
      const { app } = await createClient(store);
      await store.assertionIds.claim(app.clientId, "old-1", T0 + 1000, T0);
      await store.assertionIds.claim(app.clientId, "old-2", T0 + 2000, T0);
      await store.assertionIds.claim(app.clientId, "live", T0 + HOUR, T0);
      expect(await store.assertionIds.deleteExpired(T0 + 5000)).toBe(2);
      expect(await store.assertionIds.deleteExpired(T0 + 5000)).toBe(0);
      expect(await store.assertionIds.claim(app.clientId, "live", T0 + HOUR, T0 + 5000)).toBe(false);
      expect(await store.assertionIds.claim(app.clientId, "old-1", T0 + HOUR, T0 + 5000)).toBe(true);
    });
  });

  describe("OAuth usage", () => {
    it("usage counts each app's live access and refresh tokens, not expired ones", async () => {
      const { store } = h();
      const [a, b, idle] = [await createClient(store), await createClient(store), await createClient(store)];
      const u = a.user.id;
      await createToken(store, { clientId: a.app.clientId, userId: u });
      await createToken(store, { clientId: a.app.clientId, userId: u }, { expiresAt: T0 + 2 * HOUR });
      await createToken(store, { clientId: a.app.clientId, userId: u }, { expiresAt: T0 - 1 });
      await createToken(store, { clientId: a.app.clientId, userId: u }, { kind: "refresh", expiresAt: null });
      await createToken(store, { clientId: b.app.clientId, userId: u }, { kind: "refresh", expiresAt: T0 + HOUR });
      const usage = await store.oauthApps.usage(T0);
      expect(usageOf(usage, a.app.clientId)).toEqual({ accessTokens: 2, refreshTokens: 1 });
      expect(usageOf(usage, b.app.clientId)).toEqual({ accessTokens: 0, refreshTokens: 1 });
      expect(usageOf(usage, idle.app.clientId)).toEqual({ accessTokens: 0, refreshTokens: 0 });
      expect(usage.every((row) => [a, b, idle].some((c) => c.app.clientId === row.clientId))).toBe(true);
      const later = await store.oauthApps.usage(T0 + HOUR + 1);
      expect(usageOf(later, a.app.clientId)).toEqual({ accessTokens: 1, refreshTokens: 1 });
      expect(usageOf(later, b.app.clientId)).toEqual({ accessTokens: 0, refreshTokens: 0 });
    });
  });

  describe("OAuth transactions", () => {
    it("a rolled-back transaction leaves no app, secret, key, token or jti claim, and no stale read", async () => {
      const { store } = h();
      const user = await createUser(store);
      const app = newApp();
      const [secret, key] = [newSecret(app.clientId), newPublicKey(app.clientId, user.id)];
      const token = newToken({ clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id });
      expect(await store.oauthApps.client(app.clientId)).toBeNull();
      expect(await store.oauthTokens.byHash(token.lookupHash)).toBeNull();
      await expect(
        store.transaction(async (tx) => {
          await tx.oauthApps.create(app);
          await tx.clientSecrets.create(secret);
          await tx.publicKeys.create(key);
          await tx.oauthTokens.create(token);
          expect(await tx.assertionIds.claim(app.clientId, "jti-rolled-back", T0 + HOUR, T0)).toBe(true);
          // Read inside, so a cache would see the uncommitted rows.
          expect(await tx.oauthApps.client(app.clientId)).toEqual({ app, secrets: [secret], keys: [key] });
          expect(await tx.oauthTokens.byHash(token.lookupHash)).toEqual(token);
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.oauthApps.client(app.clientId)).toBeNull();
      expect(await store.oauthApps.byClientId(app.clientId)).toBeNull();
      expect(await store.oauthApps.count()).toBe(0);
      expect(await store.oauthTokens.byHash(token.lookupHash)).toBeNull();
      await store.oauthApps.create(app);
      expect(await store.clientSecrets.list(app.clientId)).toEqual([]);
      expect(await store.publicKeys.list(app.clientId)).toEqual([]);
      expect(await store.assertionIds.claim(app.clientId, "jti-rolled-back", T0 + HOUR, T0)).toBe(true);
    });

    it("a rolled-back delete, touch and notes change leave every OAuth read as it was before", async () => {
      const { store } = h();
      const { user, app, secret } = await createClient(store);
      const token = await createToken(store, { clientId: app.clientId, userId: user.id }, { secretId: secret.id });
      const before = [await store.oauthApps.client(app.clientId), await store.oauthTokens.byHash(token.lookupHash)];
      await expect(
        store.transaction(async (tx) => {
          await tx.oauthApps.touch(app.clientId, T0 + 1);
          await tx.clientSecrets.setNotes(app.clientId, secret.id, "changed");
          await tx.oauthTokens.touch(token.lookupHash, T0 + 1);
          expect((await tx.oauthApps.client(app.clientId))?.app.lastUsedAt).toBe(T0 + 1);
          expect(await tx.oauthApps.delete(app.clientId)).toEqual({ tokens: 1 });
          expect(await tx.oauthApps.client(app.clientId)).toBeNull();
          expect(await tx.oauthTokens.byHash(token.lookupHash)).toBeNull();
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect([await store.oauthApps.client(app.clientId), await store.oauthTokens.byHash(token.lookupHash)]).toEqual(before);
    });

    it("a committed transaction's OAuth writes are read afterwards", async () => {
      const { store } = h();
      const { user, app, secret, key } = await createClient(store);
      await store.oauthApps.client(app.clientId);
      const token = newToken({ clientId: app.clientId, userId: user.id }, { secretId: secret.id, publicKeyId: key.id });
      await store.transaction(async (tx) => {
        await tx.oauthTokens.create(token);
        await tx.oauthApps.touch(app.clientId, T0 + 5);
        await tx.clientSecrets.touch(secret.id, T0 + 5);
        await tx.publicKeys.touch(key.id, T0 + 5);
      });
      expect(await store.oauthApps.client(app.clientId)).toEqual({
        app: { ...app, lastUsedAt: T0 + 5 },
        secrets: [{ ...secret, lastUsedAt: T0 + 5 }],
        keys: [{ ...key, lastUsedAt: T0 + 5 }],
      });
      expect(await store.oauthTokens.byHash(token.lookupHash)).toEqual(token);
    });
  });
}
