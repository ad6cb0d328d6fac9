import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let adminSession: string;
const DAY = 86_400_000;

const keyAction = (action: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  api(`/user?action=${action}`, { headers, form: { method: "PUT", ...form } });
const search = (key: string) => api("/proj/search?$$LIMIT=20", { headers: { apiKey: key } });

async function newUser(username: string, accessLevel = "user") {
  const r = await api("/user", { headers: { sessionID: adminSession }, json: { username, name: username, password: `${username}-pass`, accessLevel } });
  expect(r.status).toBe(200);
  return { id: r.body.data.ID as string, username, password: `${username}-pass` };
}

async function generate(u: { username: string; password: string }): Promise<string> {
  const r = await keyAction("generateApiKey", { username: u.username, password: u.password });
  expect(r.status).toBe(200);
  return r.body.data.result;
}

beforeAll(async () => {
  rt = await createTestRuntime();
  adminSession = await loginAs(ADMIN.username, ADMIN.password);
});
beforeEach(async () => {
  // Every test starts from the default policy and a signed-in admin.
  await rt.store.settings.update({
    apiKeyExpiry: "1m",
    apiKeyExpiryChangedAt: 0,
    removeKeyOnPasswordExpiry: false,
    passwordResetDays: null,
    lockoutEnabled: true,
    lockoutMinutes: 10,
    ssoType: "none",
    ssoOnly: false,
  });
  adminSession = await loginAs(ADMIN.username, ADMIN.password);
});
afterAll(() => rt.cleanup());

describe("USER key actions", () => {
  it("works from the seed's browser address-bar URL", async () => {
    const u = await newUser("seedurl");
    const r = await api(`http://localhost:3000/attask/api/v7.0/user?action=generateApiKey&username=${u.username}&password=${u.password}&method=PUT`);
    expect(r.status).toBe(200);
    expect(r.body.data.result).toMatch(/^kwk_/);
    expect((await search(r.body.data.result)).status).toBe(200);
  });

  it("takes the action as a path segment and on an object ID", async () => {
    const u = await newUser("segment");
    const byPath = await api("/user/generateApiKey", { method: "PUT", form: { username: u.username, password: u.password } });
    expect(byPath.body.data.result).toMatch(/^kwk_/);
    const session = await loginAs(u.username, u.password);
    const byId = await api(`/user/${u.id}/getApiKey`, { method: "PUT", headers: { sessionID: session } });
    expect(byId.body).toEqual({ data: { result: byPath.body.data.result } });
  });

  it("getApiKey returns the current key, or an empty string when there is none", async () => {
    const u = await newUser("getter");
    expect((await keyAction("getApiKey", { username: u.username, password: u.password })).body).toEqual({ data: { result: "" } });
    const key = await generate(u);
    expect((await keyAction("getApiKey", { username: u.username, password: u.password })).body).toEqual({ data: { result: key } });
  });

  it("generateApiKey replaces the old key", async () => {
    const u = await newUser("replacer");
    const first = await generate(u);
    const second = await generate(u);
    expect(second).not.toBe(first);
    expect((await search(first)).status).toBe(401);
    expect((await search(second)).status).toBe(200);
  });

  it("clearApiKey works with the key itself and with username + password", async () => {
    const u = await newUser("clearer");
    const key = await generate(u);
    const r = await api("/user", { headers: { apiKey: key }, form: { method: "PUT", action: "clearApiKey" } });
    expect(r.body).toEqual({ data: { result: true } });
    expect((await search(key)).status).toBe(401);
    const again = await generate(u);
    expect((await keyAction("clearApiKey", { username: u.username, password: u.password })).body).toEqual({ data: { result: true } });
    expect((await search(again)).status).toBe(401);
  });

  it("a key authenticates as its owner, and an admin's key has admin power", async () => {
    const u = await newUser("owner");
    const key = await generate(u);
    const created = await api("/proj", { headers: { apiKey: key }, json: { name: "Keyed" }, }).then((r) => api(`/proj/${r.body.data.ID}?fields=ownerID`, { headers: { apiKey: key } }));
    expect(created.body.data.ownerID).toBe(u.id);
    expect((await api("/user", { headers: { apiKey: key }, json: { username: "nope", name: "N" } })).status).toBe(403);
    const adminKey = await generate(ADMIN);
    expect((await api("/user", { headers: { apiKey: adminKey }, json: { username: "byadminkey", name: "B" } })).status).toBe(200);
    expect((await api(`/proj/search?apiKey=${adminKey}`)).status).toBe(200);
  });

  it("hands a key only to its owner; an admin may remove another user's key", async () => {
    const u = await newUser("private");
    const key = await generate(u);
    for (const action of ["getApiKey", "generateApiKey"]) {
      const r = await api(`/user/${u.id}/${action}`, { method: "PUT", headers: { sessionID: adminSession } });
      expect(r.status, action).toBe(403);
    }
    expect((await search(key)).status).toBe(200);
    const cleared = await api(`/user/${u.id}/clearApiKey`, { method: "PUT", headers: { sessionID: adminSession } });
    expect(cleared.body).toEqual({ data: { result: true } });
    expect((await search(key)).status).toBe(401);
    const other = await newUser("nosy");
    const r = await api(`/user/${u.id}/clearApiKey`, { method: "PUT", headers: { sessionID: await loginAs(other.username, other.password) } });
    expect(r.status).toBe(403);
  });

  it("never stores the key in clear", async () => {
    const u = await newUser("atrest");
    const key = await generate(u);
    const row = await rt.store.apiKeys.byUser(u.id);
    expect(JSON.stringify(row)).not.toContain(key.slice(4));
    const files = fs.readdirSync(rt.dir).filter((f) => f.startsWith("keyward.db"));
    for (const f of files) expect(fs.readFileSync(path.join(rt.dir, f)).includes(key.slice(4))).toBe(false);
  });
});

describe("bad input changes nothing", () => {
  it("wrong password, missing username, unknown action, GET without method=PUT", async () => {
    const u = await newUser("careful");
    const r1 = await keyAction("generateApiKey", { username: u.username, password: "wrong-password" });
    expect([r1.status, r1.body.error.class]).toEqual([401, "com.attask.common.AuthenticationException"]);
    const r2 = await keyAction("generateApiKey", { password: u.password });
    expect(r2.status).toBe(401);
    expect(r2.body.error.message).toMatch(/Username and password are required/);
    const r3 = await keyAction("launchRockets", { username: u.username, password: u.password });
    expect([r3.status, r3.body.error.class]).toEqual([400, "java.lang.IllegalArgumentException"]);
    const r4 = await api(`/user?action=generateApiKey&username=${u.username}&password=${u.password}`);
    expect(r4.status).toBe(400);
    expect(await rt.store.apiKeys.byUser(u.id)).toBeNull();
  });

  it("the key of a deactivated user stops working, and comes back on reactivation", async () => {
    const u = await newUser("leaver");
    const key = await generate(u);
    await api(`/user/${u.id}`, { method: "PUT", headers: { sessionID: adminSession }, json: { isActive: false } });
    expect((await search(key)).status).toBe(401);
    const r = await keyAction("getApiKey", { username: u.username, password: u.password });
    expect(r.status).toBe(401);
    await api(`/user/${u.id}`, { method: "PUT", headers: { sessionID: adminSession }, json: { isActive: true } });
    expect((await search(key)).status).toBe(200);
  });

  it("a malformed key is 401 without a lookup error", async () => {
    for (const k of ["", "kwk_short", "x".repeat(5000), "kwk_" + "!".repeat(32)]) {
      const r = await api("/proj/search", { headers: k ? { apiKey: k } : {} });
      expect(r.status).toBe(401);
    }
  });
});

describe("lockout", () => {
  it("locks after 5 failures for the configured time, audits it, and unlocks afterwards", async () => {
    const u = await newUser("locky");
    for (let i = 0; i < 4; i++) expect((await keyAction("getApiKey", { username: u.username, password: "bad-password" })).status).toBe(401);
    const fifth = await api("/login", { form: { username: u.username, password: "bad-password" } });
    expect(fifth.status).toBe(429);
    const locked = await api("/login", { form: { username: u.username, password: u.password } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/locked/);
    expect((await keyAction("generateApiKey", { username: u.username, password: u.password })).status).toBe(429);
    expect(await rt.store.apiKeys.byUser(u.id)).toBeNull();
    expect((await rt.store.audit.list({ action: "user.lock", limit: 10 })).some((e) => e.subjectId === u.id)).toBe(true);
    const lockedRows = async () => (await rt.store.audit.list({ action: "auth.login_locked", limit: 10 })).filter((e) => e.subjectId === u.id);
    // Refused attempts while locked are counted, and written as one row once the lock period is over.
    expect(await lockedRows()).toEqual([]);
    rt.clock.advance(10 * 60_000 + 1);
    expect((await api("/login", { form: { username: u.username, password: u.password } })).status).toBe(200);
    const rows = await lockedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ attempts: 2, channels: ["api"] });
  });

  it("a flood against a locked account writes one audit row for the lock period, with the count", async () => {
    const u = await newUser("flooded");
    for (let i = 0; i < 5; i++) await api("/login", { form: { username: u.username, password: "bad-password" } });
    const before = (await rt.store.audit.list({ limit: 1000 })).length;
    for (let i = 0; i < 8; i++) {
      const r = await api("/login", { form: { username: u.username, password: "bad-password" } });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      rt.clock.advance(60_000); // past the per-account limit's window, still inside the 10-minute lock
    }
    expect((await rt.store.audit.list({ limit: 1000 })).length).toBe(before);
    rt.clock.advance(10 * 60_000);
    await api("/login", { form: { username: u.username, password: "bad-password" } });
    const rows = (await rt.store.audit.list({ action: "auth.login_locked", limit: 10 })).filter((e) => e.subjectId === u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ attempts: 8 });
  });

  it("counts a burst of parallel guesses one by one, and the lock then holds for the right password", async () => {
    const u = await newUser("burst");
    const results = await Promise.all(
      Array.from({ length: 30 }, () => api("/login", { form: { username: u.username, password: "bad-password" } })),
    );
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const right = await api("/login", { form: { username: u.username, password: u.password } });
    expect(right.status).toBe(429);
    const row = await rt.store.users.byId(u.id);
    expect(row!.lockedUntil).toBeGreaterThan(rt.clock.now());
  });

  it("does not lock when lockout is off", async () => {
    await rt.store.settings.update({ lockoutEnabled: false });
    const u = await newUser("nolock");
    for (let i = 0; i < 6; i++) await api("/login", { form: { username: u.username, password: "bad-password" } });
    expect((await api("/login", { form: { username: u.username, password: u.password } })).status).toBe(200);
  });
});

