/**
 * Failed JWT exchanges (client authentication and assertions alike) go through the rate limiter per
 * client ID and per address: beyond the limit a failure is answered 429 with Retry-After in the OAuth
 * envelope, while a valid exchange is never refused. Failures are audited once per window, counted.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import {
  assertionFor,
  createM2mApp,
  exchange,
  exchangeForm,
  expectOAuthError,
  issuedCount,
  makeSigners,
  signAssertion,
  type M2mApp,
  type Signer,
} from "./oauth-helpers";

let signers: Signer[];
let rt: TestRuntime;
let app: M2mApp;

beforeAll(async () => {
  signers = await makeSigners(2);
});
afterEach(() => rt.cleanup());

async function start(env: Record<string, string>): Promise<void> {
  rt = await createTestRuntime(env);
  app = await createM2mApp(await consoleContext(rt), signers[0]!);
}

const ATTACKER = "203.0.113.9";
const NEIGHBOUR = "198.51.100.20";

const wrongSecret = async (target: M2mApp = app, ip?: string) => exchange({ ...exchangeForm(target, await assertionFor(rt, target)), client_secret: "wrong" }, ip);
const foreignKey = async (target: M2mApp = app) => exchange(exchangeForm(target, await signAssertion(rt, signers[1]!, target.sub)));

function expectLimited(r: { status: number; body: unknown; headers: Headers }): void {
  expectOAuthError(r, 429, "temporarily_unavailable");
  expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

const failedEvents = async () => rt.store.audit.list({ action: "oauth.exchange_failed", limit: 100 });

describe("per client ID", () => {
  it("answers three failures as such and the fourth with 429 and Retry-After", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    expectOAuthError(await wrongSecret(), 401, "invalid_client");
    expectOAuthError(await foreignKey(), 400, "invalid_grant");
    expectOAuthError(await wrongSecret(), 401, "invalid_client");
    const limited = await foreignKey();
    expectLimited(limited);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expectLimited(await wrongSecret());
    expect(await issuedCount(rt)).toBe(0);
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 100 })).toMatchObject([{ details: { limit: "client.id", key: app.clientId } }]);
  });

  it("still accepts a valid exchange for the limited client: the limit refuses failures only", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    for (let i = 0; i < 4; i++) await wrongSecret();
    expectLimited(await wrongSecret());
    const r = await exchange(exchangeForm(app, await assertionFor(rt, app)));
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 } });
    expect(await issuedCount(rt)).toBe(1);
  });

  it("limits each client ID on its own, unknown client IDs included", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    const other = await createM2mApp(await consoleContext(rt), signers[1]!);
    for (let i = 0; i < 3; i++) await wrongSecret();
    expectLimited(await wrongSecret());
    expectOAuthError(await wrongSecret(other), 401, "invalid_client");
    const unknown = { ...app, clientId: "0123456789abcdef0123456789abcdef" };
    for (let i = 0; i < 3; i++) expectOAuthError(await wrongSecret(unknown), 401, "invalid_client");
    expectLimited(await wrongSecret(unknown));
  });

  it("never writes an unknown client ID to the audit log, even in the limiter's report once it is limited", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    const pasted = { ...app, clientId: "PASTED-SECRET-QQQQQQQQQQQQQQQQQQQQ" };
    for (let i = 0; i < 3; i++) expectOAuthError(await wrongSecret(pasted), 401, "invalid_client");
    expectLimited(await wrongSecret(pasted));
    const rows = await rt.store.audit.list({ limit: 100 });
    expect(rows.some((e) => e.action === "security.rate_limited")).toBe(true);
    expect(JSON.stringify(rows)).not.toContain("PASTED-SECRET");
  });

  it("lets the client fail again as the window refills", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    for (let i = 0; i < 3; i++) await wrongSecret();
    expectLimited(await wrongSecret());
    rt.clock.advance(20_000); // one attempt per 20 s at 3 a minute
    expectOAuthError(await wrongSecret(), 401, "invalid_client");
    expectLimited(await wrongSecret());
  });

  it("audits the answered failures of a window once, and the next window's report counts those not yet reported", async () => {
    await start({ KEYWARD_LIMIT_CLIENT_PER_ID: "3" });
    for (let i = 0; i < 5; i++) await wrongSecret();
    const first = await failedEvents();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      actorId: null,
      actorName: "anonymous",
      subjectType: "oauth_app",
      subjectId: app.clientId,
      details: { reason: "wrong_secret", count: 1 },
    });
    rt.clock.advance(61_000);
    await foreignKey();
    const [latest, ...rest] = await failedEvents();
    expect(rest).toHaveLength(1);
    // Three answered failures (401) of the first window, one reported there, plus this one; the two
    // refused with 429 are the limiter's own security.rate_limited report, not counted again here.
    expect(latest).toMatchObject({ subjectId: app.clientId, details: { reason: "assertion", count: 3 } });
  });

  it("uses 30 failures per client ID by default", async () => {
    await start({});
    for (let i = 0; i < 30; i++) expectOAuthError(await wrongSecret(), 401, "invalid_client");
    expectLimited(await wrongSecret());
  });
});

describe("per address", () => {
  it("limits failures from one address across client IDs; another address is unaffected", async () => {
    await start({ KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "3" });
    const ctx = await consoleContext(rt);
    const apps = [app, await createM2mApp(ctx, signers[1]!), await createM2mApp(ctx, signers[1]!)];
    for (const target of apps) expectOAuthError(await wrongSecret(target, ATTACKER), 401, "invalid_client");
    expectLimited(await wrongSecret(apps[0], ATTACKER));
    expectOAuthError(await wrongSecret(apps[0], NEIGHBOUR), 401, "invalid_client");
    const valid = await exchange(exchangeForm(app, await assertionFor(rt, app)), ATTACKER);
    expect(valid.status).toBe(200);
  });

  it("a limited address spraying fresh client IDs writes no audit row per refused request", async () => {
    await start({ KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "3" });
    const jwt = await assertionFor(rt, app);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await exchange({ ...exchangeForm(app, jwt), client_id: `spray-${i}` }, ATTACKER)).status);
    expect(statuses).toEqual([...Array(3).fill(401), ...Array(47).fill(429)]);
    // The append-only audit log must not grow with a limited flood: the answered failures, at most
    // the one that hit the limit, and one rate-limit report for the address and window.
    expect((await failedEvents()).length).toBeLessThanOrEqual(4);
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 100 })).toMatchObject([{ details: { limit: "client.address", key: ATTACKER } }]);
  });
});
