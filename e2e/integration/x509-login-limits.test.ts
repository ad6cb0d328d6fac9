/**
 * X.509-restricted API login across processes (another runtime on the same database file), and its
 * refusals: the per-address limit and the aggregated audit rows.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GeneratedCertificate } from "../../lib/domain/x509-fixtures";
import { createRuntime } from "../../lib/runtime";
import type { ServiceContext } from "../../lib/services/context";
import { setCertificateLogin } from "../../lib/services/x509/set-login";
import type { CertificateSlot } from "../../lib/storage/types";
import { createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { adminContext, expectUntrusted, login, testCertificates, upload as uploadAs } from "./x509-helpers";

let rt: TestRuntime;
let admin: ServiceContext;
let current: GeneratedCertificate;
let next: GeneratedCertificate;
let stranger: GeneratedCertificate;
const upload = (slot: CertificateSlot, cert: GeneratedCertificate, ctx = admin) => uploadAs(ctx, slot, cert);

beforeAll(async () => {
  ({ current, next, stranger } = await testCertificates());
});
beforeEach(async () => {
  rt = await createTestRuntime();
  admin = await adminContext(rt);
});
afterEach(() => rt.cleanup());

/** A client's request always starts on a later turn of the event loop than another process's write. */
const nextTurn = () => new Promise((r) => setImmediate(r));

describe("X.509 certificate login, across processes", () => {
  it("another runtime on the same database turns it on and off, and rotates, with effect at once", async () => {
    const other = await createRuntime({
      env: {
        DATABASE_PATH: rt.settings.databasePath,
        KEYWARD_SCRYPT_LOG_N: "10",
        KEYWARD_PUBLIC_URL: "http://localhost:3000",
        KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "0",
        KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0",
      },
      clock: rt.clock,
    });
    try {
      expect(other.keys.fingerprint).toBe(rt.keys.fingerprint);
      const otherAdmin = await adminContext(other);
      await upload("current", current, otherAdmin);
      await setCertificateLogin(otherAdmin, true);
      await nextTurn();
      expectUntrusted(await login());
      expect((await login({ apiCertificate: current.pem })).status).toBe(200);
      await upload("next", next, otherAdmin);
      await nextTurn();
      expect((await login({ apiCertificate: next.pem })).status).toBe(200);
      await setCertificateLogin(otherAdmin, false);
      await nextTurn();
      expect((await login()).status).toBe(200);
    } finally {
      await other.store.close();
    }
  });
});

describe("X.509 certificate login refusals", () => {
  it("count against the per-address limit (then 429) and are audited once per address and window", async () => {
    await rt.cleanup();
    rt = await createTestRuntime({ KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "3" });
    admin = await adminContext(rt);
    await upload("current", current);
    await setCertificateLogin(admin, true);
    const ip = "203.0.113.7";
    expectUntrusted(await login({}, ip));
    expectUntrusted(await login({ apiCertificate: "garbage" }, ip));
    expectUntrusted(await login({ apiCertificate: stranger.pem }, ip));
    expect((await login({ apiCertificate: current.pem }, ip)).status).toBe(429);
    expect((await login({}, ip)).status).toBe(429);
    expectUntrusted(await login({}, "203.0.113.8"));
    expect((await login({ apiCertificate: current.pem }, "203.0.113.8")).status).toBe(200);

    const refused = async () => (await rt.store.audit.list({ action: "auth.login_refused_certificate", limit: 10 })).map((e) => [e.ip, e.details]);
    expect(await refused()).toEqual([
      ["203.0.113.8", { reason: "missing", count: 1 }],
      [ip, { reason: "missing", count: 1 }],
    ]);
    expect(await rt.store.audit.list({ action: "security.rate_limited", limit: 10 })).toHaveLength(1);

    rt.clock.advance(61_000);
    expectUntrusted(await login({ apiCertificate: stranger.pem }, ip));
    expect((await refused())[0]).toEqual([ip, { reason: "unknown", count: 3 }]);
    expect((await login({ apiCertificate: current.pem }, ip)).status).toBe(200);
  });
});
