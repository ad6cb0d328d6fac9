/**
 * X.509-restricted API login, end to end through the REST handler: the seed's verification procedure,
 * every way a client may send apiCertificate, the key actions, and malformed values.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GeneratedCertificate } from "../../lib/domain/x509-fixtures";
import type { ServiceContext } from "../../lib/services/context";
import { removeCertificate } from "../../lib/services/x509/remove";
import { UNTRUSTED_REQUEST } from "../../lib/services/x509/require-certificate";
import { setCertificateLogin } from "../../lib/services/x509/set-login";
import type { CertificateSlot } from "../../lib/storage/types";
import { ADMIN, api, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { adminContext, b64, bodyOf, expectUntrusted, login, testCertificates, upload as uploadAs } from "./x509-helpers";

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

describe("X.509 certificate login, the seed's verification procedure", () => {
  it("plain login works, then needs the certificate, the next one works during rotation, and disabling restores it", async () => {
    const before = await login();
    expect(before.status).toBe(200);
    const earlier = { sessionID: before.body.data.sessionID as string };
    expect((await api("/proj/search", { headers: earlier })).status).toBe(200);
    await upload("current", current);
    await setCertificateLogin(admin, true);
    // A session obtained without a certificate ends when certificate login is turned on.
    expect((await api("/proj/search", { headers: earlier })).status).toBe(401);
    const enabled = await rt.store.audit.list({ action: "x509.enable", limit: 1 });
    expect(enabled[0]!.details).toMatchObject({ endedSessions: 1 });

    expectUntrusted(await login());
    const ok = await login({ apiCertificate: current.pem });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.data.sessionID).toBe("string");
    expectUntrusted(await login({ apiCertificate: stranger.pem }));

    await upload("next", next);
    expect((await login({ apiCertificate: next.pem })).status).toBe(200);
    expect((await login({ apiCertificate: current.pem })).status).toBe(200);
    await removeCertificate(admin, "current");
    expectUntrusted(await login({ apiCertificate: current.pem }));
    expect((await login({ apiCertificate: next.pem })).status).toBe(200);

    await setCertificateLogin(admin, false);
    expect((await login()).status).toBe(200);

    const trail = (await rt.store.audit.list({ limit: 100 })).map((e) => e.action).filter((a) => a.startsWith("x509.")).reverse();
    expect(trail).toEqual(["x509.upload", "x509.enable", "x509.add_next", "x509.remove", "x509.disable"]);
    expect(await rt.store.audit.list({ action: "auth.login_refused_certificate", limit: 10 })).toHaveLength(1);
  });
});

describe("X.509 certificate login, while on", () => {
  beforeEach(async () => {
    await upload("current", current);
    await setCertificateLogin(admin, true);
  });

  it("reads apiCertificate however it is encoded, by fingerprint, in query, form or JSON", async () => {
    const der64 = b64(current.der);
    const oneLine = bodyOf(current.pem).replace(/\n/g, "");
    const accepted = [
      await login({ apiCertificate: current.pem }),
      await login({ APICERTIFICATE: current.pem.replace(/\n/g, "\r\n") }),
      await login({ apiCertificate: encodeURIComponent(current.pem) }),
      await api(`/login?username=${ADMIN.username}&password=${ADMIN.password}&apiCertificate=${encodeURIComponent(bodyOf(current.pem))}`),
      await api(`/login?username=${ADMIN.username}&password=${ADMIN.password}&apiCertificate=${oneLine.replace(/\//g, "%2F")}`),
      await api("/login", { json: { ...ADMIN, apiCertificate: der64 } }),
      await api("/login", { json: { ...ADMIN, apiCertificate: der64.replace(/\+/g, " ") } }),
      await api("/login", { json: { ...ADMIN, apiCertificate: current.pem.replace(/\n/g, " ") } }),
      await api("/login", { method: "POST", body: `username=${ADMIN.username}&password=${ADMIN.password}&apiCertificate=${der64}`, headers: { "content-type": "application/x-www-form-urlencoded" } }),
    ];
    expect(accepted.map((r) => r.status)).toEqual(accepted.map(() => 200));
  });

  it("guards getApiKey, generateApiKey and clearApiKey with username + password the same way", async () => {
    const cert = { apiCertificate: current.pem };
    const u = (await rt.store.users.byUsername(ADMIN.username))!;
    const calls = [
      ["/user?action=generateApiKey", { method: "PUT" }],
      ["/user/generateApiKey", { method: "PUT" }],
      ["/user?action=getApiKey", { method: "PUT" }],
      [`/user/${u.id}/clearApiKey`, { method: "PUT" }],
    ] as const;
    for (const [path, extra] of calls) {
      expectUntrusted(await api(path, { form: { ...ADMIN, ...extra } }));
      expectUntrusted(await api(path, { form: { ...ADMIN, ...extra, apiCertificate: stranger.pem } }));
      const r = await api(path, { form: { ...ADMIN, ...extra, ...cert } });
      expect(r.status, path).toBe(200);
    }
    expect(await rt.store.apiKeys.byUser(u.id)).toBeNull();
  });

  it("leaves calls with a session or API key alone", async () => {
    const { sessionID } = (await login({ apiCertificate: current.pem })).body.data;
    expect((await api("/user?action=generateApiKey&method=PUT", { headers: { sessionID } })).status).toBe(200);
    expect((await api("/proj/search", { headers: { sessionID } })).status).toBe(200);
  });

  it("refuses malformed values with the documented 500 (or a 4xx), never another 5xx", async () => {
    const key = current.privateKeyPem;
    const values = [
      current.pem.slice(0, 200),
      current.pem.slice(0, -40),
      "MIIB!!!not*base64",
      bodyOf(current.pem).slice(1),
      key,
      key.replace(/PRIVATE KEY/g, "CERTIFICATE"),
      current.pem + stranger.pem,
      "%E0%A4%A",
      "-----BEGIN CERTIFICATE-----",
      "x".repeat(70_000),
    ];
    for (const apiCertificate of values) expectUntrusted(await login({ apiCertificate }));
    const huge = await api("/login", { method: "POST", body: `username=admin&password=x&apiCertificate=${"A".repeat(1024 * 1024)}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status < 500 || huge.body.error?.message === UNTRUSTED_REQUEST).toBe(true);
    const hugeJson = await api("/login", { json: { ...ADMIN, apiCertificate: "\u0000junk".repeat(100_000) } });
    expectUntrusted(hugeJson);
    expect((await login({ apiCertificate: current.pem })).status).toBe(200);
  });
});
