/**
 * Service credentials and their certificates (`withKeys`, the credential with its certificates as an
 * exchange reads it, must answer what the last write left), the IMS tokens issued from them and to
 * developers (`byId` must answer null after any delete that removed the token, however it was read
 * before), the `jti` claims of IMS assertions, and the server's token signing keys.
 */
import { describe, expect, it } from "vitest";
import { Boom, createUser, T0, type Current } from "./fixtures";
import {
  createCredential,
  createImsToken,
  HOUR,
  jwtToken,
  liveTokensOf,
  newCredential,
  newCredentialKey,
  newImsToken,
  newSigningKey,
  s2sToken,
} from "./service-credential-fixtures";

export function serviceCredentialsContract(h: Current): void {
  describe("service credentials", () => {
    it("create stores a credential that withKeys, list and count return, metascopes as an array; unknown client IDs are null", async () => {
      const { store } = h();
      expect(await store.serviceCredentials.list()).toEqual([]);
      expect(await store.serviceCredentials.count()).toBe(0);
      const [a, b] = [await createUser(store, { kind: "technical" }), await createUser(store, { kind: "technical" })];
      const admin = await createUser(store, { accessLevel: "admin" });
      const later = newCredential(a.id, { metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"], createdAt: T0 + 1, createdBy: admin.id });
      const earlier = newCredential(b.id, { jwtEnabled: false, s2sEnabled: true, metascopes: ["ent_keyward_readonly_api"] });
      await store.serviceCredentials.create(later);
      await store.serviceCredentials.create(earlier);
      expect(await store.serviceCredentials.list()).toEqual([earlier, later]);
      expect(await store.serviceCredentials.count()).toBe(2);
      const read = await store.serviceCredentials.withKeys(later.clientId);
      expect(read).toEqual({ credential: later, keys: [] });
      expect(Array.isArray(read?.credential.metascopes)).toBe(true);
      expect(await store.serviceCredentials.withKeys(earlier.clientId)).toEqual({ credential: earlier, keys: [] });
      expect(await store.serviceCredentials.withKeys("no-such-client")).toBeNull();
    });

    it("withKeys answers frozen values, and changing the object given to create changes nothing stored", async () => {
      const { store } = h();
      const account = await createUser(store, { kind: "technical" });
      const c = newCredential(account.id, { metascopes: ["ent_keyward_api"] });
      await store.serviceCredentials.create(c);
      const key = newCredentialKey(c.clientId);
      await store.serviceCredentialKeys.create(key);
      const stored = { ...c, metascopes: [...c.metascopes] };
      c.metascopes.push("ent_keyward_readonly_api");
      c.name = "Changed after create";
      for (let i = 0; i < 2; i++) {
        const read = await store.serviceCredentials.withKeys(c.clientId);
        expect(read?.credential).toEqual(stored);
        expect(read?.keys).toEqual([key]);
        expect(Object.isFrozen(read)).toBe(true);
        expect(Object.isFrozen(read?.credential)).toBe(true);
        expect(Object.isFrozen(read?.credential.metascopes)).toBe(true);
        expect(Object.isFrozen(read?.keys)).toBe(true);
        expect(Object.isFrozen(read?.keys[0])).toBe(true);
      }
    });

    it("create refuses a client ID or a technical account already in use", async () => {
      const { store } = h();
      const { account, credential } = await createCredential(store);
      const other = await createUser(store, { kind: "technical" });
      await expect(store.serviceCredentials.create({ ...credential, technicalAccountId: other.id, name: "Same client ID" })).rejects.toThrow();
      await expect(store.serviceCredentials.create(newCredential(account.id))).rejects.toThrow();
      expect(await store.serviceCredentials.count()).toBe(1);
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.credential).toEqual(credential);
    });

    it("update changes the given fields of one credential, also in a withKeys read made before; an empty patch changes nothing", async () => {
      const { store } = h();
      const { credential, key } = await createCredential(store);
      const other = await createCredential(store, { createdAt: T0 + 1 });
      await store.serviceCredentials.withKeys(credential.clientId);
      await store.serviceCredentials.update(credential.clientId, { s2sEnabled: true, migratedAt: T0 + 5 });
      const migrated = { ...credential, s2sEnabled: true, migratedAt: T0 + 5 };
      expect(await store.serviceCredentials.withKeys(credential.clientId)).toEqual({ credential: migrated, keys: [key] });
      await store.serviceCredentials.update(credential.clientId, { name: "Renamed", jwtEnabled: false, revokedAt: T0 + 6 });
      const revoked = { ...migrated, name: "Renamed", jwtEnabled: false, revokedAt: T0 + 6 };
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.credential).toEqual(revoked);
      await store.serviceCredentials.update(credential.clientId, {});
      await store.serviceCredentials.update("no-such-client", { name: "Nobody" });
      expect(await store.serviceCredentials.list()).toEqual([revoked, other.credential]);
      expect(await store.serviceCredentials.withKeys(other.credential.clientId)).toEqual({ credential: other.credential, keys: [other.key] });
    });

    it("touch records when the credential was last used, also in a withKeys read made before; an unknown one is ignored", async () => {
      const { store } = h();
      const { credential } = await createCredential(store);
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.credential.lastUsedAt).toBeNull();
      await store.serviceCredentials.touch(credential.clientId, T0 + 60_000);
      await store.serviceCredentials.touch("no-such-client", T0 + 60_000);
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.credential).toEqual({ ...credential, lastUsedAt: T0 + 60_000 });
      expect(await store.serviceCredentials.list()).toEqual([{ ...credential, lastUsedAt: T0 + 60_000 }]);
    });

    it("usage counts each credential's live tokens only: expired ones and local development tokens are left out", async () => {
      const { store } = h();
      const a = await createCredential(store);
      const b = await createCredential(store);
      const idle = await createCredential(store);
      const person = await createUser(store);
      await createImsToken(store, jwtToken(a));
      await createImsToken(store, s2sToken(a, { expiresAt: T0 + 2 * HOUR }));
      await createImsToken(store, jwtToken(a, { expiresAt: T0 }));
      await createImsToken(store, jwtToken(a, { expiresAt: T0 - HOUR }));
      await createImsToken(store, s2sToken(b));
      await createImsToken(store, { userId: person.id });
      const usage = await store.serviceCredentials.usage(T0);
      expect(liveTokensOf(usage, a.credential.clientId)).toBe(2);
      expect(liveTokensOf(usage, b.credential.clientId)).toBe(1);
      expect(liveTokensOf(usage, idle.credential.clientId)).toBe(0);
      expect(usage.some((u) => u.clientId === null)).toBe(false);
      const later = await store.serviceCredentials.usage(T0 + 2 * HOUR);
      expect(liveTokensOf(later, a.credential.clientId)).toBe(1);
      expect(liveTokensOf(later, b.credential.clientId)).toBe(1);
      expect(liveTokensOf(await store.serviceCredentials.usage(T0 + 25 * HOUR), a.credential.clientId)).toBe(0);
    });
  });

  describe("service credential keys", () => {
    it("list returns a credential's certificates oldest first, and only that credential's; withKeys carries the same", async () => {
      const { store } = h();
      const { credential, key } = await createCredential(store);
      const other = await createCredential(store);
      const admin = await createUser(store, { accessLevel: "admin" });
      const later = newCredentialKey(credential.clientId, { createdAt: T0 + 2, createdBy: admin.id });
      const earlier = newCredentialKey(credential.clientId, { createdAt: T0 + 1, notAfter: T0 + 10 * HOUR });
      await store.serviceCredentials.withKeys(credential.clientId);
      await store.serviceCredentialKeys.create(later);
      await store.serviceCredentialKeys.create(earlier);
      expect(await store.serviceCredentialKeys.list(credential.clientId)).toEqual([key, earlier, later]);
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.keys).toEqual([key, earlier, later]);
      expect(await store.serviceCredentialKeys.list(other.credential.clientId)).toEqual([other.key]);
      expect(await store.serviceCredentialKeys.list("no-such-client")).toEqual([]);
    });

    it("create refuses a certificate fingerprint already stored, on any credential", async () => {
      const { store } = h();
      const { credential, key } = await createCredential(store);
      const other = await createCredential(store);
      await expect(store.serviceCredentialKeys.create(newCredentialKey(credential.clientId, { fingerprint256: key.fingerprint256 }))).rejects.toThrow();
      await expect(store.serviceCredentialKeys.create(newCredentialKey(other.credential.clientId, { fingerprint256: key.fingerprint256 }))).rejects.toThrow();
      expect(await store.serviceCredentialKeys.list(credential.clientId)).toEqual([key]);
      expect(await store.serviceCredentialKeys.list(other.credential.clientId)).toEqual([other.key]);
    });

    it("delete removes the certificate and exactly the tokens minted with it, counts them, and evicts each token read before", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const second = newCredentialKey(c.credential.clientId, { createdAt: T0 + 1 });
      await store.serviceCredentialKeys.create(second);
      const minted = [await createImsToken(store, jwtToken(c)), await createImsToken(store, jwtToken(c, { expiresAt: T0 - 1 }))];
      const survivors = [await createImsToken(store, jwtToken(c, { keyId: second.id })), await createImsToken(store, s2sToken(c))];
      for (const t of [...minted, ...survivors]) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      await store.serviceCredentials.withKeys(c.credential.clientId);

      expect(await store.serviceCredentialKeys.delete(c.credential.clientId, c.key.id)).toEqual({ tokens: 2 });
      expect(await store.serviceCredentialKeys.delete(c.credential.clientId, c.key.id)).toBeNull();
      for (const t of minted) expect(await store.imsTokens.byId(t.id)).toBeNull();
      for (const t of survivors) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.serviceCredentialKeys.list(c.credential.clientId)).toEqual([second]);
      expect(await store.serviceCredentials.withKeys(c.credential.clientId)).toEqual({ credential: c.credential, keys: [second] });
    });

    it("delete under another credential's client ID, or of an unknown key, deletes nothing and is null", async () => {
      const { store } = h();
      const a = await createCredential(store);
      const b = await createCredential(store);
      const token = await createImsToken(store, jwtToken(a));
      await store.imsTokens.byId(token.id);
      expect(await store.serviceCredentialKeys.delete(b.credential.clientId, a.key.id)).toBeNull();
      expect(await store.serviceCredentialKeys.delete(a.credential.clientId, "no-such-key")).toBeNull();
      expect(await store.serviceCredentialKeys.delete("no-such-client", a.key.id)).toBeNull();
      expect(await store.serviceCredentialKeys.list(a.credential.clientId)).toEqual([a.key]);
      expect((await store.serviceCredentials.withKeys(a.credential.clientId))?.keys).toEqual([a.key]);
      expect(await store.imsTokens.byId(token.id)).toEqual(token);
    });

    it("deleteAll removes every certificate of one credential with the tokens minted with them, and says how many certificates", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const second = newCredentialKey(c.credential.clientId, { createdAt: T0 + 1 });
      await store.serviceCredentialKeys.create(second);
      const other = await createCredential(store);
      const minted = [await createImsToken(store, jwtToken(c)), await createImsToken(store, jwtToken(c, { keyId: second.id }))];
      const survivors = [await createImsToken(store, s2sToken(c)), await createImsToken(store, jwtToken(other))];
      for (const t of [...minted, ...survivors]) await store.imsTokens.byId(t.id);
      await store.serviceCredentials.withKeys(c.credential.clientId);

      expect(await store.serviceCredentialKeys.deleteAll(c.credential.clientId)).toBe(2);
      expect(await store.serviceCredentialKeys.deleteAll(c.credential.clientId)).toBe(0);
      expect(await store.serviceCredentialKeys.deleteAll("no-such-client")).toBe(0);
      for (const t of minted) expect(await store.imsTokens.byId(t.id)).toBeNull();
      for (const t of survivors) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.serviceCredentialKeys.list(c.credential.clientId)).toEqual([]);
      expect(await store.serviceCredentials.withKeys(c.credential.clientId)).toEqual({ credential: c.credential, keys: [] });
      expect(await store.serviceCredentials.withKeys(other.credential.clientId)).toEqual({ credential: other.credential, keys: [other.key] });
    });

    it("touch records when a certificate was last used, also in a withKeys read made before; an unknown key is ignored", async () => {
      const { store } = h();
      const { credential, key } = await createCredential(store);
      await store.serviceCredentials.withKeys(credential.clientId);
      await store.serviceCredentialKeys.touch(key.id, T0 + 30_000);
      await store.serviceCredentialKeys.touch("no-such-key", T0 + 30_000);
      expect(await store.serviceCredentialKeys.list(credential.clientId)).toEqual([{ ...key, lastUsedAt: T0 + 30_000 }]);
      expect((await store.serviceCredentials.withKeys(credential.clientId))?.keys).toEqual([{ ...key, lastUsedAt: T0 + 30_000 }]);
    });
  });

  describe("IMS tokens", () => {
    it("create stores a token that byId returns, of every kind; unknown IDs are null; an ID in use is refused", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const person = await createUser(store);
      const tokens = [
        await createImsToken(store, jwtToken(c, { scope: "ent_keyward_api,ent_keyward_readonly_api" })),
        await createImsToken(store, s2sToken(c, { createdAt: T0 + 1, expiresAt: T0 + 3 * HOUR })),
        await createImsToken(store, { userId: person.id }),
      ];
      for (const t of tokens) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.imsTokens.byId("no-such-token")).toBeNull();
      await expect(store.imsTokens.create({ ...tokens[2]!, createdAt: T0 + 9 })).rejects.toThrow();
      expect(await store.imsTokens.byId(tokens[2]!.id)).toEqual(tokens[2]);
    });

    it("delete says whether there was a token, and a byId read before answers null after", async () => {
      const { store } = h();
      const person = await createUser(store);
      const [t, other] = [await createImsToken(store, { userId: person.id }), await createImsToken(store, { userId: person.id })];
      expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.imsTokens.delete(t.id)).toBe(true);
      expect(await store.imsTokens.delete(t.id)).toBe(false);
      expect(await store.imsTokens.delete("no-such-token")).toBe(false);
      expect(await store.imsTokens.byId(t.id)).toBeNull();
      expect(await store.imsTokens.byId(other.id)).toEqual(other);
    });

    it("deleteForCredential ends every token of one credential, or only those of one kind, and says how many", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const other = await createCredential(store);
      const jwt = [await createImsToken(store, jwtToken(c)), await createImsToken(store, jwtToken(c, { expiresAt: T0 - 1 }))];
      const s2s = await createImsToken(store, s2sToken(c));
      const theirs = await createImsToken(store, jwtToken(other));
      const person = await createImsToken(store, { userId: (await createUser(store)).id });
      for (const t of [...jwt, s2s, theirs, person]) await store.imsTokens.byId(t.id);

      expect(await store.imsTokens.deleteForCredential(c.credential.clientId, "jwt_bearer")).toBe(2);
      for (const t of jwt) expect(await store.imsTokens.byId(t.id)).toBeNull();
      expect(await store.imsTokens.byId(s2s.id)).toEqual(s2s);
      expect(await store.imsTokens.deleteForCredential(c.credential.clientId, "jwt_bearer")).toBe(0);

      const more = await createImsToken(store, jwtToken(c));
      await store.imsTokens.byId(more.id);
      expect(await store.imsTokens.deleteForCredential(c.credential.clientId)).toBe(2);
      expect(await store.imsTokens.deleteForCredential(c.credential.clientId)).toBe(0);
      expect(await store.imsTokens.deleteForCredential("no-such-client")).toBe(0);
      expect(await store.imsTokens.byId(s2s.id)).toBeNull();
      expect(await store.imsTokens.byId(more.id)).toBeNull();
      expect(await store.imsTokens.byId(theirs.id)).toEqual(theirs);
      expect(await store.imsTokens.byId(person.id)).toEqual(person);
    });

    it("deleteForUser ends the user's tokens of one kind only, and says how many", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const [u, v] = [await createUser(store), await createUser(store)];
      const uLocal = [await createImsToken(store, { userId: u.id }), await createImsToken(store, { userId: u.id, expiresAt: T0 - 1 })];
      const vLocal = await createImsToken(store, { userId: v.id });
      const technical = await createImsToken(store, jwtToken(c));
      for (const t of [...uLocal, vLocal, technical]) await store.imsTokens.byId(t.id);

      expect(await store.imsTokens.deleteForUser(u.id, "local_development")).toBe(2);
      expect(await store.imsTokens.deleteForUser(u.id, "local_development")).toBe(0);
      for (const t of uLocal) expect(await store.imsTokens.byId(t.id)).toBeNull();
      expect(await store.imsTokens.byId(vLocal.id)).toEqual(vLocal);
      expect(await store.imsTokens.deleteForUser(c.account.id, "local_development")).toBe(0);
      expect(await store.imsTokens.deleteForUser(c.account.id, "client_credentials")).toBe(0);
      expect(await store.imsTokens.byId(technical.id)).toEqual(technical);
      expect(await store.imsTokens.deleteForUser(c.account.id, "jwt_bearer")).toBe(1);
      expect(await store.imsTokens.byId(technical.id)).toBeNull();
    });

    it("listForUser returns the user's live tokens of one kind, newest first", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const [u, v] = [await createUser(store), await createUser(store)];
      const oldest = await createImsToken(store, { userId: u.id, createdAt: T0 - 2 * HOUR, expiresAt: T0 + 22 * HOUR });
      const newest = await createImsToken(store, { userId: u.id, createdAt: T0 });
      const middle = await createImsToken(store, { userId: u.id, createdAt: T0 - HOUR, expiresAt: T0 + 23 * HOUR });
      await createImsToken(store, { userId: u.id, createdAt: T0 - 25 * HOUR, expiresAt: T0 - HOUR });
      await createImsToken(store, { userId: u.id, createdAt: T0 - 24 * HOUR, expiresAt: T0 });
      await createImsToken(store, { userId: v.id });
      await createImsToken(store, jwtToken(c));
      expect(await store.imsTokens.listForUser(u.id, "local_development", T0)).toEqual([newest, middle, oldest]);
      expect(await store.imsTokens.listForUser(u.id, "local_development", T0 + 22 * HOUR)).toEqual([newest, middle]);
      expect(await store.imsTokens.listForUser(u.id, "jwt_bearer", T0)).toEqual([]);
      expect(await store.imsTokens.listForUser(c.account.id, "jwt_bearer", T0)).toHaveLength(1);
      expect(await store.imsTokens.listForUser("no-such-user", "local_development", T0)).toEqual([]);
    });

    it("deleteExpired removes the tokens expired by then, keeps live ones, and a byId read before answers null after", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const person = await createUser(store);
      const expired = [
        await createImsToken(store, { userId: person.id, expiresAt: T0 - HOUR }),
        await createImsToken(store, jwtToken(c, { expiresAt: T0 })),
        await createImsToken(store, s2sToken(c, { expiresAt: T0 - 1 })),
      ];
      const live = [await createImsToken(store, { userId: person.id, expiresAt: T0 + 1 }), await createImsToken(store, s2sToken(c))];
      for (const t of [...expired, ...live]) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.imsTokens.deleteExpired(T0)).toBe(3);
      expect(await store.imsTokens.deleteExpired(T0)).toBe(0);
      for (const t of expired) expect(await store.imsTokens.byId(t.id)).toBeNull();
      for (const t of live) expect(await store.imsTokens.byId(t.id)).toEqual(t);
      expect(await store.imsTokens.deleteExpired(T0 + 24 * HOUR)).toBe(2);
      for (const t of live) expect(await store.imsTokens.byId(t.id)).toBeNull();
    });

    it("every path that deletes a token makes a byId read before answer null", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const person = await createUser(store);
      const paths: { name: string; token: () => Promise<{ id: string }>; remove: (id: string) => Promise<unknown> }[] = [
        { name: "delete", token: () => createImsToken(store, { userId: person.id }), remove: (id) => store.imsTokens.delete(id) },
        { name: "deleteForCredential", token: () => createImsToken(store, s2sToken(c)), remove: () => store.imsTokens.deleteForCredential(c.credential.clientId) },
        {
          name: "deleteForCredential of a kind",
          token: () => createImsToken(store, jwtToken(c)),
          remove: () => store.imsTokens.deleteForCredential(c.credential.clientId, "jwt_bearer"),
        },
        { name: "deleteForUser", token: () => createImsToken(store, { userId: person.id }), remove: () => store.imsTokens.deleteForUser(person.id, "local_development") },
        { name: "deleteExpired", token: () => createImsToken(store, { userId: person.id, expiresAt: T0 - 1 }), remove: () => store.imsTokens.deleteExpired(T0) },
        {
          name: "serviceCredentialKeys.delete",
          token: async () => {
            const key = newCredentialKey(c.credential.clientId);
            await store.serviceCredentialKeys.create(key);
            return createImsToken(store, jwtToken(c, { keyId: key.id }));
          },
          remove: async (id) => {
            const row = await store.imsTokens.byId(id);
            return store.serviceCredentialKeys.delete(c.credential.clientId, row?.keyId ?? "");
          },
        },
        {
          name: "serviceCredentialKeys.deleteAll",
          token: () => createImsToken(store, jwtToken(c)),
          remove: () => store.serviceCredentialKeys.deleteAll(c.credential.clientId),
        },
      ];
      for (const path of paths) {
        const { id } = await path.token();
        expect({ path: path.name, before: (await store.imsTokens.byId(id))?.id }).toEqual({ path: path.name, before: id });
        expect({ path: path.name, again: (await store.imsTokens.byId(id))?.id }).toEqual({ path: path.name, again: id });
        await path.remove(id);
        expect({ path: path.name, after: await store.imsTokens.byId(id) }).toEqual({ path: path.name, after: null });
      }
    });
  });

  describe("IMS assertion IDs", () => {
    it("claim is true the first time and false for a replay until the stored one expires", async () => {
      const { store } = h();
      const { credential } = await createCredential(store);
      const id = credential.clientId;
      expect(await store.imsAssertionIds.claim(id, "jti-a", T0 + HOUR, T0)).toBe(true);
      expect(await store.imsAssertionIds.claim(id, "jti-a", T0 + HOUR, T0)).toBe(false);
      expect(await store.imsAssertionIds.claim(id, "jti-a", T0 + 2 * HOUR, T0 + HOUR - 1)).toBe(false);
      expect(await store.imsAssertionIds.claim(id, "JTI-A", T0 + HOUR, T0)).toBe(true);
      // Once the stored assertion has expired it guards nothing; the new claim guards until its own expiry.
      expect(await store.imsAssertionIds.claim(id, "jti-a", T0 + 3 * HOUR, T0 + HOUR)).toBe(true);
      expect(await store.imsAssertionIds.claim(id, "jti-a", T0 + 3 * HOUR, T0 + 2 * HOUR)).toBe(false);
    });

    it("claims of different credentials are independent", async () => {
      const { store } = h();
      const [a, b] = [await createCredential(store), await createCredential(store)];
      expect(await store.imsAssertionIds.claim(a.credential.clientId, "shared", T0 + HOUR, T0)).toBe(true);
      expect(await store.imsAssertionIds.claim(b.credential.clientId, "shared", T0 + HOUR, T0)).toBe(true);
      expect(await store.imsAssertionIds.claim(a.credential.clientId, "shared", T0 + HOUR, T0)).toBe(false);
      expect(await store.imsAssertionIds.claim(b.credential.clientId, "shared", T0 + HOUR, T0)).toBe(false);
    });

    it("deleteExpired removes the claims expired by then and says how many; a purged jti may be claimed again", async () => {
      const { store } = h();
      const { credential } = await createCredential(store);
      const id = credential.clientId;
      expect(await store.imsAssertionIds.claim(id, "old", T0 - 1, T0 - HOUR)).toBe(true);
      expect(await store.imsAssertionIds.claim(id, "edge", T0, T0 - HOUR)).toBe(true);
      expect(await store.imsAssertionIds.claim(id, "live", T0 + HOUR, T0 - HOUR)).toBe(true);
      expect(await store.imsAssertionIds.deleteExpired(T0)).toBe(2);
      expect(await store.imsAssertionIds.deleteExpired(T0)).toBe(0);
      expect(await store.imsAssertionIds.claim(id, "live", T0 + HOUR, T0)).toBe(false);
      expect(await store.imsAssertionIds.claim(id, "old", T0 + HOUR, T0)).toBe(true);
      expect(await store.imsAssertionIds.deleteExpired(T0 + HOUR)).toBe(2);
    });
  });

  describe("signing keys", () => {
    it("list is empty on a new store, then returns every key newest first, and reflects each create", async () => {
      const { store } = h();
      expect(await store.signingKeys.list()).toEqual([]);
      const first = newSigningKey({ createdAt: T0 - HOUR });
      await store.signingKeys.create(first);
      expect(await store.signingKeys.list()).toEqual([first]);
      const second = newSigningKey({ createdAt: T0 });
      await store.signingKeys.create(second);
      const retired = newSigningKey({ createdAt: T0 - 2 * HOUR, retiredAt: T0 - HOUR });
      await store.signingKeys.create(retired);
      expect(await store.signingKeys.list()).toEqual([second, first, retired]);
      await expect(store.signingKeys.create({ ...first, createdAt: T0 + 1 })).rejects.toThrow();
      expect(await store.signingKeys.list()).toEqual([second, first, retired]);
    });

    it("retireOthers retires every current key but the one named, stamped, says how many, and leaves retired keys as they were", async () => {
      const { store } = h();
      const [a, b] = [newSigningKey({ createdAt: T0 - 2 * HOUR }), newSigningKey({ createdAt: T0 - HOUR })];
      const old = newSigningKey({ createdAt: T0 - 3 * HOUR, retiredAt: T0 - 2 * HOUR });
      const current = newSigningKey({ createdAt: T0 });
      for (const k of [a, b, old, current]) await store.signingKeys.create(k);
      await store.signingKeys.list();
      expect(await store.signingKeys.retireOthers(current.kid, T0 + 1)).toBe(2);
      expect(await store.signingKeys.list()).toEqual([current, { ...b, retiredAt: T0 + 1 }, { ...a, retiredAt: T0 + 1 }, old]);
      expect(await store.signingKeys.retireOthers(current.kid, T0 + 2)).toBe(0);
      expect(await store.signingKeys.retireOthers("no-such-kid", T0 + 3)).toBe(1);
      expect(await store.signingKeys.list()).toEqual([{ ...current, retiredAt: T0 + 3 }, { ...b, retiredAt: T0 + 1 }, { ...a, retiredAt: T0 + 1 }, old]);
    });

    it("deleteRetiredBefore deletes the keys retired before the time, never a current one, and says how many", async () => {
      const { store } = h();
      const current = newSigningKey({ createdAt: T0 - 5 * HOUR });
      const early = newSigningKey({ createdAt: T0 - 4 * HOUR, retiredAt: T0 - 2 * HOUR });
      const edge = newSigningKey({ createdAt: T0 - 3 * HOUR, retiredAt: T0 });
      for (const k of [current, early, edge]) await store.signingKeys.create(k);
      await store.signingKeys.list();
      expect(await store.signingKeys.deleteRetiredBefore(T0)).toBe(1);
      expect(await store.signingKeys.list()).toEqual([edge, current]);
      expect(await store.signingKeys.deleteRetiredBefore(T0)).toBe(0);
      expect(await store.signingKeys.deleteRetiredBefore(T0 + 1)).toBe(1);
      expect(await store.signingKeys.deleteRetiredBefore(T0 + 1000 * HOUR)).toBe(0);
      expect(await store.signingKeys.list()).toEqual([current]);
    });
  });

  describe("service credentials in transactions", () => {
    it("a rolled-back transaction leaves every credential, certificate, token, claim and signing key as before", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const token = await createImsToken(store, jwtToken(c));
      const key = newSigningKey();
      await store.signingKeys.create(key);
      const before = [await store.serviceCredentials.withKeys(c.credential.clientId), await store.imsTokens.byId(token.id), await store.signingKeys.list()];
      const added = newImsToken(s2sToken(c));
      await expect(
        store.transaction(async (tx) => {
          await tx.serviceCredentials.update(c.credential.clientId, { revokedAt: T0 + 1, jwtEnabled: false });
          await tx.serviceCredentialKeys.create(newCredentialKey(c.credential.clientId));
          await tx.imsTokens.deleteForCredential(c.credential.clientId);
          await tx.imsTokens.create(added);
          await tx.imsAssertionIds.claim(c.credential.clientId, "jti-in-tx", T0 + HOUR, T0);
          await tx.signingKeys.create(newSigningKey({ createdAt: T0 + 1 }));
          await tx.signingKeys.retireOthers("none", T0 + 1);
          // Read inside, so a cache would see the uncommitted values.
          expect((await tx.serviceCredentials.withKeys(c.credential.clientId))?.credential.revokedAt).toBe(T0 + 1);
          expect(await tx.imsTokens.byId(token.id)).toBeNull();
          expect(await tx.signingKeys.list()).toHaveLength(2);
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      const after = [await store.serviceCredentials.withKeys(c.credential.clientId), await store.imsTokens.byId(token.id), await store.signingKeys.list()];
      expect(after).toEqual(before);
      expect(await store.imsTokens.byId(added.id)).toBeNull();
      expect(await store.imsAssertionIds.claim(c.credential.clientId, "jti-in-tx", T0 + HOUR, T0)).toBe(true);
    });

    it("a committed transaction's writes are seen by reads made before it", async () => {
      const { store } = h();
      const c = await createCredential(store);
      const token = await createImsToken(store, jwtToken(c));
      await store.serviceCredentials.withKeys(c.credential.clientId);
      await store.imsTokens.byId(token.id);
      await store.transaction(async (tx) => {
        await tx.serviceCredentials.update(c.credential.clientId, { revokedAt: T0 + 1, jwtEnabled: false });
        expect(await tx.imsTokens.deleteForCredential(c.credential.clientId)).toBe(1);
      });
      expect((await store.serviceCredentials.withKeys(c.credential.clientId))?.credential).toEqual({ ...c.credential, revokedAt: T0 + 1, jwtEnabled: false });
      expect(await store.imsTokens.byId(token.id)).toBeNull();
    });
  });
}
