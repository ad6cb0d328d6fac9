/**
 * The {{...}} placeholders of OAuth cases and their current values: client IDs and secrets, Basic
 * credentials in good and odd encodings, tokens, codes and verifiers (as repaired), JWT assertions
 * signed for the case that names them, and `{{typo.NAME}}`, NAME with one character changed.
 */
import { randomUUID } from "node:crypto";
import type { TestRuntime } from "../../../lib/testing/runtime";
import type { Refs } from "../fuzz/placeholders";
import { nowSeconds, signAssertion, unsignedJwt } from "../oauth-helpers";
import { REDIRECT } from "../oauth-code-helpers";
import { OTHER_REDIRECT, type WorldKeeper } from "./world";

/** Odd spellings of a Basic credential; `basic.APP.VARIANT`. */
export const BASIC_VARIANTS = ["nopad", "url", "pct", "plain", "nocolon", "empty", "typo", "badutf8", "badpct", "swapped", "space", "latin1", "newline", "double"] as const;
export const BASIC_APPS = ["web", "m2m", "m2m2", "spa"] as const;

/** JWT assertions a case may name: signed when the case is sent, each with a fresh jti unless told. */
export const VALID_JWTS = ["jwt.generated", "jwt.certificate", "jwt.nojti", "jwt.kid", "jwt.thumbprint"] as const;
export const BAD_JWTS = ["jwt.used", "jwt.expired", "jwt.far", "jwt.stranger", "jwt.wrongsub", "jwt.wrongiss", "jwt.unsigned", "jwt.nbf", "jwt.longjti", "jwt.swapped", "jwt.hs256"] as const;

/** One character changed, in the middle (so it is never only padding or a trailing newline). */
export function typo(s: string): string {
  if (s === "") return "x";
  const i = Math.floor(s.length / 2);
  return s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
}

/** RFC 6749 2.3.1: each part form-encoded, then base64. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
const b64 = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s, "utf8") : s).toString("base64");
const pctAll = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

function basicVariants(id: string, secret: string): Record<string, string> {
  const good = b64(`${formEncode(id)}:${formEncode(secret)}`);
  return {
    "": good,
    nopad: good.replace(/=+$/, ""),
    url: good.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    pct: b64(`${pctAll(id)}:${pctAll(secret)}`),
    plain: `${id}:${secret}`,
    nocolon: b64(`${id}${secret}`),
    empty: b64(`${id}:`),
    typo: b64(`${id}:${typo(secret)}`),
    badutf8: b64(Buffer.concat([Buffer.from(`${id}:`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])])),
    badpct: b64(`${id}:%zz${secret}`),
    swapped: b64(`${secret}:${id}`),
    space: b64(` ${id}:${secret}`),
    latin1: Buffer.from(`${id}:${secret}\u00e9`, "latin1").toString("base64"),
    newline: b64(`${id}:${secret}\n`),
    double: `${good} ${good}`,
  };
}

/** The placeholders whose values need no signing: everything but the JWTs (and their typos). */
export function staticRefs(keeper: WorldKeeper): Refs {
  const w = keeper.world;
  const { m2m, web, spa } = w.apps;
  const live = w.live;
  const refs: Refs = new Map([
    ["m2m.id", m2m.clientId],
    ["m2m.secret", m2m.secrets[0]],
    ["m2m.secret2", m2m.secrets[1]],
    ["web.id", web.clientId],
    ["web.secret", web.secret],
    ["spa.id", spa.clientId],
    ["redirect", REDIRECT],
    ["redirect.other", OTHER_REDIRECT],
    ["token.web.access", live.webAccess],
    ["token.web.refresh", live.webRefresh],
    ["token.web.rotated", live.webRotated],
    ["token.spa.access", live.spaAccess],
    ["token.spa.refresh", live.spaRefresh],
    ["token.m2m.access", live.m2mAccess],
    ["token.spa.replayable", live.spaReplayable],
    ["token.web.first", live.firstWebAccess],
    ["code.web.first", live.firstWebCode],
    ["token.recent.access", live.recentAccess ?? live.m2mAccess],
    ["token.recent.refresh", live.recentRefresh ?? live.spaRefresh],
    ["code.web", live.codes.web.code],
    ["code.web.pkce", live.codes.webPkce.code],
    ["verifier.web.pkce", live.codes.webPkce.pkce!.verifier],
    ["code.spa", live.codes.spa.code],
    ["verifier.spa", live.codes.spa.pkce!.verifier],
    ["code.web.redeemed", live.codes.webRedeemed.code],
    ["code.spa.redeemed", live.codes.spaRedeemed.code],
    ["verifier.spa.redeemed", live.codes.spaRedeemed.pkce!.verifier],
    ["jwt.used", live.usedJwt.jwt],
    ["key.generated.private", m2m.generated.signer.privatePem],
    ["key.certificate.private", m2m.certificate.signer.privatePem],
    ["key.generated.id", m2m.generated.id],
    ["admin.id", w.admin.id],
  ]);
  const secretOf: Record<(typeof BASIC_APPS)[number], [string, string]> = {
    web: [web.clientId, web.secret],
    m2m: [m2m.clientId, m2m.secrets[0]],
    m2m2: [m2m.clientId, m2m.secrets[1]],
    spa: [spa.clientId, ""],
  };
  for (const app of BASIC_APPS) {
    const [id, secret] = secretOf[app];
    for (const [variant, value] of Object.entries(basicVariants(id, secret))) refs.set(variant ? `basic.${app}.${variant}` : `basic.${app}`, value);
  }
  return refs;
}

