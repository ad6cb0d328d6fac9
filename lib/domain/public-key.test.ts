/**
 * Public key uploads for the JWT flow, read from real certificates and keys (generated here, and from
 * the openssl command clients are told to run), plus every refusal message.
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, webcrypto, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Name, X509CertificateGenerator } from "@peculiar/x509";
import fc from "fast-check";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidRequest } from "../errors";
import { MAX_PUBLIC_KEY_BYTES, generateRsaKeyPair, publicKeyObject, readPublicKeyUpload, type ParsedPublicKey } from "./public-key";
import { makeCertificate, makeCertificateRequest, type GeneratedCertificate } from "./x509-fixtures";

const text = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const spkiPem = (key: KeyObject) => key.export({ format: "pem", type: "spki" }) as string;
const spkiDer = (key: KeyObject) => new Uint8Array(key.export({ format: "der", type: "spki" }));
const colonHex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").toUpperCase().match(/../g)!.join(":");

const PRIVATE = "This file contains a private key. Upload only certificate_pub.crt or the public key; keep private.key secret.";
const UNREADABLE =
  "This is not a PEM public key or an X.509 certificate. Upload certificate_pub.crt (-----BEGIN CERTIFICATE-----) or an RSA public key (-----BEGIN PUBLIC KEY-----).";
const SEVERAL = (n: number) => `This file contains ${n} certificates or keys. Upload a file with a single certificate or public key.`;
const NOT_RSA = (what: string, kind: string) => `This ${what} holds ${kind}. Only RSA keys are accepted, because the JWTs are signed with RS256.`;
const BITS = (bits: number) => `This RSA key has ${bits} bits; keys must have between 2048 and 8192 bits. Generate a new one with rsa:2048.`;

/** The InvalidRequest message readPublicKeyUpload refuses with (fails the test on any other outcome). */
function refusal(input: Uint8Array | string, fileName?: string): string {
  try {
    readPublicKeyUpload(input, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidRequest);
    return (e as InvalidRequest).message;
  }
  throw new Error("expected the upload to be refused");
}

/** A public key with a random modulus of exactly `bits` bits (a multiple of 8): generating real 9000-bit keys takes too long. */
function rsaPublicKey(bits: number, e = "AQAB"): KeyObject {
  const n = randomBytes(bits / 8);
  n[0]! |= 0x80;
  n[n.length - 1]! |= 1;
  return createPublicKey({ key: { kty: "RSA", n: n.toString("base64url"), e }, format: "jwk" });
}

