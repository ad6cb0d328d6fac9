import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { Forbidden, InvalidRequest } from "../../errors";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import { apiKeyStatusFor, generateApiKey } from "../api-keys/manage";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";
import { updatePasswordPolicy } from "./update-password-policy";
import { updateApiKeySettings } from "./update-api-key-settings";

const DAY = 86_400_000;
let rt: TestRuntime;
let admin: ServiceContext;

async function ctxFor(username: string): Promise<ServiceContext> {
  const u = (await rt.store.users.byUsername(username))!;
  return { rt, actor: actorOf(u, "console"), meta: {} };
}

async function newUser(username: string): Promise<ServiceContext> {
  await createUser(admin, { username, name: username, password: "user-password-1" }, { apiFieldNames: false });
  return ctxFor(username);
}

beforeEach(async () => {
  rt = await createTestRuntime();
  admin = await ctxFor(ADMIN.username);
});
afterEach(() => rt.cleanup());

describe("updateApiKeySettings", () => {
  it("restarts the expiry clock only when the period changes, and audits old and new values", async () => {
    await generateApiKey(admin, admin.actor!.userId);
    const before = await rt.store.settings.get();
    rt.clock.advance(10 * DAY);
    await updateApiKeySettings(admin, { apiKeyExpiry: "1m", removeKeyOnPasswordExpiry: false });
    expect((await rt.store.settings.get()).apiKeyExpiryChangedAt).toBe(before.apiKeyExpiryChangedAt);

    const changedAt = rt.clock.now();
    const { settings } = await updateApiKeySettings(admin, { apiKeyExpiry: "6m", removeKeyOnPasswordExpiry: false });
    expect(settings).toMatchObject({ apiKeyExpiry: "6m", apiKeyExpiryChangedAt: changedAt });
    const status = await apiKeyStatusFor(admin, admin.actor!.userId);
    expect(status!.expiresAt).toBe(Date.UTC(2026, 6, 25, 12));

    rt.clock.advance(DAY);
    await updateApiKeySettings(admin, { apiKeyExpiry: "6m", removeKeyOnPasswordExpiry: true });
    expect((await rt.store.settings.get()).apiKeyExpiryChangedAt).toBe(changedAt);

    const events = await rt.store.audit.list({ action: "settings.api_keys", limit: 10 });
    expect(events).toHaveLength(2);
    expect(events[1]!.details).toMatchObject({ apiKeyExpiry: { from: "1m", to: "6m" }, removedKeys: 0 });
    expect(events[0]!.details).toMatchObject({ removeKeyOnPasswordExpiry: { from: false, to: true } });
    expect(events[0]!.actorName).toBe(ADMIN.username);
  });

  it("a change from a long period to a short one makes old keys expire from the change, not from creation", async () => {
    await updateApiKeySettings(admin, { apiKeyExpiry: "1y", removeKeyOnPasswordExpiry: false });
    await generateApiKey(admin, admin.actor!.userId);
    rt.clock.advance(60 * DAY);
    await updateApiKeySettings(admin, { apiKeyExpiry: "1m", removeKeyOnPasswordExpiry: false });
    const status = await apiKeyStatusFor(admin, admin.actor!.userId);
    expect(status!.expired).toBe(false);
    expect(status!.expiresAt).toBe(Date.UTC(2026, 3, 16, 12));
  });

  it("does not bring an already expired key back when the period changes; live keys restart their clock", async () => {
    const alice = await newUser("alice");
    await generateApiKey(alice, alice.actor!.userId);
    rt.clock.advance(20 * DAY);
    const bob = await newUser("bob");
    await generateApiKey(bob, bob.actor!.userId);
    rt.clock.advance(15 * DAY); // alice's key (1 month) expired, bob's has not
    const { removedKeys } = await updateApiKeySettings(admin, { apiKeyExpiry: "6m", removeKeyOnPasswordExpiry: false });
    expect(removedKeys).toBe(1);
    expect(await rt.store.apiKeys.byUser(alice.actor!.userId)).toBeNull();
    expect((await apiKeyStatusFor(bob, bob.actor!.userId))!.expired).toBe(false);
    const removed = await rt.store.audit.list({ action: "api_key.remove", limit: 5 });
    expect(removed[0]).toMatchObject({ subjectId: alice.actor!.userId, details: { reason: "expired before the expiry period changed" } });
  });

  it("removes the keys of users whose password already expired when the policy is on", async () => {
    await updateApiKeySettings(admin, { apiKeyExpiry: "never", removeKeyOnPasswordExpiry: false });
    const old = await newUser("old-password");
    await generateApiKey(old, old.actor!.userId);
    rt.clock.advance(40 * DAY);
    const fresh = await newUser("fresh-password");
    await generateApiKey(fresh, fresh.actor!.userId);
    await updatePasswordPolicy(admin, { passwordResetDays: 30, lockoutEnabled: true, lockoutMinutes: 10 });

    const r = await updateApiKeySettings(admin, { apiKeyExpiry: "never", removeKeyOnPasswordExpiry: true });
    expect(r.removedKeys).toBe(1);
    expect(await rt.store.apiKeys.byUser(old.actor!.userId)).toBeNull();
    expect(await rt.store.apiKeys.byUser(fresh.actor!.userId)).not.toBeNull();
    const removals = await rt.store.audit.list({ action: "api_key.remove", limit: 10 });
    expect(removals.map((e) => [e.subjectId, e.details?.reason])).toEqual([[old.actor!.userId, "password expired"]]);
  });

  it("keeps every key while the password policy is off", async () => {
    await updateApiKeySettings(admin, { apiKeyExpiry: "never", removeKeyOnPasswordExpiry: false });
    const old = await newUser("no-policy");
    await generateApiKey(old, old.actor!.userId);
    rt.clock.advance(400 * DAY);
    const r = await updateApiKeySettings(admin, { apiKeyExpiry: "never", removeKeyOnPasswordExpiry: true });
    expect(r.removedKeys).toBe(0);
    expect(await rt.store.apiKeys.byUser(old.actor!.userId)).not.toBeNull();
  });

  it("is for administrators only and refuses unknown periods", async () => {
    const user = await newUser("plain-user");
    await expect(updateApiKeySettings(user, { apiKeyExpiry: "1m", removeKeyOnPasswordExpiry: false })).rejects.toThrow(Forbidden);
    await expect(updateApiKeySettings(admin, { apiKeyExpiry: "5y" as never, removeKeyOnPasswordExpiry: false })).rejects.toThrow(InvalidRequest);
    expect((await rt.store.settings.get()).apiKeyExpiry).toBe("1m");
    expect(await rt.store.audit.list({ action: "settings.api_keys", limit: 10 })).toHaveLength(0);
  });
});
