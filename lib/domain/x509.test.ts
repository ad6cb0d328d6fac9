import { X509Certificate, generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidRequest } from "../errors";
import {
  EXPIRY_WARNING_DAYS,
  MAX_CERTIFICATE_BYTES,
  MAX_PRESENTED_CERTIFICATE_CHARS,
  describeExpiry,
  expiryStatus,
  readCertificateUpload,
  readPresentedCertificate,
  sameCertificate,
  type ParsedCertificate,
} from "./x509";
import { makeCertificate, makeCertificateRequest, type GeneratedCertificate } from "./x509-fixtures";

const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const b64 = (der: Uint8Array) => Buffer.from(der).toString("base64");
const bodyOf = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").trim();
const DAY = 86_400_000;

/** The InvalidRequest message readCertificateUpload refuses with (fails the test on any other outcome). */
function refusal(bytes: Uint8Array, fileName?: string): string {
  try {
    readCertificateUpload(bytes, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidRequest);
    return (e as InvalidRequest).message;
  }
  throw new Error("expected the upload to be refused");
}

let ca: GeneratedCertificate;
let client: GeneratedCertificate;
let selfSigned: GeneratedCertificate;
let clientUpload: ParsedCertificate;

beforeAll(async () => {
  ca = await makeCertificate({
    subject: [{ CN: ["Keyward Test Root CA"] }, { O: ["株式会社テスト"] }, { OU: ["Trust Services"] }, { OU: ["Issuing CA 1"] }],
    serialNumber: "01",
    ca: true,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2035-01-01T00:00:00Z"),
  });
  client = await makeCertificate({
    subject: [{ C: ["FR"] }, { O: ["Société Générale"] }, { OU: ["Payments"] }, { OU: ["API", "Batch"] }, { CN: ["billing-bot"] }],
    issuedBy: ca,
    serialNumber: "00c0ffee0123456789",
    notBefore: new Date("2026-01-02T03:04:05Z"),
    notAfter: new Date("2027-01-02T03:04:05Z"),
  });
  selfSigned = await makeCertificate({
    subject: "CN=Alice Smith, O=Acme\\, Inc., OU=R&D",
    serialNumber: "80",
    keyAlgorithm: "RSA",
    notBefore: new Date("1999-12-31T23:59:59Z"),
    notAfter: new Date("2051-06-01T12:00:00Z"),
  });
  clientUpload = readCertificateUpload(text(client.pem), "client.pem");
});