/** Signs the JWT a placeholder names (a fresh jti each time, unless it is the exchanged one). */
async function signJwt(keeper: WorldKeeper, rt: TestRuntime, name: string): Promise<string | undefined> {
  const w = keeper.world;
  const m2m = w.apps.m2m;
  const now = nowSeconds(rt);
  switch (name) {
    case "jwt.generated":
      return keeper.assertion("generated");
    case "jwt.certificate":
      return keeper.assertion("certificate");
    case "jwt.nojti":
      return keeper.assertion("generated", { claims: { jti: undefined } });
    case "jwt.kid":
      return keeper.assertion("generated", { header: { kid: m2m.generated.id } });
    case "jwt.thumbprint":
      return keeper.assertion("certificate", { header: { kid: m2m.certificate.thumbprint } });
    case "jwt.expired":
      return keeper.assertion("generated", { claims: { exp: now - 30 } });
    case "jwt.far":
      return keeper.assertion("generated", { claims: { exp: now + 2 * 86_400 } });
    case "jwt.stranger":
      return signAssertion(rt, w.stranger, m2m.generated.sub);
    case "jwt.wrongsub":
      return keeper.assertion("generated", { claims: { sub: w.second.id } });
    case "jwt.swapped":
      // The certificate key's creator as sub, signed by the generated key: each key has its own sub.
      return keeper.assertion("generated", { claims: { sub: m2m.certificate.sub } });
    case "jwt.wrongiss":
      return keeper.assertion("generated", { claims: { iss: "someone-else" } });
    case "jwt.nbf":
      return keeper.assertion("generated", { claims: { nbf: now + 3600 } });
    case "jwt.longjti":
      return keeper.assertion("generated", { claims: { jti: `${randomUUID()}${"j".repeat(300)}` } });
    case "jwt.unsigned":
      return unsignedJwt({ alg: "none" }, { iss: rt.customerId, sub: m2m.generated.sub, exp: now + 300, jti: randomUUID() });
    case "jwt.hs256": {
      const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: rt.customerId, sub: m2m.generated.sub, exp: now + 300 })}.${Buffer.from("not-a-signature").toString("base64url")}`;
    }
    default:
      return undefined;
  }
}

const PLACEHOLDER = /\{\{([\w.]+)\}\}/g;

/** The values of every placeholder the case text names; JWTs are signed now, typos made from their originals. */
export async function refsFor(keeper: WorldKeeper, rt: TestRuntime, caseText: string): Promise<Refs> {
  const refs = staticRefs(keeper);
  const names = new Set([...caseText.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  for (const name of names) {
    const base = name.startsWith("typo.") ? name.slice(5) : name;
    if (base.startsWith("jwt.") && !refs.has(base)) {
      const jwt = await signJwt(keeper, rt, base);
      if (jwt !== undefined) refs.set(base, jwt);
    }
    if (name !== base) {
      const original = refs.get(base);
      if (original !== undefined) refs.set(name, typo(original));
    }
  }
  return refs;
}
