/**
 * The JWT assertions of the IMS fuzz. A case describes each one structurally (which key, which
 * algorithm, the header and claim members in order, a jti or not, how the compact text is spoiled),
 * so that it shrinks and reads well in a counterexample; it is signed with node:crypto when the case
 * is sent, against the server's clock, member by member, so that duplicate and `__proto__` names
 * survive into the JSON text.
 */
import { constants, createHash, createHmac, randomUUID, sign, type KeyObject } from "node:crypto";
import type { JsonValue } from "../fuzz/case";
import { resolve, resolveJson, type Refs } from "../fuzz/placeholders";

export type SignAlg = "RS256" | "RS384" | "RS512" | "PS256" | "HS256" | "ES256" | "none";

/** `exp` relative to the server's clock when the assertion is signed, in a given form. */
export interface ExpIn {
  $exp: number;
  form: "int" | "float" | "string" | "ms";
}
export type ClaimValue = JsonValue | ExpIn;
export type Member = [string, ClaimValue];

/** How the compact text is spoiled after signing. */
export type Mangle =
  | { kind: "none" }
  /** Cut at a position (never the whole text). */
  | { kind: "truncate"; at: number }
  /** One character other than a dot changed to another base64url character. */
  | { kind: "flip"; at: number; by: number }
  /** The signature's last character spelled with other unused bits: the same bytes, a second spelling. */
  | { kind: "lastBits" }
  | { kind: "pad" }
  | { kind: "stdAlphabet" }
  | { kind: "spaces" }
  | { kind: "dropSignature" }
  | { kind: "extraPart" }
  | { kind: "swap" }
  | { kind: "twice" }
  | { kind: "longer"; n: number };

export interface AssertionSpec {
  /** An RSA key name of the world (a credential's, or "foreign"), "ec" (a foreign P-256 key), or "hmac:<text>" (a shared secret, placeholders allowed). */
  key: string;
  /** The algorithm the signature is made with (the header may claim another). */
  alg: SignAlg;
  header: Member[] | { raw: string };
  claims: Member[] | { raw: string };
  /** "fresh": a new random jti member last, made when signed. */
  jti: "fresh" | "none";
  mangle: Mangle;
}

export interface SigningKeys {
  rsa: ReadonlyMap<string, KeyObject>;
  ec: KeyObject;
}

export interface SignedAssertion {
  spec: AssertionSpec;
  text: string;
  headerText: string;
  payloadText: string;
  /** The fresh jti it carries, if any. */
  jti: string | null;
  /** Not spoiled after signing. */
  intact: boolean;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export const isExpIn = (v: unknown): v is ExpIn =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 2 && typeof (v as ExpIn).$exp === "number" && typeof (v as ExpIn).form === "string";

function valueOf(v: ClaimValue, refs: Refs, nowMs: number): JsonValue {
  if (isExpIn(v)) {
    const seconds = Math.floor(nowMs / 1000) + v.$exp;
    switch (v.form) {
      case "int":
        return seconds;
      case "float":
        return seconds + 0.5;
      case "string":
        return String(seconds);
      case "ms":
        return seconds * 1000;
    }
  }
  return resolveJson(v, refs);
}

/** A JSON object written member by member (repeated names and `__proto__` kept as written). */
export function objectText(members: Member[] | { raw: string }, refs: Refs, nowMs: number): string {
  if (!Array.isArray(members)) return resolve(members.raw, refs);
  return `{${members.map(([k, v]) => `${JSON.stringify(resolve(k, refs))}:${JSON.stringify(valueOf(v, refs, nowMs))}`).join(",")}}`;
}

const b64 = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s, "utf8") : s).toString("base64url");

/** A signature that verifies under no key: bytes derived from the input, of an RSA signature's length. */
const junkSignature = (input: string) => Buffer.concat(Array.from({ length: 8 }, (_, i) => createHash("sha256").update(`${i}:${input}`).digest()));

function signature(spec: AssertionSpec, input: string, keys: SigningKeys, refs: Refs): Buffer {
  const data = Buffer.from(input, "ascii");
  const rsa = keys.rsa.get(spec.key);
  switch (spec.alg) {
    case "none":
      return Buffer.alloc(0);
    case "RS256":
    case "RS384":
    case "RS512":
      return rsa ? sign(`sha${spec.alg.slice(2)}`, data, rsa) : junkSignature(input);
    case "PS256":
      return rsa ? sign("sha256", data, { key: rsa, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) : junkSignature(input);
    case "ES256":
      return spec.key === "ec" ? sign("sha256", data, { key: keys.ec, dsaEncoding: "ieee-p1363" }) : junkSignature(input);
    case "HS256":
      return createHmac("sha256", spec.key.startsWith("hmac:") ? resolve(spec.key.slice(5), refs) : spec.key).update(data).digest();
  }
}

function mangled(text: string, m: Mangle): string {
  const [h = "", p = "", s = ""] = text.split(".");
  switch (m.kind) {
    case "none":
      return text;
    case "truncate":
      return text.slice(0, m.at % text.length);
    case "flip": {
      const positions = [...text].map((c, i) => (c === "." ? -1 : i)).filter((i) => i >= 0);
      if (positions.length === 0) return `${text}A`;
      const i = positions[m.at % positions.length]!;
      const c = B64URL.indexOf(text[i]!);
      const next = B64URL[(Math.max(c, 0) + 1 + (m.by % 63)) % 64]!;
      return text.slice(0, i) + next + text.slice(i + 1);
    }
    case "lastBits": {
      if (s === "" || s.length % 4 === 0) return `${text}A`;
      // The last character carries 2 or 4 unused low bits: set one of them.
      const c = B64URL.indexOf(s[s.length - 1]!);
      return `${h}.${p}.${s.slice(0, -1)}${B64URL[c ^ 1]}`;
    }
    case "pad":
      return `${text}==`;
    case "stdAlphabet": {
      const std = text.replace(/-/g, "+").replace(/_/g, "/");
      return std === text ? `${h}.${p}.+${s.slice(1)}` : std;
    }
    case "spaces":
      return ` ${text}\t`;
    case "dropSignature":
      return `${h}.${p}`;
    case "extraPart":
      return `${text}.${s || "AAAA"}`;
    case "swap":
      return `${p}.${h}.${s}`;
    case "twice":
      return `${text}${text}`;
    case "longer":
      return `${text}${"A".repeat(m.n)}`;
  }
}

/** Signs an assertion now: placeholders resolved, exp against the clock, a fresh jti when asked. */
export function signAssertion(spec: AssertionSpec, keys: SigningKeys, refs: Refs, nowMs: number): SignedAssertion {
  const jti = spec.jti === "fresh" && Array.isArray(spec.claims) ? randomUUID() : null;
  const claims: Member[] | { raw: string } = jti !== null && Array.isArray(spec.claims) ? [...spec.claims, ["jti", jti]] : spec.claims;
  const headerText = objectText(spec.header, refs, nowMs);
  const payloadText = objectText(claims, refs, nowMs);
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  const text = `${input}.${b64(signature(spec, input, keys, refs))}`;
  return { spec, text: mangled(text, spec.mangle), headerText, payloadText, jti, intact: spec.mangle.kind === "none" };
}

/** The header @adobe/jwt-auth writes. */
export const STANDARD_HEADER: Member[] = [
  ["alg", "RS256"],
  ["typ", "JWT"],
];