describe("certificate details", () => {
  it("reads every field of a CA-signed certificate with multi-valued OU and UTF-8 names", () => {
    expect(clientUpload.details).toEqual({
      subjectCommonName: "billing-bot",
      subjectOrganization: "Société Générale",
      subjectOrganizationalUnit: "Payments, API, Batch",
      issuerCommonName: "Keyward Test Root CA",
      issuerOrganization: "株式会社テスト",
      issuerOrganizationalUnit: "Trust Services, Issuing CA 1",
      serialNumber: "C0FFEE0123456789",
      notBefore: "2026-01-02T03:04:05.000Z",
      notAfter: "2027-01-02T03:04:05.000Z",
      fingerprint256: new X509Certificate(client.der).fingerprint256,
    });
  });

  it("reads a self-signed RSA certificate: issuer = subject, escaped commas unescaped, UTCTime and GeneralizedTime dates", () => {
    const parsed = readCertificateUpload(selfSigned.der, "alice.cer");
    expect(parsed.details).toEqual({
      subjectCommonName: "Alice Smith",
      subjectOrganization: "Acme, Inc.",
      subjectOrganizationalUnit: "R&D",
      issuerCommonName: "Alice Smith",
      issuerOrganization: "Acme, Inc.",
      issuerOrganizationalUnit: "R&D",
      serialNumber: "80",
      notBefore: "1999-12-31T23:59:59.000Z",
      notAfter: "2051-06-01T12:00:00.000Z",
      fingerprint256: new X509Certificate(selfSigned.der).fingerprint256,
    });
  });

  it("gives the DER, a normalised PEM and node's fingerprint", () => {
    const node = new X509Certificate(client.der);
    expect(clientUpload.fingerprint256).toBe(node.fingerprint256);
    expect(clientUpload.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Buffer.from(clientUpload.der).equals(client.der)).toBe(true);
    expect(clientUpload.pem).toBe(node.toString());
    expect(clientUpload.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
  });

  it("decodes BMPString and UTF-8 beyond the BMP exactly, and reports absent fields as null", async () => {
    const c = await makeCertificate({ subject: [{ CN: [{ utf8String: "山田太郎 🔐" }] }, { O: [{ bmpString: "Société Générale" }] }] });
    const d = readCertificateUpload(c.der).details;
    expect(d.subjectCommonName).toBe("山田太郎 🔐");
    expect(d.subjectOrganization).toBe("Société Générale");
    expect(d.subjectOrganizationalUnit).toBeNull();
    const bare = readCertificateUpload((await makeCertificate({ subject: [{ OU: ["only unit"] }] })).der).details;
    expect([bare.subjectCommonName, bare.subjectOrganization, bare.subjectOrganizationalUnit]).toEqual([null, null, "only unit"]);
  });

  it("joins several CN and O values in certificate order", async () => {
    const c = await makeCertificate({ subject: "CN=one+CN=two, O=First, O=Second, OU=x+OU=y, OU=z" });
    const d = readCertificateUpload(c.der).details;
    expect([d.subjectCommonName, d.subjectOrganization, d.subjectOrganizationalUnit]).toEqual(["one, two", "First, Second", "x, y, z"]);
  });

  it("formats serial numbers as uppercase hex bytes without DER's sign padding, like node", async () => {
    const cases: [string, string][] = [
      ["01", "01"],
      ["7f", "7F"],
      ["80", "80"],
      ["00ff", "FF"],
      ["0102", "0102"],
      ["8fedcba9876543210fedcba9876543210fedcba9", "8FEDCBA9876543210FEDCBA9876543210FEDCBA9"],
    ];
    for (const [given, shown] of cases) {
      const c = await makeCertificate({ serialNumber: given });
      expect(readCertificateUpload(c.der).details.serialNumber).toBe(shown);
      expect(new X509Certificate(c.der).serialNumber).toBe(shown);
    }
  });

  it("shows a zero serial as 00 and keeps the sign of a non-conforming negative one", async () => {
    const c = await makeCertificate({ serialNumber: "7e" });
    const at = Buffer.from(c.der).indexOf(Buffer.from([0x02, 0x01, 0x7e]));
    const withSerial = (byte: number) => {
      const der = new Uint8Array(c.der);
      der[at + 2] = byte;
      return readCertificateUpload(der).details.serialNumber;
    };
    expect(withSerial(0x00)).toBe("00");
    expect(withSerial(0x80)).toBe("-80");
  });
});

describe("readCertificateUpload", () => {
  it("accepts PEM with LF or CRLF, surrounding text, a BOM, UTF-16, DER and bare base64 alike", () => {
    const lf = client.pem.replace(/\r\n/g, "\n");
    const forms: Uint8Array[] = [
      text(lf),
      text(lf.replace(/\n/g, "\r\n")),
      text(`Certificate:\n    Subject: CN=billing-bot\n${lf}\ntrailing notes\n`),
      text(`\uFEFF${lf}`),
      new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lf, "utf16le")])),
      client.der,
      text(`${bodyOf(lf)}\n`),
    ];
    for (const bytes of forms) expect(readCertificateUpload(bytes, "client.crt").fingerprint256).toBe(clientUpload.fingerprint256);
  });

  it("reads DER as DER even when a field contains PEM-looking text", async () => {
    const c = await makeCertificate({ subject: [{ CN: ["x"] }, { OU: ["-----BEGIN CERTIFICATE-----"] }] });
    expect(readCertificateUpload(c.der).details.subjectOrganizationalUnit).toBe("-----BEGIN CERTIFICATE-----");
  });

  it("accepts .crt, .cer and .pem in any case and refuses other names, listing the allowed ones", () => {
    for (const name of ["a.crt", "a.CER", "C:\\fakepath\\client.Pem", " my cert.pem "]) expect(readCertificateUpload(client.der, name).fingerprint256).toBe(clientUpload.fingerprint256);
    for (const name of ["a.der", "a.txt", "pem", ".pem", "a.pem.exe", ""]) {
      expect(refusal(client.der, name)).toBe("Certificate files must end in .crt, .cer or .pem.");
    }
  });

  it("refuses private keys, however they are labelled or packaged, saying they must never be uploaded", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const key = (label: string) => text(`-----BEGIN ${label}-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END ${label}-----\n`);
    const forms: Uint8Array[] = [
      text(client.privateKeyPem),
      key("RSA PRIVATE KEY"),
      key("EC PRIVATE KEY"),
      key("ENCRYPTED PRIVATE KEY"),
      text(rsa.privateKey.export({ format: "pem", type: "pkcs1" }) as string),
      text(`${client.pem}${client.privateKeyPem}`),
      text(client.privateKeyPem.slice(0, 120)),
      new Uint8Array(ec.privateKey.export({ format: "der", type: "pkcs8" })),
      new Uint8Array(ec.privateKey.export({ format: "der", type: "sec1" })),
      new Uint8Array(ec.privateKey.export({ format: "der", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "secret" })),
    ];
    for (const bytes of forms) {
      const message = refusal(bytes, "client.pem");
      expect(message).toMatch(/^This file contains a private key\. A private key must never be uploaded/);
    }
  });

  it("refuses certificate signing requests in PEM (both labels) and DER", async () => {
    const csr = await makeCertificateRequest("CN=billing-bot");
    for (const bytes of [text(csr.pem), text(csr.pem.replace(/CERTIFICATE REQUEST/g, "NEW CERTIFICATE REQUEST")), csr.der]) {
      expect(refusal(bytes)).toBe(
        "This file is a certificate signing request (CSR), not a certificate. Send it to your certificate authority and upload the certificate it issues.",
      );
    }
  });

  it("refuses public keys in PEM and DER", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    for (const bytes of [text(publicKey.export({ format: "pem", type: "spki" }) as string), new Uint8Array(publicKey.export({ format: "der", type: "spki" }))]) {
      expect(refusal(bytes)).toBe("This file contains a public key, not a certificate. Upload the X.509 certificate (-----BEGIN CERTIFICATE-----).");
    }
  });

  it("refuses a chain, naming how many certificates it found", () => {
    const single = "Upload only the client certificate, as a single PEM or DER certificate.";
    expect(refusal(text(client.pem + ca.pem))).toBe(`This file contains 2 certificates (a certificate chain). ${single}`);
    expect(refusal(text(`${client.pem}\n${ca.pem}\n${selfSigned.pem}`))).toBe(`This file contains 3 certificates (a certificate chain). ${single}`);
    expect(refusal(concat(client.der, ca.der))).toBe(`This file contains 2 certificates (a certificate chain). ${single}`);
    expect(refusal(text("-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n"))).toBe(`This file is a PKCS #7 certificate bundle. ${single}`);
  });

  it("refuses empty, oversized, truncated, badly encoded and unreadable files", () => {
    const unreadable = "This file does not contain a readable X.509 certificate. Upload a PEM or DER certificate file.";
    const body = bodyOf(client.pem).replace(/\n/g, "");
    const pemOf = (b: string) => text(`-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----\n`);
    expect(refusal(new Uint8Array())).toBe("The certificate file is empty.");
    expect(refusal(text(" \r\n\t\n"))).toBe("The certificate file is empty.");
    expect(refusal(new Uint8Array(MAX_CERTIFICATE_BYTES + 1).fill(0x41))).toBe(
      `This file is too large to be a certificate (${MAX_CERTIFICATE_BYTES + 1} bytes; the limit is 16 KiB).`,
    );
    expect(refusal(text(client.pem.slice(0, 300)))).toBe(
      "This file is incomplete: it has a -----BEGIN CERTIFICATE----- line but no -----END CERTIFICATE----- line.",
    );
    const base64 = "The certificate in this file is not valid base64; the file may be damaged or cut off.";
    expect(refusal(pemOf(body.slice(0, 201)))).toBe(base64);
    expect(refusal(pemOf(`${body.slice(0, 40)}!!!!${body.slice(44)}`))).toBe(base64);
    expect(refusal(pemOf(body.slice(0, 200)))).toBe(unreadable);
    expect(refusal(pemOf(Buffer.from("not a certificate at all").toString("base64")))).toBe(unreadable);
    expect(refusal(text("hello, this is not a certificate"))).toBe(unreadable);
    expect(refusal(text("-----BEGIN certificate-----\nabc\n-----END certificate-----"))).toBe(unreadable);
    expect(refusal(client.der.subarray(0, client.der.length - 10))).toBe(unreadable);
    expect(refusal(concat(client.der, new Uint8Array([0, 1, 2])))).toBe(unreadable);
    expect(refusal(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBe(unreadable);
    expect(refusal(text("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n"))).toBe(
      "This file contains a X509 CRL block, not a certificate. Upload the X.509 certificate (-----BEGIN CERTIFICATE-----).",
    );
  });

  it("accepts a file of exactly the size limit", () => {
    const padded = client.pem + "#".repeat(MAX_CERTIFICATE_BYTES - client.pem.length);
    expect(text(padded).length).toBe(MAX_CERTIFICATE_BYTES);
    expect(readCertificateUpload(text(padded)).fingerprint256).toBe(clientUpload.fingerprint256);
  });

  it("only ever throws InvalidRequest, for arbitrary bytes and for damaged certificates", () => {
    const damaged = fc
      .tuple(fc.constantFrom(client.der, text(client.pem)), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 3000 }))
      .map(([bytes, at, byte, cut]) => {
        const copy = new Uint8Array(bytes.subarray(0, Math.max(1, bytes.length - (cut % bytes.length))));
        copy[at % copy.length] = byte;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 4096 }), damaged), (bytes) => {
        try {
          const parsed = readCertificateUpload(bytes);
          expect(parsed.fingerprint256).toBe(new X509Certificate(parsed.der).fingerprint256);
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidRequest);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("readPresentedCertificate", () => {
  it("reads the certificate however the client encoded it", () => {
    const pem = client.pem;
    const der64 = b64(client.der);
    expect(der64).toContain("+"); // so the lost-plus readings are really exercised
    const spacedLines = bodyOf(pem).split("\n").join(" ");
    const forms = [
      pem,
      pem.replace(/\n/g, "\r\n"),
      bodyOf(pem),
      der64,
      der64.replace(/\+/g, " "),
      pem.replace(/\+/g, " "),
      `-----BEGIN CERTIFICATE----- ${spacedLines} -----END CERTIFICATE-----`,
      spacedLines.replace(/\+/g, " "),
      `-----BEGIN CERTIFICATE----- ${spacedLines.replace(/\+/g, " ")} -----END CERTIFICATE-----`,
      encodeURIComponent(pem),
      pem.replace(/ /g, "+"), // header spaces as "+", read back without form decoding
      new URLSearchParams({ v: pem }).toString().slice(2),
      new URLSearchParams({ v: `-----BEGIN CERTIFICATE----- ${spacedLines} -----END CERTIFICATE-----` }).toString().slice(2),
      encodeURIComponent(der64),
      `\n\t  ${pem}  \n`,
      `  ${der64}\n`,
      JSON.stringify(pem).slice(1, -1),
      Buffer.from(client.der).toString("base64url"),
    ];
    for (const form of forms) {
      const parsed = readPresentedCertificate(form);
      expect(parsed?.fingerprint256, form.slice(0, 80)).toBe(clientUpload.fingerprint256);
      expect(sameCertificate(parsed!, clientUpload)).toBe(true);
    }
  });

  it("reads base64 whose lost '+' falls where a 64-character line would end", async () => {
    // The 64-column reading would take that space for a line break; the plain reading must not. With an
    // 9-byte serial (and a TBS shorter than 256 bytes), DER byte 48 is the first byte of the issuer CN,
    // and a BMPString U+F900 puts 0xF9 there, which is "+" at base64 position 64.
    const c = await makeCertificate({ subject: [{ CN: [{ bmpString: "\uF900 client" }] }], serialNumber: "010203040506070809" });
    const der64 = b64(c.der);
    expect(der64[64]).toBe("+");
    expect(readPresentedCertificate(der64.replace(/\+/g, " "))?.fingerprint256).toBe(new X509Certificate(c.der).fingerprint256);
  });

  it("refuses a certificate larger than an upload may be, as both upload and presented value", async () => {
    const big = await makeCertificate({ subject: [{ CN: ["big"] }, { OU: ["u".repeat(MAX_CERTIFICATE_BYTES)] }] });
    expect(big.der.length).toBeGreaterThan(MAX_CERTIFICATE_BYTES);
    expect(b64(big.der).length).toBeLessThan(MAX_PRESENTED_CERTIFICATE_CHARS);
    expect(readPresentedCertificate(b64(big.der))).toBeNull();
    expect(refusal(big.der)).toMatch(/^This file is too large to be a certificate/);
  });

  it("returns null for anything that is not exactly one certificate", async () => {
    const csr = await makeCertificateRequest();
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der64 = b64(client.der);
    const values = [
      "",
      "   ",
      "garbage",
      "-----BEGIN CERTIFICATE-----",
      "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
      client.pem.slice(0, 400),
      der64.slice(0, 400),
      b64(client.der.subarray(1)),
      b64(concat(client.der, new Uint8Array([0]))),
      b64(concat(client.der, ca.der)),
      client.pem + ca.pem,
      client.pem + client.privateKeyPem,
      client.privateKeyPem,
      csr.pem,
      b64(csr.der),
      publicKey.export({ format: "pem", type: "spki" }) as string,
      "%ZZ" + der64,
      "%E0%A4%A" + der64,
      "\u0000".repeat(1000),
    ];
    for (const value of values) expect(readPresentedCertificate(value), value.slice(0, 60)).toBeNull();
  });

  it("refuses oversized values quickly and accepts values up to the limit", () => {
    const started = performance.now();
    expect(readPresentedCertificate("A".repeat(1024 * 1024))).toBeNull();
    expect(readPresentedCertificate(client.pem + " ".repeat(MAX_PRESENTED_CERTIFICATE_CHARS))).toBeNull();
    expect(performance.now() - started).toBeLessThan(50);
    const atLimit = client.pem + " ".repeat(MAX_PRESENTED_CERTIFICATE_CHARS - client.pem.length);
    expect(readPresentedCertificate(atLimit)?.fingerprint256).toBe(clientUpload.fingerprint256);
  });

  it("stays fast on adversarial values at the size limit", () => {
    const patterns = ["-----BEGIN ", "-----BEGIN A-----", `-----BEGIN+${"A ".repeat(30)}-----`, "%41", `${"M".repeat(63)} `, "A"];
    const started = performance.now();
    for (const p of patterns) expect(readPresentedCertificate(p.repeat(MAX_PRESENTED_CERTIFICATE_CHARS).slice(0, MAX_PRESENTED_CERTIFICATE_CHARS))).toBeNull();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("never throws, for arbitrary strings and for damaged certificate values", () => {
    const pemAlphabet = fc.string({ unit: fc.constantFrom(..."-----BEGIN CERTIFICATE END+/=%0A2B\n\r MII"), maxLength: 400 });
    const damaged = fc
      .tuple(fc.constantFrom(client.pem, b64(client.der), encodeURIComponent(client.pem)), fc.nat(), fc.string({ maxLength: 4 }), fc.nat({ max: 8 }))
      .map(([v, at, insert, remove]) => v.slice(0, at % v.length) + insert + v.slice((at % v.length) + remove));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: "binary", maxLength: 500 }), pemAlphabet, damaged), (value) => {
        const parsed = readPresentedCertificate(value);
        if (parsed) expect(parsed.fingerprint256).toBe(new X509Certificate(parsed.der).fingerprint256);
      }),
      { numRuns: 600 },
    );
  });
});

