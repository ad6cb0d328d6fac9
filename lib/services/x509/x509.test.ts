import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { makeCertificate, makeCertificateRequest, type GeneratedCertificate } from "../../domain/x509-fixtures";
import { Forbidden, InvalidRequest, NotFound, UntrustedRequest } from "../../errors";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import { checkPassword } from "../auth/password-login";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";
import { getCertificateSettings } from "./get";
import { LAST_CERTIFICATE_WHILE_ENABLED, removeCertificate } from "./remove";
import { requirePresentedCertificate, UNTRUSTED_REQUEST } from "./require-certificate";
import { ENABLE_NEEDS_CERTIFICATE, setCertificateLogin } from "./set-login";
import { NEXT_NEEDS_CURRENT, uploadCertificate } from "./upload";

const DAY = 86_400_000;
const bytes = (s: string) => new TextEncoder().encode(s);

let rt: TestRuntime;
let admin: ServiceContext;
let member: ServiceContext;
let a: GeneratedCertificate;
let b: GeneratedCertificate;

const upload = (slot: "current" | "next", cert: GeneratedCertificate, fileName = "client.crt") =>
  uploadCertificate(admin, { slot, fileName, bytes: slot === "next" ? cert.der : bytes(cert.pem) });
const actions = async () => (await rt.store.audit.list({ limit: 100 })).map((e) => e.action).filter((x) => x.startsWith("x509.")).reverse();

beforeAll(async () => {
  [a, b] = await Promise.all([makeCertificate({ subject: "CN=client-a, O=Acme, OU=API" }), makeCertificate({ subject: "CN=client-b" })]);
});
beforeEach(async () => {
  rt = await createTestRuntime();
  const u = (await rt.store.users.byUsername(ADMIN.username))!;
  admin = { rt, actor: actorOf(u, "console"), meta: {} };
  await createUser(admin, { username: "member", name: "Member", password: "member-password" }, { apiFieldNames: false });
  const m = (await rt.store.users.byUsername("member"))!;
  member = { rt, actor: actorOf(m, "console"), meta: {} };
});
afterEach(() => rt.cleanup());