/** A self-signed certificate for an RSA key of any size (the shared fixture only makes 2048-bit RSA). */
async function rsaCertificate(modulusLength: number): Promise<Uint8Array> {
  const alg = { name: "RSASSA-PKCS1-v1_5", modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const cert = await X509CertificateGenerator.createSelfSigned({ name: new Name("CN=small"), keys, signingAlgorithm: alg }, crypto);
  return new Uint8Array(cert.rawData);
}


let rsaCert: GeneratedCertificate;
let ecCert: GeneratedCertificate;
let rsa: { publicKey: KeyObject; privateKey: KeyObject };
let parsedCert: ParsedPublicKey;

beforeAll(async () => {
  rsaCert = await makeCertificate({ subject: "CN=billing-bot, O=Acme", keyAlgorithm: "RSA", notBefore: new Date("2026-01-02T03:04:05Z"), notAfter: new Date("2027-01-02T03:04:05Z") });
  ecCert = await makeCertificate({ subject: "CN=ec client" });
  rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  parsedCert = readPublicKeyUpload(text(rsaCert.pem), "certificate_pub.crt");
});

describe("readPublicKeyUpload: accepted forms", () => {
  it("reads a PEM certificate: the key, its fingerprints and the certificate's name and dates", async () => {
    const node = new X509Certificate(rsaCert.der);
    expect(parsedCert).toEqual({
      source: "certificate",
      spkiPem: spkiPem(node.publicKey),
      fingerprint256: colonHex(spkiDer(node.publicKey)),
      thumbprint: await calculateJwkThumbprint(node.publicKey),
      bits: 2048,
      certificate: {
        subjectCommonName: "billing-bot",
        notBefore: Date.parse("2026-01-02T03:04:05Z"),
        notAfter: Date.parse("2027-01-02T03:04:05Z"),
        fingerprint256: node.fingerprint256,
      },
    });
    expect(parsedCert.spkiPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    expect(parsedCert.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(parsedCert.fingerprint256).not.toBe(parsedCert.certificate!.fingerprint256);
    expect(parsedCert.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("reads the same key from DER, CRLF, surrounding whitespace and notes, a BOM, UTF-16 and a bare base64 body", () => {
    const lf = rsaCert.pem.replace(/\r\n/g, "\n");
    const body = lf.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").trim();
    const forms: (Uint8Array | string)[] = [
      lf,
      rsaCert.der,
      text(lf.replace(/\n/g, "\r\n")),
      `\r\n\r\n   ${lf.replace(/\n/g, "\r\n")}\r\n\t \r\n`,
      text(`subject=CN = billing-bot\nissuer=CN = billing-bot\n${lf}`),
      text(`\uFEFF${lf}`),
      `\uFEFF${lf}`,
      concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(lf, "utf16le"))),
      `${body}\n`,
    ];
    for (const form of forms) expect(readPublicKeyUpload(form)).toEqual(parsedCert);
  });

  it("reads SPKI and PKCS #1 public keys in PEM and DER, with the same fingerprint and thumbprint as the certificate form", async () => {
    const key = new X509Certificate(rsaCert.der).publicKey;
    const pkcs1 = key.export({ format: "pem", type: "pkcs1" }) as string;
    expect(pkcs1).toMatch(/^-----BEGIN RSA PUBLIC KEY-----/);
    const forms: (Uint8Array | string)[] = [spkiPem(key), text(pkcs1), pkcs1.replace(/\n/g, "\r\n"), spkiDer(key), new Uint8Array(key.export({ format: "der", type: "pkcs1" }))];
    for (const form of forms) {
      expect(readPublicKeyUpload(form)).toEqual({ ...parsedCert, source: "public_key", certificate: null });
    }
    expect(parsedCert.thumbprint).toBe(await calculateJwkThumbprint(key));
  });

  it("reads keys up to 8192 bits and reports their size", () => {
    expect(readPublicKeyUpload(spkiPem(rsaPublicKey(8192))).bits).toBe(8192);
    expect(readPublicKeyUpload(spkiPem(rsaPublicKey(3072))).bits).toBe(3072);
    expect(readPublicKeyUpload(spkiPem(rsaPublicKey(2048))).bits).toBe(2048);
  });

  it("computes the RFC 7638 thumbprint and the SPKI fingerprint for any key", async () => {
    for (let i = 0; i < 5; i++) {
      const key = rsaPublicKey(2048 + 8 * i);
      const parsed = readPublicKeyUpload(spkiPem(key));
      expect(parsed.thumbprint).toBe(await calculateJwkThumbprint(key));
      expect(parsed.fingerprint256).toBe(colonHex(spkiDer(key)));
    }
  });

  it("accepts a file of exactly the size limit", () => {
    const padded = rsaCert.pem + "#".repeat(MAX_PUBLIC_KEY_BYTES - rsaCert.pem.length);
    expect(readPublicKeyUpload(text(padded)).fingerprint256).toBe(parsedCert.fingerprint256);
    expect(readPublicKeyUpload(padded).fingerprint256).toBe(parsedCert.fingerprint256);
  });
});

describe("readPublicKeyUpload: refusals", () => {
  it("refuses every kind of private key, also next to a certificate, before reading anything else", () => {
    const pkcs1 = rsa.privateKey.export({ format: "pem", type: "pkcs1" }) as string;
    const encrypted = rsa.privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "secret" }) as string;
    const pkcs8Body = rsaCert.privateKeyPem.split("\n").filter((l) => l && !l.startsWith("-----")).join("\n");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(pkcs1).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const forms: (Uint8Array | string)[] = [
      rsaCert.privateKeyPem,
      text(pkcs1),
      encrypted,
      `${rsaCert.pem}${rsaCert.privateKeyPem}`,
      `${rsaCert.privateKeyPem}\n${rsaCert.pem}`,
      `${spkiPem(rsa.publicKey)}${pkcs1}`,
      rsaCert.privateKeyPem.slice(0, 100),
      rsaCert.privateKeyPem.toLowerCase(),
      ec.privateKey.export({ format: "pem", type: "sec1" }),
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
      "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPublic-Lines: 1\nAAAA\nPrivate-Lines: 1\nAAAA\n",
      // A private key under a public label, in PEM and as a bare body: node would derive its public half.
      `-----BEGIN PUBLIC KEY-----\n${pkcs8Body}\n-----END PUBLIC KEY-----\n`,
      `-----BEGIN RSA PUBLIC KEY-----\n${(rsa.privateKey.export({ format: "der", type: "pkcs1" })).toString("base64")}\n-----END RSA PUBLIC KEY-----\n`,
      pkcs8Body,
      new Uint8Array(rsa.privateKey.export({ format: "der", type: "pkcs8" })),
      new Uint8Array(rsa.privateKey.export({ format: "der", type: "pkcs1" })),
      new Uint8Array(ec.privateKey.export({ format: "der", type: "sec1" })),
      new Uint8Array(rsa.privateKey.export({ format: "der", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "secret" })),
      concat(rsaCert.der, new Uint8Array(rsa.privateKey.export({ format: "der", type: "pkcs8" }))),
    ];
    for (const form of forms) expect(refusal(form, "certificate_pub.crt")).toBe(PRIVATE);
  });

  it("refuses PKCS #12 bundles by name", () => {
    expect(refusal(rsaCert.der, "client.p12")).toBe(
      "This is a PKCS #12 (.p12/.pfx) file, which holds a private key. Upload only certificate_pub.crt or the public key; keep private.key secret.",
    );
    expect(refusal(rsaCert.der, "C:\\fakepath\\Client.PFX")).toMatch(/^This is a PKCS #12/);
  });

  it("refuses EC, Ed25519, RSA-PSS and DSA keys, saying only RSA is accepted because tokens are RS256", () => {
    const ed = generateKeyPairSync("ed25519").publicKey;
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
    const pss = generateKeyPairSync("rsa-pss", { modulusLength: 2048 }).publicKey;
    expect(refusal(ecCert.pem)).toBe(NOT_RSA("certificate", "an EC (elliptic curve) key"));
    expect(refusal(ecCert.der)).toBe(NOT_RSA("certificate", "an EC (elliptic curve) key"));
    expect(refusal(spkiPem(ec))).toBe(NOT_RSA("file", "an EC (elliptic curve) key"));
    expect(refusal(spkiPem(ed))).toBe(NOT_RSA("file", "an Ed25519 key"));
    expect(refusal(spkiDer(ed))).toBe(NOT_RSA("file", "an Ed25519 key"));
    expect(refusal(spkiPem(pss))).toBe(NOT_RSA("file", "an RSA-PSS key"));
  });

  it("refuses RSA keys under 2048 or over 8192 bits, and unusable exponents", async () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
    expect(refusal(spkiPem(small))).toBe(BITS(1024));
    expect(refusal(small.export({ format: "pem", type: "pkcs1" }) as string)).toBe(BITS(1024));
    expect(refusal(spkiPem(rsaPublicKey(2040)))).toBe(BITS(2040));
    expect(refusal(spkiPem(rsaPublicKey(8200)))).toBe(BITS(8200));
    expect(refusal(await rsaCertificate(1024))).toBe(BITS(1024));
    for (const e of ["AQ", "Ag", "AQAA"]) {
      expect(refusal(spkiPem(rsaPublicKey(2048, e)))).toBe("This RSA key has an unusable public exponent. Generate a new key (openssl uses 65537).");
    }
  });

  it("refuses several certificates or keys in one file", () => {
    const other = spkiPem(rsa.publicKey);
    expect(refusal(rsaCert.pem + rsaCert.pem)).toBe(SEVERAL(2));
    expect(refusal(`${rsaCert.pem}\n${other}`)).toBe(SEVERAL(2));
    expect(refusal(`${other}${other}${other}`)).toBe(SEVERAL(3));
    expect(refusal(concat(rsaCert.der, rsaCert.der))).toBe(SEVERAL(2));
    expect(refusal(concat(spkiDer(rsa.publicKey), rsaCert.der))).toBe(SEVERAL(2));
    expect(refusal("-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n")).toBe("This file is a PKCS #7 certificate bundle. Upload a file with a single certificate or public key.");
    const body = other.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
    expect(refusal(`${rsaCert.pem}\n${body}\n`)).toMatch(/^This file holds more than one certificate or public key/);
  });

  it("refuses certificate signing requests in PEM and DER", async () => {
    const csr = await makeCertificateRequest("CN=billing-bot");
    const message = "This file is a certificate signing request (CSR), not a certificate. Upload certificate_pub.crt or the public key.";
    for (const form of [csr.pem, text(csr.pem.replace(/CERTIFICATE REQUEST/g, "NEW CERTIFICATE REQUEST")), csr.der]) expect(refusal(form)).toBe(message);
  });

  it("refuses empty, oversized, truncated, foreign and garbage input", () => {
    for (const empty of ["", new Uint8Array(), " \r\n\t\n", text("\r\n")]) expect(refusal(empty)).toBe("The public key file is empty.");
    const tooLarge = (n: number) => `This file is too large to be a public key or certificate (${n} bytes; the limit is 64 KiB).`;
    expect(refusal(new Uint8Array(MAX_PUBLIC_KEY_BYTES + 1).fill(0x41))).toBe(tooLarge(MAX_PUBLIC_KEY_BYTES + 1));
    expect(refusal("A".repeat(MAX_PUBLIC_KEY_BYTES + 1))).toBe(tooLarge(MAX_PUBLIC_KEY_BYTES + 1));
    expect(refusal("é".repeat(MAX_PUBLIC_KEY_BYTES / 2 + 1))).toBe(tooLarge(MAX_PUBLIC_KEY_BYTES + 2));
    expect(refusal(rsaCert.pem.slice(0, 300))).toBe("This file is incomplete: it has a -----BEGIN CERTIFICATE----- line but no -----END CERTIFICATE----- line.");
    expect(refusal("-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n")).toBe(
      "This file contains a X509 CRL block, not a public key or certificate. Upload only certificate_pub.crt or the public key; keep private.key secret.",
    );
    expect(refusal(`ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host\n`)).toMatch(/^This is an OpenSSH public key\. Convert it with `ssh-keygen -e -m PKCS8/);
    const garbage: (Uint8Array | string)[] = [
      "hello, this is not a key",
      "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n",
      "-----BEGIN PUBLIC KEY-----\nTUlJQg==\n-----END PUBLIC KEY-----\n",
      "-----BEGIN CERTIFICATE-----\nMIIBCgKCAQEA\n-----END CERTIFICATE-----\n",
      "-----BEGIN public key-----\nabc\n-----END public key-----",
      rsaCert.der.subarray(0, rsaCert.der.length - 10),
      concat(rsaCert.der, new Uint8Array([0, 1, 2])),
      concat(spkiDer(rsa.publicKey), new Uint8Array([0])),
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      new Uint8Array([0x00, 0xff, 0x13, 0x37]),
      Buffer.from("not DER").toString("base64"),
    ];
    for (const form of garbage) expect(refusal(form), String(form).slice(0, 40)).toBe(UNREADABLE);
  });

  it("only ever throws InvalidRequest, for arbitrary input and for damaged certificates and keys", () => {
    const damaged = fc
      .tuple(fc.constantFrom(rsaCert.der, text(rsaCert.pem), spkiDer(rsa.publicKey), text(spkiPem(rsa.publicKey))), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 2000 }))
      .map(([bytes, at, byte, cut]) => {
        const copy = new Uint8Array(bytes.subarray(0, Math.max(1, bytes.length - (cut % bytes.length))));
        copy[at % copy.length] = byte;
        return copy;
      });
    const pemish = fc.string({ unit: fc.constantFrom(..."-----BEGIN PUBLIC KEY CERTIFICATE END RSA\n\r MIIB+/="), maxLength: 300 });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), damaged, fc.string({ maxLength: 2000 }), pemish), (input) => {
        try {
          const parsed = readPublicKeyUpload(input);
          expect(parsed.fingerprint256).toBe(colonHex(spkiDer(createPublicKey(parsed.spkiPem))));
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidRequest);
        }
      }),
      { numRuns: 400 },
    );
  });
});

// openssl is a test requirement (.ci/run installs it when missing): these read its real output.
describe("readPublicKeyUpload with files openssl writes", () => {
  let dir: string;
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const file = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "keyward-public-key-"));
    openssl("req", "-x509", "-sha256", "-nodes", "-newkey", "rsa:2048", "-keyout", "private.key", "-out", "certificate_pub.crt", "-subj", "/CN=Keyward JWT client", "-days", "365");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads certificate_pub.crt, its DER, text dump and public keys as the same key", () => {
    const cert = readPublicKeyUpload(file("certificate_pub.crt"), "certificate_pub.crt");
    expect(cert.source).toBe("certificate");
    expect(cert.bits).toBe(2048);
    expect(cert.certificate?.subjectCommonName).toBe("Keyward JWT client");
    expect(cert.certificate!.notAfter - cert.certificate!.notBefore).toBe(365 * 86_400_000);
    const same = (bytes: Uint8Array) => expect(readPublicKeyUpload(bytes).fingerprint256).toBe(cert.fingerprint256);
    same(new Uint8Array(openssl("x509", "-in", "certificate_pub.crt", "-outform", "DER")));
    same(new Uint8Array(openssl("x509", "-in", "certificate_pub.crt", "-text")));
    same(new Uint8Array(openssl("x509", "-in", "certificate_pub.crt", "-pubkey", "-noout")));
    same(new Uint8Array(openssl("rsa", "-in", "private.key", "-pubout")));
    same(new Uint8Array(openssl("rsa", "-in", "private.key", "-RSAPublicKey_out")));
  });

  it("refuses private.key, the key and certificate together, a CSR and a PKCS #12 bundle", () => {
    expect(refusal(file("private.key"), "private.key")).toBe(PRIVATE);
    expect(refusal(concat(file("certificate_pub.crt"), file("private.key")))).toBe(PRIVATE);
    expect(refusal(new Uint8Array(openssl("rsa", "-in", "private.key", "-traditional")))).toBe(PRIVATE);
    expect(refusal(new Uint8Array(openssl("req", "-new", "-key", "private.key", "-subj", "/CN=x")))).toMatch(/^This file is a certificate signing request/);
    const p12 = new Uint8Array(openssl("pkcs12", "-export", "-inkey", "private.key", "-in", "certificate_pub.crt", "-passout", "pass:secret"));
    expect(refusal(p12, "bundle.bin")).toBe(PRIVATE);
  });
});

describe("generateRsaKeyPair", () => {
  it("makes an RSA 2048 key pair with e = 65537: a PKCS #8 private key and its parsed public key", async () => {
    const { privateKeyPem, publicKey } = await generateRsaKeyPair();
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(publicKey.source).toBe("public_key");
    expect(publicKey.bits).toBe(2048);
    expect(publicKey.certificate).toBeNull();
    expect(createPublicKey(publicKey.spkiPem).asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
    const signature = sign("sha256", Buffer.from("payload"), privateKeyPem);
    expect(verify("sha256", Buffer.from("payload"), publicKey.spkiPem, signature)).toBe(true);
    expect(refusal(privateKeyPem)).toBe(PRIVATE);
    expect((await generateRsaKeyPair()).publicKey.thumbprint).not.toBe(publicKey.thumbprint);
  });
});

describe("publicKeyObject", () => {
  it("imports a stored SPKI PEM once and returns the same KeyObject afterwards", () => {
    const key = publicKeyObject(parsedCert.spkiPem);
    expect(key.type).toBe("public");
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(publicKeyObject(parsedCert.spkiPem)).toBe(key);
  });

  it("stays bounded: the memo is cleared once it holds 1,000 keys", () => {
    const first = publicKeyObject(`${parsedCert.spkiPem}\n`);
    let dropped = false;
    for (let i = 2; i <= 1_001 && !dropped; i++) {
      publicKeyObject(parsedCert.spkiPem + "\n".repeat(i));
      dropped = publicKeyObject(`${parsedCert.spkiPem}\n`) !== first;
    }
    expect(dropped).toBe(true);
  });

  it("refuses anything but an SPKI public key PEM, including a private key", () => {
    expect(() => publicKeyObject(rsaCert.privateKeyPem)).toThrow();
    expect(() => publicKeyObject("garbage")).toThrow();
  });
});