describe("sameCertificate", () => {
  it("matches the same fingerprint in any spelling and nothing else", () => {
    const fp = clientUpload.fingerprint256;
    expect(sameCertificate(clientUpload, { fingerprint256: fp })).toBe(true);
    expect(sameCertificate(clientUpload, { fingerprint256: fp.toLowerCase() })).toBe(true);
    expect(sameCertificate(clientUpload, { fingerprint256: fp.replace(/:/g, "") })).toBe(true);
    expect(sameCertificate(clientUpload, { fingerprint256: new X509Certificate(ca.der).fingerprint256 })).toBe(false);
    expect(sameCertificate(clientUpload, { fingerprint256: fp.slice(0, -3) })).toBe(false);
    expect(sameCertificate(clientUpload, { fingerprint256: "" })).toBe(false);
    expect(sameCertificate(clientUpload, { fingerprint256: fp.replace(/[0-9A-F]/, "Z") })).toBe(false);
    expect(sameCertificate({ fingerprint256: "" }, { fingerprint256: "" })).toBe(false);
  });
});

describe("expiry", () => {
  const notAfter = "2026-03-01T00:00:00.000Z";
  const at = Date.parse(notAfter);

  it("is valid until the warning window, then expires_soon through notAfter itself, then expired", () => {
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    expect(expiryStatus(notAfter, at - 30 * DAY - 1)).toBe("valid");
    expect(expiryStatus(notAfter, at - 30 * DAY)).toBe("expires_soon");
    expect(expiryStatus(notAfter, at)).toBe("expires_soon");
    expect(expiryStatus(notAfter, at + 1)).toBe("expired");
    expect(expiryStatus("not a date", at)).toBe("expired");
  });

  it("describes the warning in one sentence", () => {
    expect(describeExpiry(notAfter, at - 31 * DAY)).toBeNull();
    expect(describeExpiry(notAfter, at - 12 * DAY)).toBe("The API login certificate expires in 12 days, on 2026-03-01.");
    expect(describeExpiry(notAfter, at - 12.5 * DAY)).toBe("The API login certificate expires in 12 days, on 2026-03-01.");
    expect(describeExpiry(notAfter, at - DAY)).toBe("The API login certificate expires in 1 day, on 2026-03-01.");
    expect(describeExpiry(notAfter, at - 1000)).toBe("The API login certificate expires in less than a day, on 2026-03-01.");
    expect(describeExpiry("2026-01-02T10:00:00.000Z", at)).toBe("The API login certificate expired on 2026-01-02.");
    expect(describeExpiry("garbage", at)).toBe("The API login certificate has no readable expiry date; upload it again.");
  });

  it("works on the dates readCertificateUpload returns", () => {
    const { notAfter: end } = clientUpload.details;
    expect(expiryStatus(end, Date.parse("2026-06-01T00:00:00Z"))).toBe("valid");
    expect(describeExpiry(end, Date.parse("2026-12-21T03:04:05Z"))).toBe("The API login certificate expires in 12 days, on 2027-01-02.");
  });
});

