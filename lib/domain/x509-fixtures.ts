/**
 * Test certificates generated on the fly, so unit, integration and UI tests never depend on checked-in
 * key material or on certificates that expire. Not used by the application.
 */
// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import {
  BasicConstraintsExtension,
  Name,
  Pkcs10CertificateRequestGenerator,
  X509CertificateGenerator,
  type Extension,
  type JsonNameParams,
  type X509Certificate,
} from "@peculiar/x509";

/** `"CN=a, O=b"` or JSON RDNs: `[{ CN: ["a"] }, { OU: ["x", "y"] }]` (one object is one RDN, so x+y). */
export type CertificateName = string | JsonNameParams;
export type KeyAlgorithm = "ECDSA" | "RSA";

export interface GeneratedCertificate {
  /** PEM as @peculiar/x509 writes it (64-character lines, LF). */
  pem: string;
  der: Uint8Array;
  /** The certificate's own key, for signing further certificates in a test chain. */
  privateKey: CryptoKey;
  /** PKCS #8 PEM of privateKey, for tests of uploads that must be refused. */
  privateKeyPem: string;
  certificate: X509Certificate;
  keyAlgorithm: KeyAlgorithm;
}

export interface CertificateOptions {
  subject?: CertificateName;
  /** Signs the new certificate with this one's key and uses its subject as the issuer; default self-signed. */
  issuedBy?: GeneratedCertificate;
  /** Hex; default random. */
  serialNumber?: string;
  notBefore?: Date;
  notAfter?: Date;
  keyAlgorithm?: KeyAlgorithm;
  /** Adds basicConstraints cA=true, for an issuing certificate. */
  ca?: boolean;
}

const crypto = webcrypto as unknown as Crypto;
const DAY = 86_400_000;

/** P-256 keeps tests fast; RSA 2048 for tests that need the other common key type. */
function algorithm(kind: KeyAlgorithm): RsaHashedKeyGenParams | EcKeyGenParams & { hash: string } {
  return kind === "RSA"
    ? { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
}

async function keyPair(kind: KeyAlgorithm): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(algorithm(kind), true, ["sign", "verify"]);
}

export async function makeCertificate(opts: CertificateOptions = {}): Promise<GeneratedCertificate> {
  const keyAlgorithm = opts.keyAlgorithm ?? "ECDSA";
  const keys = await keyPair(keyAlgorithm);
  const now = Date.now();
  const base = {
    serialNumber: opts.serialNumber,
    notBefore: opts.notBefore ?? new Date(now - DAY),
    notAfter: opts.notAfter ?? new Date(now + 365 * DAY),
    extensions: opts.ca ? ([new BasicConstraintsExtension(true, undefined, true)] as Extension[]) : [],
  };
  const subject = new Name(opts.subject ?? "CN=Keyward test client");
  const certificate = opts.issuedBy
    ? await X509CertificateGenerator.create(
        {
          ...base,
          subject,
          issuer: opts.issuedBy.certificate.subjectName,
          publicKey: keys.publicKey,
          signingKey: opts.issuedBy.privateKey,
          signingAlgorithm: algorithm(opts.issuedBy.keyAlgorithm),
        },
        crypto,
      )
    : await X509CertificateGenerator.createSelfSigned({ ...base, name: subject, keys, signingAlgorithm: algorithm(keyAlgorithm) }, crypto);
  return {
    pem: certificate.toString("pem"),
    der: new Uint8Array(certificate.rawData),
    privateKey: keys.privateKey,
    privateKeyPem: await privateKeyPem(keys.privateKey),
    certificate,
    keyAlgorithm,
  };
}

/** A PKCS #10 certificate signing request, the file a client sends its CA (never a certificate). */
export async function makeCertificateRequest(subject: CertificateName = "CN=Keyward test client"): Promise<{ pem: string; der: Uint8Array }> {
  const alg = algorithm("ECDSA");
  const csr = await Pkcs10CertificateRequestGenerator.create({ name: new Name(subject), keys: await keyPair("ECDSA"), signingAlgorithm: alg }, crypto);
  return { pem: csr.toString("pem"), der: new Uint8Array(csr.rawData) };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", key)).toString("base64");
  return `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)?.join("\n") ?? ""}\n-----END PRIVATE KEY-----\n`;
}