describe("expiry", () => {
  it("a key expires one month after creation by default", async () => {
    const u = await newUser("monthly");
    const key = await generate(u);
    rt.clock.advance(27 * DAY);
    expect((await search(key)).status).toBe(200);
    rt.clock.advance(5 * DAY);
    expect((await search(key)).status).toBe(401);
    expect((await keyAction("getApiKey", { username: u.username, password: u.password })).body).toEqual({ data: { result: "" } });
    expect((await search(await generate(u))).status).toBe(200);
  });

  it("changing the period restarts the clock from the change", async () => {
    const u = await newUser("restart");
    const key = await generate(u);
    rt.clock.advance(20 * DAY);
    await rt.store.settings.update({ apiKeyExpiry: "2m", apiKeyExpiryChangedAt: rt.clock.now() });
    rt.clock.advance(40 * DAY); // 60 days after creation, 40 after the change
    expect((await search(key)).status).toBe(200);
    rt.clock.advance(22 * DAY); // past two months from the change
    expect((await search(key)).status).toBe(401);
  });

  it("never-expiring keys keep working", async () => {
    await rt.store.settings.update({ apiKeyExpiry: "never", apiKeyExpiryChangedAt: rt.clock.now() });
    const u = await newUser("forever");
    const key = await generate(u);
    rt.clock.advance(800 * DAY);
    expect((await search(key)).status).toBe(200);
  });

  it("removes the key when the password expires and the setting is on", async () => {
    await rt.store.settings.update({ apiKeyExpiry: "never", passwordResetDays: 30, removeKeyOnPasswordExpiry: true });
    const u = await newUser("pwexpiry");
    const key = await generate(u);
    rt.clock.advance(29 * DAY);
    expect((await search(key)).status).toBe(200);
    rt.clock.advance(2 * DAY);
    expect((await search(key)).status).toBe(401);
    expect(await rt.store.apiKeys.byUser(u.id)).toBeNull();
    const removed = await rt.store.audit.list({ action: "api_key.remove", limit: 20 });
    expect(removed.find((e) => e.subjectId === u.id)?.details).toEqual({ reason: "password expired" });
    const login = await api("/login", { form: { username: u.username, password: u.password } });
    expect(login.status).toBe(401);
    expect(login.body.error.message).toMatch(/password has expired/);
  });

  it("keeps the key when the password expires and the setting is off", async () => {
    await rt.store.settings.update({ apiKeyExpiry: "never", passwordResetDays: 30, removeKeyOnPasswordExpiry: false });
    const u = await newUser("pwkeep");
    const key = await generate(u);
    rt.clock.advance(45 * DAY);
    expect((await search(key)).status).toBe(200);
  });
});

