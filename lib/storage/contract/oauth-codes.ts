/**
 * Authorization codes (single use: `redeem` succeeds once), the consents users give apps, and the
 * refresh-family writes of the authorization code flow: `deleteFamily` and the conditional
 * `markRotated`, each seen by a read cached before it.
 */
import { describe, expect, it } from "vitest";
import type { StoredConsent, StoredOAuthCode } from "../types";
import { Boom, createUser, T0, type Current } from "./fixtures";
import { createClient, createToken } from "./oauth-fixtures";

const MINUTE = 60_000;

let seq = 0;
const next = () => String(++seq).padStart(6, "0");

function newCode(c: Pick<StoredOAuthCode, "clientId" | "userId">, over: Partial<StoredOAuthCode> = {}): StoredOAuthCode {
  return {
    lookupHash: `code-hash-${next()}`,
    redirectUri: "https://app.example/callback",
    codeChallenge: null,
    scope: "",
    createdAt: T0,
    expiresAt: T0 + 2 * MINUTE,
    redeemedAt: null,
    familyId: null,
    ...c,
    ...over,
  };
}

const consent = (userId: string, clientId: string, over: Partial<StoredConsent> = {}): StoredConsent => ({
  userId,
  clientId,
  scope: "",
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

export function oauthCodesContract(h: Current): void {
  describe("OAuth authorization codes", () => {
    it("create stores a code that byHash returns as written; unknown hashes are null; a hash in use is refused", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const plain = newCode({ clientId: app.clientId, userId: user.id });
      const pkce = newCode({ clientId: app.clientId, userId: user.id }, { codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", scope: "read", redirectUri: "http://127.0.0.1:8080/cb?x=1" });
      await store.oauthCodes.create(plain);
      await store.oauthCodes.create(pkce);
      expect(await store.oauthCodes.byHash(plain.lookupHash)).toEqual(plain);
      expect(await store.oauthCodes.byHash(pkce.lookupHash)).toEqual(pkce);
      expect(await store.oauthCodes.byHash("no-such-code")).toBeNull();
      await expect(store.oauthCodes.create({ ...plain, redirectUri: "https://evil.example/cb" })).rejects.toThrow();
      expect(await store.oauthCodes.byHash(plain.lookupHash)).toEqual(plain);
    });

    it("redeem succeeds once, records when and which family; a second redeem is false and changes nothing", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const code = newCode({ clientId: app.clientId, userId: user.id });
      const other = newCode({ clientId: app.clientId, userId: user.id });
      await store.oauthCodes.create(code);
      await store.oauthCodes.create(other);
      await store.oauthCodes.byHash(code.lookupHash);
      expect(await store.oauthCodes.redeem(code.lookupHash, T0 + 1000, "family-1")).toBe(true);
      expect(await store.oauthCodes.byHash(code.lookupHash)).toEqual({ ...code, redeemedAt: T0 + 1000, familyId: "family-1" });
      expect(await store.oauthCodes.redeem(code.lookupHash, T0 + 2000, "family-2")).toBe(false);
      expect(await store.oauthCodes.byHash(code.lookupHash)).toEqual({ ...code, redeemedAt: T0 + 1000, familyId: "family-1" });
      expect(await store.oauthCodes.redeem("no-such-code", T0 + 1000, "family-3")).toBe(false);
      expect(await store.oauthCodes.byHash(other.lookupHash)).toEqual(other);
    });

    it("of two concurrent redeems of one code exactly one wins", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const code = newCode({ clientId: app.clientId, userId: user.id });
      await store.oauthCodes.create(code);
      const results = await Promise.all([store.oauthCodes.redeem(code.lookupHash, T0 + 1, "fam-a"), store.oauthCodes.redeem(code.lookupHash, T0 + 1, "fam-b")]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await store.oauthCodes.byHash(code.lookupHash);
      expect(stored?.familyId).toBe(results[0] ? "fam-a" : "fam-b");
    });

    it("deleteExpired removes the codes expired by then, redeemed or not, keeps live ones, and says how many", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const of = { clientId: app.clientId, userId: user.id };
      const expired = [newCode(of, { expiresAt: T0 - 1 }), newCode(of, { expiresAt: T0 - MINUTE, redeemedAt: T0 - 2 * MINUTE, familyId: "fam" })];
      const live = newCode(of, { expiresAt: T0 + MINUTE });
      for (const c of [...expired, live]) await store.oauthCodes.create(c);
      expect(await store.oauthCodes.deleteExpired(T0)).toBe(2);
      expect(await store.oauthCodes.deleteExpired(T0)).toBe(0);
      for (const c of expired) expect(await store.oauthCodes.byHash(c.lookupHash)).toBeNull();
      expect(await store.oauthCodes.byHash(live.lookupHash)).toEqual(live);
      expect(await store.oauthCodes.deleteExpired(T0 + 2 * MINUTE)).toBe(1);
      expect(await store.oauthCodes.byHash(live.lookupHash)).toBeNull();
    });

    it("a code dies with its app; another app's code stays", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const mine = newCode({ clientId: a.app.clientId, userId: a.user.id });
      const theirs = newCode({ clientId: b.app.clientId, userId: a.user.id });
      await store.oauthCodes.create(mine);
      await store.oauthCodes.create(theirs);
      expect(await store.oauthApps.delete(a.app.clientId)).toEqual({ tokens: 0 });
      expect(await store.oauthCodes.byHash(mine.lookupHash)).toBeNull();
      expect(await store.oauthCodes.byHash(theirs.lookupHash)).toEqual(theirs);
    });

    it("a rolled-back transaction leaves no code and no redemption", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const redeemed = newCode({ clientId: app.clientId, userId: user.id });
      const created = newCode({ clientId: app.clientId, userId: user.id });
      await store.oauthCodes.create(redeemed);
      await expect(
        store.transaction(async (tx) => {
          await tx.oauthCodes.create(created);
          expect(await tx.oauthCodes.redeem(redeemed.lookupHash, T0 + 1, "fam-rolled-back")).toBe(true);
          expect(await tx.oauthCodes.byHash(created.lookupHash)).toEqual(created);
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.oauthCodes.byHash(created.lookupHash)).toBeNull();
      expect(await store.oauthCodes.byHash(redeemed.lookupHash)).toEqual(redeemed);
      expect(await store.oauthCodes.redeem(redeemed.lookupHash, T0 + 2, "fam-kept")).toBe(true);
    });
  });

  describe("OAuth consents", () => {
    it("get is null before put and returns what put stored, per user and app", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const other = await createClient(store);
      const stranger = await createUser(store);
      expect(await store.consents.get(user.id, app.clientId)).toBeNull();
      const given = consent(user.id, app.clientId, { scope: "read write", createdAt: T0 + 1, updatedAt: T0 + 1 });
      await store.consents.put(given);
      expect(await store.consents.get(user.id, app.clientId)).toEqual(given);
      expect(await store.consents.get(user.id, other.app.clientId)).toBeNull();
      expect(await store.consents.get(stranger.id, app.clientId)).toBeNull();
    });

    it("put over an existing consent replaces its scope and updatedAt and keeps one consent", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      await store.consents.put(consent(user.id, app.clientId, { scope: "read", createdAt: T0, updatedAt: T0 }));
      await store.consents.put(consent(user.id, app.clientId, { scope: "read write", createdAt: T0, updatedAt: T0 + MINUTE }));
      const expected = consent(user.id, app.clientId, { scope: "read write", createdAt: T0, updatedAt: T0 + MINUTE });
      expect(await store.consents.get(user.id, app.clientId)).toEqual(expected);
      expect(await store.consents.listForUser(user.id)).toEqual([expected]);
    });

    it("listForUser returns only that user's consents, oldest first", async () => {
      const { store } = h();
      const [a, b, c] = [await createClient(store), await createClient(store), await createClient(store)];
      const user = await createUser(store);
      const other = await createUser(store);
      const newest = consent(user.id, a.app.clientId, { createdAt: T0 + 3, updatedAt: T0 + 9 });
      const oldest = consent(user.id, b.app.clientId, { createdAt: T0 + 1, updatedAt: T0 + 1 });
      const middle = consent(user.id, c.app.clientId, { createdAt: T0 + 2, updatedAt: T0 + 2, scope: "x" });
      const theirs = consent(other.id, a.app.clientId, { createdAt: T0 });
      for (const x of [newest, oldest, theirs, middle]) await store.consents.put(x);
      expect(await store.consents.listForUser(user.id)).toEqual([oldest, middle, newest]);
      expect(await store.consents.listForUser(other.id)).toEqual([theirs]);
      expect(await store.consents.listForUser("no-such-user")).toEqual([]);
    });

    it("delete removes exactly that consent and says whether there was one", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const user = await createUser(store);
      const kept = [consent(user.id, b.app.clientId), consent(a.user.id, a.app.clientId)];
      await store.consents.put(consent(user.id, a.app.clientId));
      for (const x of kept) await store.consents.put(x);
      expect(await store.consents.delete(user.id, a.app.clientId)).toBe(true);
      expect(await store.consents.delete(user.id, a.app.clientId)).toBe(false);
      expect(await store.consents.delete("no-such-user", b.app.clientId)).toBe(false);
      expect(await store.consents.get(user.id, a.app.clientId)).toBeNull();
      expect(await store.consents.get(user.id, b.app.clientId)).toEqual(kept[0]);
      expect(await store.consents.get(a.user.id, a.app.clientId)).toEqual(kept[1]);
    });

    it("the consents given to an app go when the app is deleted", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const user = await createUser(store);
      await store.consents.put(consent(user.id, a.app.clientId));
      await store.consents.put(consent(user.id, b.app.clientId, { createdAt: T0 + 1 }));
      await store.oauthApps.delete(a.app.clientId);
      expect(await store.consents.get(user.id, a.app.clientId)).toBeNull();
      expect(await store.consents.listForUser(user.id)).toEqual([consent(user.id, b.app.clientId, { createdAt: T0 + 1 })]);
      // The same client ID created again has no consent from before.
      await store.oauthApps.create(a.app);
      expect(await store.consents.get(user.id, a.app.clientId)).toBeNull();
    });

    it("a rolled-back transaction leaves consents as they were", async () => {
      const { store } = h();
      const a = await createClient(store);
      const b = await createClient(store);
      const user = await createUser(store);
      const before = consent(user.id, a.app.clientId, { scope: "read" });
      await store.consents.put(before);
      await expect(
        store.transaction(async (tx) => {
          await tx.consents.put(consent(user.id, a.app.clientId, { scope: "changed", updatedAt: T0 + 1 }));
          await tx.consents.put(consent(user.id, b.app.clientId));
          expect(await tx.consents.listForUser(user.id)).toHaveLength(2);
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.consents.listForUser(user.id)).toEqual([before]);
    });
  });

  describe("OAuth refresh families", () => {
    it("deleteFamily removes exactly that family's access and refresh tokens, also from earlier reads, and counts them", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const of = { clientId: app.clientId, userId: user.id };
      const family = [
        await createToken(store, of, { kind: "access", grant: "authorization_code", familyId: "fam-a" }),
        await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam-a", expiresAt: null, rotatedAt: T0 + 1 }),
        await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam-a", expiresAt: T0 + 90 * 86_400_000 }),
        await createToken(store, of, { kind: "access", grant: "refresh_token", familyId: "fam-a" }),
      ];
      const others = [
        await createToken(store, of, { kind: "access", grant: "authorization_code", familyId: "fam-b" }),
        await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam-b", expiresAt: null }),
        await createToken(store, of, { kind: "access", familyId: null }),
        await createToken(store, of, { kind: "refresh", familyId: "FAM-A", expiresAt: null }),
      ];
      for (const t of [...family, ...others]) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      expect(await store.oauthTokens.deleteFamily("fam-a")).toBe(4);
      for (const t of family) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      for (const t of others) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      expect(await store.oauthTokens.deleteFamily("fam-a")).toBe(0);
      expect(await store.oauthTokens.deleteFamily("no-such-family")).toBe(0);
    });

    it("deleteSignInTokens removes the user's authorization-code and refresh tokens, keeps JWT-flow tokens and other users', and counts them", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const other = await createUser(store);
      const of = { clientId: app.clientId, userId: user.id };
      const signIn = [
        await createToken(store, of, { kind: "access", grant: "authorization_code", familyId: "fam-s" }),
        await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam-s", expiresAt: null }),
      ];
      const kept = [
        await createToken(store, of, { kind: "access", grant: "jwt_bearer", familyId: null }),
        await createToken(store, { clientId: app.clientId, userId: other.id }, { kind: "access", grant: "authorization_code", familyId: "fam-o" }),
      ];
      for (const t of [...signIn, ...kept]) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      expect(await store.oauthTokens.deleteSignInTokens(user.id)).toBe(2);
      for (const t of signIn) expect(await store.oauthTokens.byHash(t.lookupHash)).toBeNull();
      for (const t of kept) expect(await store.oauthTokens.byHash(t.lookupHash)).toEqual(t);
      expect(await store.oauthTokens.deleteSignInTokens(user.id)).toBe(0);
    });

    it("markRotated succeeds once: a read cached before shows rotatedAt, and a second mark is false and keeps the first time", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const of = { clientId: app.clientId, userId: user.id };
      const token = await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam", expiresAt: null });
      const sibling = await createToken(store, of, { kind: "refresh", grant: "refresh_token", familyId: "fam", expiresAt: null });
      expect(await store.oauthTokens.byHash(token.lookupHash)).toEqual(token);
      expect(await store.oauthTokens.byHash(sibling.lookupHash)).toEqual(sibling);
      expect(await store.oauthTokens.markRotated(token.lookupHash, T0 + 5)).toBe(true);
      expect(await store.oauthTokens.byHash(token.lookupHash)).toEqual({ ...token, rotatedAt: T0 + 5 });
      expect(await store.oauthTokens.markRotated(token.lookupHash, T0 + 9)).toBe(false);
      expect(await store.oauthTokens.byHash(token.lookupHash)).toEqual({ ...token, rotatedAt: T0 + 5 });
      expect(await store.oauthTokens.markRotated("no-such-token", T0 + 5)).toBe(false);
      expect(await store.oauthTokens.byHash(sibling.lookupHash)).toEqual(sibling);
    });

    it("of two concurrent markRotated calls on one token exactly one wins", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const token = await createToken(store, { clientId: app.clientId, userId: user.id }, { kind: "refresh", familyId: "fam", expiresAt: null });
      const results = await Promise.all([store.oauthTokens.markRotated(token.lookupHash, T0 + 1), store.oauthTokens.markRotated(token.lookupHash, T0 + 2)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.oauthTokens.byHash(token.lookupHash))?.rotatedAt).toBe(results[0] ? T0 + 1 : T0 + 2);
    });

    it("a rolled-back markRotated and deleteFamily leave the tokens as a cached read saw them", async () => {
      const { store } = h();
      const { user, app } = await createClient(store);
      const of = { clientId: app.clientId, userId: user.id };
      const refresh = await createToken(store, of, { kind: "refresh", familyId: "fam", expiresAt: null });
      const access = await createToken(store, of, { familyId: "fam" });
      for (const t of [refresh, access]) await store.oauthTokens.byHash(t.lookupHash);
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.oauthTokens.markRotated(refresh.lookupHash, T0 + 1)).toBe(true);
          expect((await tx.oauthTokens.byHash(refresh.lookupHash))?.rotatedAt).toBe(T0 + 1);
          expect(await tx.oauthTokens.deleteFamily("fam")).toBe(2);
          expect(await tx.oauthTokens.byHash(access.lookupHash)).toBeNull();
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store.oauthTokens.byHash(refresh.lookupHash)).toEqual(refresh);
      expect(await store.oauthTokens.byHash(access.lookupHash)).toEqual(access);
      expect(await store.oauthTokens.markRotated(refresh.lookupHash, T0 + 2)).toBe(true);
    });
  });
}
