/** Shared by the X.509 certificate login integration tests: certificates, an admin context, calls. */
import { expect } from "vitest";
import { makeCertificate, type GeneratedCertificate } from "../../lib/domain/x509-fixtures";
import type { Runtime } from "../../lib/runtime";
import type { ServiceContext } from "../../lib/services/context";
import { UNTRUSTED_REQUEST } from "../../lib/services/x509/require-certificate";
import { uploadCertificate } from "../../lib/services/x509/upload";
import type { CertificateSlot } from "../../lib/storage/types";
import { ADMIN, api, consoleContext } from "../../lib/testing/runtime";

export const bodyOf = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").trim();
export const b64 = (der: Uint8Array) => Buffer.from(der).toString("base64");

export const adminContext = (rt: Runtime): Promise<ServiceContext> => consoleContext(rt, ADMIN.username, { ip: "192.0.2.1" });

export const upload = (ctx: ServiceContext, slot: CertificateSlot, cert: GeneratedCertificate) =>
  uploadCertificate(ctx, { slot, fileName: `${slot}.pem`, bytes: new TextEncoder().encode(cert.pem) });

/** REST /login as the administrator, with extra form fields, from `ip` when given. */
export const login = (extra: Record<string, string> = {}, ip?: string) => api("/login", { form: { ...ADMIN, ...extra }, ...(ip ? { ip } : {}) });

export function expectUntrusted(r: { status: number; body: { error?: { class?: string; message?: string } } }): void {
  expect(r.status).toBe(500);
  expect(r.body.error?.message).toBe(UNTRUSTED_REQUEST);
  expect(typeof r.body.error?.class).toBe("string");
}

/** A certificate whose base64 has "+" and "/", so the encodings that mangle them are exercised. */
async function withPlusAndSlash(): Promise<GeneratedCertificate> {
  for (;;) {
    const c = await makeCertificate({ subject: "CN=billing-bot, O=Acme, OU=Payments" });
    if (/\+/.test(b64(c.der)) && /\//.test(b64(c.der))) return c;
  }
}

/** The accepted current and next certificates, and a valid one nobody uploaded (same subject as current). */
export async function testCertificates(): Promise<{ current: GeneratedCertificate; next: GeneratedCertificate; stranger: GeneratedCertificate }> {
  const [current, next, stranger] = await Promise.all([
    withPlusAndSlash(),
    makeCertificate({ subject: "CN=billing-bot (2027), O=Acme, OU=Payments", keyAlgorithm: "RSA" }),
    makeCertificate({ subject: "CN=billing-bot, O=Acme, OU=Payments" }),
  ]);
  return { current, next, stranger };
}
