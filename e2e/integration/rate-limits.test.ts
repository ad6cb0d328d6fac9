/**
 * The rate limiter on the REST surface, with the shipped defaults: failed password checks per
 * address and per account, failed credential presentations per address, the bound on password
 * hashing, and one audit row per limited key and window.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOO_MANY_ATTEMPTS } from "../../lib/services/auth/throttle";
import { actorOf } from "../../lib/domain/actor";
import { updateSso } from "../../lib/services/settings/update-sso";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let adminSession: string;
const ATTACKER = "203.0.113.50";
const NEIGHBOUR = "198.51.100.7";

const login = (username: string, password: string, ip: string) => api("/login", { form: { username, password }, ip });

async function newUser(username: string) {
  const r = await api("/user", { headers: { sessionID: adminSession }, json: { username, name: username, password: `${username}-pass` } });
  expect(r.status).toBe(200);
  return { id: r.body.data.ID as string, username, password: `${username}-pass` };
}

const rateLimitedRows = async () => rt.store.audit.list({ action: "security.rate_limited", limit: 100 });

beforeEach(async () => {
  // The shipped defaults, not the relaxed ones other suites run with.
  rt = await createTestRuntime({
    KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "10",
    KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "10",
    KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "30",
    KEYWARD_PASSWORD_HASH_QUEUE: "16",
  });
  adminSession = await loginAs(ADMIN.username, ADMIN.password);
});
afterEach(() => rt.cleanup());

describe("failed password checks per address", () => {
  it("answers credential stuffing from one address with 429 within the limit; another address is unaffected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await login(`victim${i}`, "Winter2026!", ATTACKER)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(40).fill(429));

    const limited = await login("victim99", "Winter2026!", ATTACKER);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { class: "com.attask.common.AuthenticationException", message: TOO_MANY_ATTEMPTS, title: TOO_MANY_ATTEMPTS },
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // While limited, even the right password is not checked from that address.
    expect((await login(ADMIN.username, ADMIN.password, ATTACKER)).status).toBe(429);
    expect((await login(ADMIN.username, ADMIN.password, NEIGHBOUR)).status).toBe(200);
  });

  it("audits a limited address once per window, not once per request", async () => {
    for (let i = 0; i < 30; i++) await login(`victim${i}`, "bad-password", ATTACKER);
    const rows = await rateLimitedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toEqual({ limit: "password.address", key: ATTACKER });
    expect(rows[0]!.ip).toBe(ATTACKER);
    rt.clock.advance(61_000);
    for (let i = 0; i < 30; i++) await login(`victim${i}`, "bad-password", ATTACKER);
    expect(await rateLimitedRows()).toHaveLength(2);
  });

  it("lets the address try again as the window refills", async () => {
    for (let i = 0; i < 11; i++) await login(`victim${i}`, "bad-password", ATTACKER);
    expect((await login(ADMIN.username, ADMIN.password, ATTACKER)).status).toBe(429);
    rt.clock.advance(6_000); // one attempt per 6 s at 10 a minute
    expect((await login(ADMIN.username, ADMIN.password, ATTACKER)).status).toBe(200);
  });

  it("never refuses parallel sign-ins with right passwords from one address", async () => {
    const u = await newUser("burst-office");
    const results = await Promise.all(Array.from({ length: 15 }, () => login(u.username, u.password, ATTACKER)));
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(200));
  });

  it("never counts right passwords: an office behind one address signs in all day", async () => {
    const u = await newUser("office");
    for (let i = 0; i < 40; i++) expect((await login(u.username, u.password, ATTACKER)).status).toBe(200);
  });

  it("counts key actions with username + password like /login", async () => {
    for (let i = 0; i < 10; i++) await api("/user?action=getApiKey", { form: { method: "PUT", username: `v${i}`, password: "bad-password" }, ip: ATTACKER });
    const r = await api("/user?action=generateApiKey", { form: { method: "PUT", username: ADMIN.username, password: ADMIN.password }, ip: ATTACKER });
    expect(r.status).toBe(429);
    expect(await rt.store.apiKeys.list()).toEqual([]);
  });

  it("keys IPv6 clients by their /64 network", async () => {
    for (let i = 0; i < 10; i++) await login(`v${i}`, "bad-password", `2001:db8:7:7::${i + 1}`);
    expect((await login(ADMIN.username, ADMIN.password, "2001:db8:7:7:ffff::1")).status).toBe(429);
    expect((await login(ADMIN.username, ADMIN.password, "2001:db8:7:8::1")).status).toBe(200);
  });
});

describe("limited answers", () => {
  it("are answered after the refusal delay, so a flood's connections cost the server next to nothing", async () => {
    const slow = await createTestRuntime({ KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "1", KEYWARD_LIMIT_REFUSAL_DELAY_MS: "300" });
    try {
      expect((await login("someone", "bad-password", ATTACKER)).status).toBe(401);
      const t = performance.now();
      expect((await login("someone", "bad-password", ATTACKER)).status).toBe(429);
      expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    } finally {
      await slow.cleanup();
    }
  });
});

describe("passwords longer than any password can be", () => {
  it("are wrong without being hashed or normalised, and still count as guesses", async () => {
    const crafted = "a" + "\u0301\u0323".repeat(60_000); // NFKC of this costs seconds
    for (let i = 0; i < 10; i++) {
      const r = await api("/login", { json: { username: "nobody", password: crafted }, ip: ATTACKER });
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe("Invalid username or password.");
    }
    expect((await login(ADMIN.username, ADMIN.password, ATTACKER)).status).toBe(429);
    expect((await api("/login", { json: { username: ADMIN.username, password: "x".repeat(257) } })).status).toBe(401);
  });
});

describe("failed password checks per account", () => {
  it("limits guesses at one account from many addresses, even with lockout off", async () => {
    await rt.store.settings.update({ lockoutEnabled: false });
    const u = await newUser("sprayed");
    for (let i = 0; i < 10; i++) expect((await login(u.username, "bad-password", `192.0.2.${i + 1}`)).status).toBe(401);
    expect((await login(u.username, u.password, "192.0.2.200")).status).toBe(429);
    expect((await login(ADMIN.username, ADMIN.password, "192.0.2.201")).status).toBe(200);
    rt.clock.advance(60_000);
    expect((await login(u.username, u.password, "192.0.2.200")).status).toBe(200);
  });
});

describe("failed credential presentations per address", () => {
  it("answers 429 after 30 unknown API keys or session IDs from one address; valid credentials keep working", async () => {
    const u = await newUser("keyholder");
    const key = (await api("/user?action=generateApiKey", { form: { method: "PUT", username: u.username, password: u.password } })).body.data
      .result as string;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await api("/proj/search", { headers: { apiKey: `kwk_guess${i}` }, ip: ATTACKER })).status);
    for (let i = 0; i < 15; i++) statuses.push((await api("/proj/search", { headers: { sessionID: `s${i}`.repeat(10) }, ip: ATTACKER })).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
    expect((await api("/proj/search", { headers: { apiKey: key }, ip: ATTACKER })).status).toBe(200);
    expect((await api("/proj/search", { headers: { apiKey: "kwk_other" }, ip: NEIGHBOUR })).status).toBe(401);
  });
});

describe("password hashing under a flood", () => {
  it("refuses checks beyond the hashing queue at once with 503 and Retry-After", async () => {
    const flood = await createTestRuntime({
      KEYWARD_PASSWORD_HASH_CONCURRENCY: "1",
      KEYWARD_PASSWORD_HASH_QUEUE: "2",
      KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "0",
    });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(`flood${i}`, "bad-password", `192.0.2.${i}`)));
      const busy = results.filter((r) => r.status === 503);
      expect(results.filter((r) => r.status === 401)).toHaveLength(3);
      expect(busy).toHaveLength(9);
      expect(busy[0]!.headers.get("retry-after")).toBe("1");
      expect(busy[0]!.body.error.class).toBe("com.attask.common.ServiceUnavailableException");
      // A refused check was never made, so it does not count against the address.
      for (let i = 0; i < 9; i++) expect((await login(`again${i}`, "bad-password", "192.0.2.11")).status).toBe(401);
    } finally {
      await flood.cleanup();
    }
  });
});

describe("Only allow SAML 2.0 authentication", () => {
  it("refuses the REST session of an administrator demoted while it is on", async () => {
    const admin = (await rt.store.users.byUsername(ADMIN.username))!;
    const second = await api("/user", { headers: { sessionID: adminSession }, json: { username: "second-admin", name: "Second", password: "second-admin-pass", accessLevel: "admin" } });
    expect(second.status).toBe(200);
    await updateSso({ rt, actor: actorOf(admin, "console"), meta: {} }, { ssoType: "saml2", ssoOnly: true });
    const session = await loginAs("second-admin", "second-admin-pass");
    expect((await api("/proj/search", { headers: { sessionID: session } })).status).toBe(200);
    const demoted = await api(`/user/${second.body.data.ID as string}`, { method: "PUT", headers: { sessionID: adminSession }, json: { accessLevel: "user" } });
    expect(demoted.status).toBe(200);
    expect((await api("/proj/search", { headers: { sessionID: session } })).status).toBe(401);
    expect((await api("/proj/search", { headers: { sessionID: adminSession } })).status).toBe(200);
  });

  it("ends the REST sessions non-admins obtained with a password, and keeps the admins'", async () => {
    const u = await newUser("member");
    const memberSession = await loginAs(u.username, u.password);
    expect((await api("/proj/search", { headers: { sessionID: memberSession } })).status).toBe(200);
    const admin = (await rt.store.users.byUsername(ADMIN.username))!;
    await updateSso({ rt, actor: actorOf(admin, "console"), meta: {} }, { ssoType: "saml2", ssoOnly: true });
    expect((await api("/proj/search", { headers: { sessionID: memberSession } })).status).toBe(401);
    expect((await api("/proj/search", { headers: { sessionID: adminSession } })).status).toBe(200);
    const rows = await rt.store.audit.list({ action: "settings.sso", limit: 5 });
    expect(rows[0]!.details).toMatchObject({ endedSessions: 1 });
  });
});