describe("SSO-only", () => {
  it("refuses password-based API calls for non-admins, keeps admins and keys working", async () => {
    const u = await newUser("ssouser");
    const key = await generate(u);
    await rt.store.settings.update({ ssoType: "saml2", ssoOnly: true });
    for (const r of [
      await api("/login", { form: { username: u.username, password: u.password } }),
      await keyAction("getApiKey", { username: u.username, password: u.password }),
      await keyAction("generateApiKey", { username: u.username, password: u.password }),
    ]) {
      expect(r.status).toBe(401);
      expect(r.body.error.message).toMatch(/SAML 2.0/);
    }
    expect((await api("/login", { form: ADMIN })).status).toBe(200);
    expect((await keyAction("getApiKey", ADMIN)).status).toBe(200);
    expect((await search(key)).status).toBe(200);
    await rt.store.settings.update({ ssoOnly: false });
    expect((await api("/login", { form: { username: u.username, password: u.password } })).status).toBe(200);
  });
});

describe("last used", () => {
  it("records use at most once a minute", async () => {
    const u = await newUser("toucher");
    const key = await generate(u);
    await search(key);
    const t1 = (await rt.store.apiKeys.byUser(u.id))!.lastUsedAt;
    expect(t1).toBe(rt.clock.now());
    rt.clock.advance(30_000);
    await search(key);
    expect((await rt.store.apiKeys.byUser(u.id))!.lastUsedAt).toBe(t1);
    rt.clock.advance(31_000);
    await search(key);
    expect((await rt.store.apiKeys.byUser(u.id))!.lastUsedAt).toBe(rt.clock.now());
  });
});