describe("makeCertificate", () => {
  it("defaults to a certificate valid now for a year", async () => {
    const c = await makeCertificate();
    const d = readCertificateUpload(text(c.pem)).details;
    expect(d.subjectCommonName).toBe("Keyward test client");
    expect(expiryStatus(d.notAfter, Date.now())).toBe("valid");
    expect(Date.parse(d.notBefore)).toBeLessThan(Date.now());
  });
});

describe("readCertificateUpload with key material hidden around the certificate", () => {
  it("refuses a bare key body, a lower-case key block and a key in another encoding, and keeps short notes", async () => {
    const cert = await makeCertificate({ subject: "CN=Hidden" });
    const keyBody = cert.privateKeyPem.split("\n").filter((l) => l && !l.startsWith("-----")).join("\n");
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(() => readCertificateUpload(bytes(`${cert.pem}\n${keyBody}\n`))).toThrow(/holds more than the certificate/);
    expect(() => readCertificateUpload(bytes(`${cert.pem}\n${cert.privateKeyPem.toLowerCase()}`))).toThrow(/contains a private key/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cert.pem, "utf16le"), Buffer.from(`\n${cert.privateKeyPem}`, "latin1")]);
    expect(() => readCertificateUpload(new Uint8Array(utf16))).toThrow(/contains a private key/);
    const noted = readCertificateUpload(bytes(`subject=CN = Hidden\nissuer=CN = Hidden\n${cert.pem}`));
    expect(noted.details.subjectCommonName).toBe("Hidden");
  });
});