describe("X.509 certificate services", () => {
  it("are for administrators only", async () => {
    await upload("current", a);
    await expect(getCertificateSettings(member)).rejects.toThrow(Forbidden);
    await expect(uploadCertificate(member, { slot: "next", fileName: "b.pem", bytes: bytes(b.pem) })).rejects.toThrow(Forbidden);
    await expect(removeCertificate(member, "current")).rejects.toThrow(Forbidden);
    await expect(setCertificateLogin(member, true)).rejects.toThrow(Forbidden);
    expect(await rt.store.certificates.list()).toHaveLength(1);
    expect((await rt.store.settings.get()).x509Enabled).toBe(false);
  });

  it("upload shows the details and expiry; replace, add next, remove (promoting next) are audited", async () => {
    const shown = await upload("current", a, "C:\\certs\\client-a.pem");
    expect(shown).toMatchObject({ slot: "current", fileName: "client-a.pem", uploadedBy: ADMIN.username, expiry: "valid", expiryWarning: null });
    expect(shown.details).toMatchObject({ subjectCommonName: "client-a", subjectOrganization: "Acme", subjectOrganizationalUnit: "API" });
    expect(shown.fingerprint256).toBe(shown.details.fingerprint256);
    await upload("current", a);
    await upload("next", b);
    expect(await getCertificateSettings(admin)).toMatchObject({ enabled: false, current: { details: { subjectCommonName: "client-a" } }, next: { details: { subjectCommonName: "client-b" } } });
    await removeCertificate(admin, "current");
    const after = await getCertificateSettings(admin);
    expect(after.current?.fingerprint256).not.toBe(shown.fingerprint256);
    expect(after).toMatchObject({ current: { slot: "current", details: { subjectCommonName: "client-b" } }, next: null });
    await removeCertificate(admin, "current");
    expect(await actions()).toEqual(["x509.upload", "x509.replace", "x509.add_next", "x509.remove", "x509.remove"]);
    const [removal] = await rt.store.audit.list({ action: "x509.remove", limit: 2 });
    expect(removal?.details).toMatchObject({ fileName: "client.crt" });
  });

  it("refuses files that are not one certificate, changing nothing", async () => {
    const csr = await makeCertificateRequest();
    const bad: [Uint8Array, string][] = [
      [bytes(a.privateKeyPem), "key.pem"],
      [bytes(csr.pem), "request.pem"],
      [bytes(a.pem + b.pem), "chain.pem"],
      [bytes("garbage"), "client.crt"],
      [new Uint8Array(0), "client.crt"],
      [bytes(a.pem), "client.txt"],
      [new Uint8Array(64 * 1024).fill(0x41), "big.pem"],
    ];
    for (const [content, fileName] of bad) {
      await expect(uploadCertificate(admin, { slot: "current", fileName, bytes: content })).rejects.toThrow(InvalidRequest);
    }
    expect(await rt.store.certificates.list()).toEqual([]);
    expect(await actions()).toEqual([]);
  });

  it("needs a current certificate for next, and refuses the other slot's certificate", async () => {
    await expect(upload("next", b)).rejects.toThrow(new InvalidRequest(NEXT_NEEDS_CURRENT));
    await upload("current", a);
    await expect(upload("next", a)).rejects.toThrow(/already the current certificate/);
    await upload("next", b);
    await expect(upload("current", b)).rejects.toThrow(/already the next certificate/);
    await expect(removeCertificate(admin, "next")).resolves.toBeUndefined();
    await expect(removeCertificate(admin, "next")).rejects.toThrow(NotFound);
    await expect(uploadCertificate(admin, { slot: "other" as "next", fileName: "b.pem", bytes: bytes(b.pem) })).rejects.toThrow(InvalidRequest);
  });

  it("turns login on only with a certificate, audits changes only, and keeps the last certificate while on", async () => {
    await expect(setCertificateLogin(admin, true)).rejects.toThrow(new InvalidRequest(ENABLE_NEEDS_CERTIFICATE));
    await setCertificateLogin(admin, false);
    await upload("current", a);
    await setCertificateLogin(admin, true);
    await setCertificateLogin(admin, true);
    await expect(removeCertificate(admin, "current")).rejects.toThrow(new InvalidRequest(LAST_CERTIFICATE_WHILE_ENABLED));
    await upload("next", b);
    await removeCertificate(admin, "next");
    await setCertificateLogin(admin, false);
    await removeCertificate(admin, "current");
    expect(await actions()).toEqual(["x509.upload", "x509.enable", "x509.add_next", "x509.remove", "x509.disable", "x509.remove"]);
  });

  it("warns when a certificate has expired or expires within 30 days of the runtime clock", async () => {
    const now = rt.clock.now();
    const soon = await makeCertificate({ notBefore: new Date(now - 300 * DAY), notAfter: new Date(now + 10 * DAY) });
    const expired = await makeCertificate({ notBefore: new Date(now - 300 * DAY), notAfter: new Date(now - DAY) });
    await upload("current", expired);
    await upload("next", soon);
    const s = await getCertificateSettings(admin);
    expect(s.current).toMatchObject({ expiry: "expired", expiryWarning: expect.stringContaining("expired on") });
    expect(s.next).toMatchObject({ expiry: "expires_soon", expiryWarning: expect.stringContaining("in 10 days") });
    rt.clock.advance(11 * DAY);
    expect((await getCertificateSettings(admin)).next?.expiry).toBe("expired");
  });

  it("requirePresentedCertificate passes anything while off, and only an accepted certificate while on (API channel only)", async () => {
    const ctx: ServiceContext = { rt, actor: null, meta: { ip: "192.0.2.9" } };
    await requirePresentedCertificate(ctx, undefined);
    await upload("current", a);
    await requirePresentedCertificate(ctx, "junk");
    await setCertificateLogin(admin, true);
    for (const value of [undefined, "", "junk", b.pem, a.privateKeyPem]) {
      await expect(requirePresentedCertificate(ctx, value)).rejects.toThrow(new UntrustedRequest(UNTRUSTED_REQUEST));
    }
    await expect(requirePresentedCertificate(ctx, a.pem)).resolves.toBeUndefined();
    await expect(requirePresentedCertificate(ctx, Buffer.from(a.der).toString("base64"))).resolves.toBeUndefined();
    await expect(checkPassword(ctx, ADMIN.username, ADMIN.password, "console")).resolves.toMatchObject({ username: ADMIN.username });
    await expect(checkPassword(ctx, ADMIN.username, ADMIN.password, "api")).rejects.toThrow(UntrustedRequest);
    await expect(checkPassword(ctx, ADMIN.username, ADMIN.password, "api", { apiCertificate: a.pem })).resolves.toMatchObject({ username: ADMIN.username });
    const rows = await rt.store.audit.list({ action: "auth.login_refused_certificate", limit: 10 });
    expect(rows.map((r) => r.details)).toEqual([{ reason: "missing", count: 1 }]);
  });
});
