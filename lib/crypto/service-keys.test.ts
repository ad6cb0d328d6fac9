/**
 * Service credential bundles: the private key signs RS256 JWTs that the certificate and SPKI verify,
 * and the certificate says what the bundle promises (name, dates, serial, fingerprint, extensions).
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509Certificate as PeculiarCertificate } from "@peculiar/x509";
import { jwtVerify, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { readPublicKeyUpload } from "../domain/public-key";
import { generateServiceKey, type GeneratedServiceKey } from "./service-keys";

const NOW = Date.UTC(2026, 2, 14, 9, 26, 53, 589);
const DAY = 86_400_000;
const normalise = (fingerprint: string) => fingerprint.replace(/:/g, "").toLowerCase();

let key: GeneratedServiceKey;
let other: GeneratedServiceKey;
beforeAll(async () => {
  [key, other] = await Promise.all([
    generateServiceKey({ commonName: "svc-reports@acme.example", organization: "Acme Corp", now: NOW }),
    generateServiceKey({ commonName: "other", now: NOW, validDays: 30 }),
  ]);
});

describe("generateServiceKey: the private key", () => {
  it("is an RSA 2048 key (e = 65537) in PKCS #1 PEM", () => {
    expect(key.privateKeyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true);
    expect(key.privateKeyPem.trimEnd().endsWith("-----END RSA PRIVATE KEY-----")).toBe(true);
    const parsed = createPrivateKey(key.privateKeyPem);
    expect(parsed.asymmetricKeyType).toBe("rsa");
    expect(parsed.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
  });

  it("signs an RS256 JWT that the certificate and the SPKI verify", async () => {
    const jwt = await new SignJWT({ iss: "customer", sub: "tech-account" })
      .setProtectedHeader({ alg: "RS256" })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 60)
      .sign(createPrivateKey(key.privateKeyPem));
    for (const publicKey of [createPublicKey(key.certificatePem), createPublicKey(key.spkiPem)]) {
      const { payload } = await jwtVerify(jwt, publicKey, { algorithms: ["RS256"] });
      expect(payload.sub).toBe("tech-account");
    }
    await expect(jwtVerify(jwt, createPublicKey(other.spkiPem), { algorithms: ["RS256"] })).rejects.toThrow();
  });

  it("matches the SPKI and the certificate's key", () => {
    const derived = createPublicKey(createPrivateKey(key.privateKeyPem)).export({ format: "pem", type: "spki" });
    expect(derived).toBe(key.spkiPem);
    expect(key.spkiPem.startsWith("-----BEGIN PUBLIC KEY-----\n")).toBe(true);
    expect(new X509Certificate(key.certificatePem).publicKey.export({ format: "pem", type: "spki" })).toBe(key.spkiPem);
  });
});

describe("generateServiceKey: the certificate", () => {
  it("parses and is self-signed", () => {
    expect(key.certificatePem.startsWith("-----BEGIN CERTIFICATE-----")).toBe(true);
    const cert = new X509Certificate(key.certificatePem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.verify(createPublicKey(other.spkiPem))).toBe(false);
  });

  it("names the subject and issuer CN=<commonName>, O=<organization>", () => {
    const cert = new X509Certificate(key.certificatePem);
    expect(cert.subject).toBe("CN=svc-reports@acme.example\nO=Acme Corp");
    expect(cert.issuer).toBe(cert.subject);
    expect(new X509Certificate(other.certificatePem).subject).toBe("CN=other");
  });

  it("is valid from now (whole seconds) for validDays", () => {
    const whole = Math.floor(NOW / 1000) * 1000;
    expect(key.notBefore).toBe(whole);
    expect(key.notAfter).toBe(whole + 365 * DAY);
    expect(other.notAfter).toBe(whole + 30 * DAY);
    for (const k of [key, other]) {
      const cert = new X509Certificate(k.certificatePem);
      expect(Math.abs(Date.parse(cert.validFrom) - k.notBefore)).toBeLessThan(1000);
      expect(Math.abs(Date.parse(cert.validTo) - k.notAfter)).toBeLessThan(1000);
    }
  });

  it("reports its SHA-256 fingerprint and serial", () => {
    const cert = new X509Certificate(key.certificatePem);
    expect(key.fingerprint256).toMatch(/^[0-9a-f]{64}$/);
    expect(key.fingerprint256).toBe(normalise(cert.fingerprint256));
    expect(key.serialNumber).toMatch(/^[0-9a-f]{32}$/);
    expect(key.serialNumber).toBe(cert.serialNumber.toLowerCase());
  });

  it("has a positive 16-octet serial, sha256WithRSAEncryption, CA:false and digitalSignature only", () => {
    const cert = new PeculiarCertificate(key.certificatePem);
    // DER INTEGER: tag 02, length 16, first content octet below 0x80 (positive, no padding octet).
    const der = Buffer.from(cert.rawData).toString("hex");
    expect(der).toContain(`0210${key.serialNumber}`);
    expect(Number.parseInt(key.serialNumber.slice(0, 2), 16)).toBeGreaterThan(0);
    expect(Number.parseInt(key.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
    expect(cert.signatureAlgorithm).toMatchObject({ name: "RSASSA-PKCS1-v1_5", hash: { name: "SHA-256" } });
    const basic = cert.getExtension(BasicConstraintsExtension);
    expect(basic?.ca).toBe(false);
    expect(basic?.critical).toBe(true);
    const usage = cert.getExtension(KeyUsagesExtension);
    expect(usage?.usages).toBe(KeyUsageFlags.digitalSignature);
    expect(new X509Certificate(key.certificatePem).ca).toBe(false);
  });

  it("is accepted by the public key upload as the client's certificate", () => {
    const parsed = readPublicKeyUpload(key.certificatePem);
    expect(parsed.source).toBe("certificate");
    expect(parsed.spkiPem).toBe(key.spkiPem);
    expect(parsed.certificate?.subjectCommonName).toBe("svc-reports@acme.example");
    expect(normalise(parsed.certificate!.fingerprint256)).toBe(key.fingerprint256);
  });
});

describe("generateServiceKey: each call", () => {
  it("gives a new key, serial and certificate", () => {
    expect(other.privateKeyPem).not.toBe(key.privateKeyPem);
    expect(other.spkiPem).not.toBe(key.spkiPem);
    expect(other.serialNumber).not.toBe(key.serialNumber);
    expect(other.fingerprint256).not.toBe(key.fingerprint256);
  });
});

describe("generateServiceKey: refusals", () => {
  const refused = (opts: Partial<Parameters<typeof generateServiceKey>[0]>) =>
    expect(generateServiceKey({ commonName: "svc", now: NOW, ...opts })).rejects.toThrow(Error);

  it.each([
    "svc,O=Evil",
    "svc+O=Evil",
    "O=Evil",
    'svc"',
    "svc\\2C",
    "#0403616263",
    "svc\nO=Evil",
    "svc\u0000",
    " svc",
    "svc ",
    "",
    "é",
    "a".repeat(65),
  ])("refuses the common name %j", async (commonName) => {
    await refused({ commonName });
  });

  it("refuses an organization that could inject an RDN, and a non-string name", async () => {
    await refused({ organization: "Acme, CN=admin" });
    await refused({ organization: "" });
    await refused({ commonName: 42 as unknown as string });
  });

  it.each([0, -1, 1.5, 3651, Number.NaN, Number.POSITIVE_INFINITY])("refuses validDays %s", async (validDays) => {
    await refused({ validDays });
  });

  it("refuses a time that is not a number of ms", async () => {
    await refused({ now: Number.NaN });
    await refused({ now: -1 });
  });

  it("accepts a 64-character name with every allowed character", async () => {
    const commonName = "Az09 ._@-".padEnd(64, "x");
    const generated = await generateServiceKey({ commonName, now: NOW, validDays: 1 });
    expect(new X509Certificate(generated.certificatePem).subject).toBe(`CN=${commonName}`);
  });
});