describe("readPresentedCertificate with a plus sign at the very end", () => {
  it("reads base64 whose last character was a '+' turned into a space", async () => {
    // A DER whose length is a multiple of 3 has no base64 padding; its last signature byte is then set
    // so that the last base64 character is "+" (the signature is not verified when reading).
    let der: Uint8Array | undefined;
    for (let i = 0; i < 50 && !der; i++) {
      const cert = await makeCertificate({ subject: `CN=Plus ${i}` });
      if (cert.der.length % 3 === 0) der = new Uint8Array(cert.der);
    }
    if (!der) throw new Error("no generated certificate had a length divisible by 3");
    der[der.length - 1] = (der[der.length - 1]! & 0xc0) | 62;
    const der64 = Buffer.from(der).toString("base64");
    expect(der64.endsWith("+")).toBe(true);
    const fingerprint = new X509Certificate(Buffer.from(der)).fingerprint256;
    const lines = der64.match(/.{1,64}/g)!;
    const lost = (t: string) => t.replace(/\+/g, " ");
    const forms = [
      lost(der64),
      lost(lines.join(" ")),
      `-----BEGIN CERTIFICATE-----\n${lost(lines.join("\n"))}\n-----END CERTIFICATE-----`,
      `-----BEGIN CERTIFICATE----- ${lost(lines.join(" "))} -----END CERTIFICATE-----`,
    ];
    for (const form of forms) {
      expect(readPresentedCertificate(form)?.fingerprint256, form.slice(-40)).toBe(fingerprint);
    }
  });
});
