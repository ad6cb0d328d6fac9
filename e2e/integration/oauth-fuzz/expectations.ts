/**
 * Which realistic calls must succeed: a model of the documented API. A call with a right client
 * credential and a live grant, sent as clients send it (POST, form, JSON or multipart with their
 * content types, no junk), must be answered 200. Single-use grants (a code, a JWT with a jti, a
 * rotating refresh token) succeed once however many copies race; the rest succeed every time.
 */
import type { Param } from "../fuzz/case";
import { FORM_TYPES, JSON_TYPES } from "./vocabulary";

/** "single": exactly one of the copies succeeds; "multi": every copy does; null: no expectation. */
export type Expectation = "single" | "multi" | null;

type Client = "web" | "m2m" | "spa";

const GOOD_BASIC = /^(?:Basic |basic |BASIC |Basic {2}|bAsIc )\{\{basic\.(web|m2m|m2m2)(?:\.(?:nopad|pct))?\}\}$/;
const OWN_SECRETS: Record<Client, string[]> = { web: ["{{web.secret}}"], m2m: ["{{m2m.secret}}", "{{m2m.secret2}}"], spa: [] };

/** The client a call authenticates as when its credential is right and sent one accepted way; null otherwise. */
function clientOf(authorization: string | null, ps: Map<string, string>, basicAllowed: boolean): Client | null {
  const id = ps.get("client_id");
  const secret = ps.get("client_secret");
  if (authorization !== null) {
    const m = basicAllowed ? GOOD_BASIC.exec(authorization) : null;
    if (!m) return null;
    const client: Client = m[1] === "web" ? "web" : "m2m";
    return secret === undefined && (id === undefined || id === `{{${client}.id}}`) ? client : null;
  }
  for (const client of ["web", "m2m"] as const) if (id === `{{${client}.id}}` && secret !== undefined && OWN_SECRETS[client].includes(secret)) return client;
  if (id === "{{spa.id}}" && (secret === undefined || secret === "")) return "spa";
  return null;
}

const only = (ps: Map<string, string>, allowed: string[]) => [...ps.keys()].every((k) => allowed.includes(k));
const AUTH_PARAMS = ["client_id", "client_secret"];

export function expectationOf(endpoint: string, params: Param[], authorization: string | null): Expectation {
  const ps = new Map(params.map((p) => [p.name, p.value]));
  if (ps.size !== params.length) return null;
  const client = clientOf(authorization, ps, endpoint !== "exchange");
  if (client === null) return null;
  const token = ps.get("token");
  switch (endpoint) {
    case "token": {
      if (ps.get("grant_type") === "authorization_code") {
        if (!only(ps, ["grant_type", "code", "redirect_uri", "code_verifier", ...AUTH_PARAMS]) || ps.get("redirect_uri") !== "{{redirect}}") return null;
        const code = ps.get("code");
        const verifier = ps.get("code_verifier");
        if (client === "web" && code === "{{code.web}}" && verifier === undefined) return "single";
        if (client === "web" && code === "{{code.web.pkce}}" && verifier === "{{verifier.web.pkce}}") return "single";
        if (client === "spa" && code === "{{code.spa}}" && verifier === "{{verifier.spa}}") return "single";
        return null;
      }
      if (ps.get("grant_type") === "refresh_token") {
        if (!only(ps, ["grant_type", "refresh_token", ...AUTH_PARAMS])) return null;
        // The web app rotates its refresh tokens; the single-page app does not.
        if (client === "web" && ps.get("refresh_token") === "{{token.web.refresh}}") return "single";
        if (client === "spa" && ps.get("refresh_token") === "{{token.spa.refresh}}") return "multi";
      }
      return null;
    }
    case "exchange": {
      const jwt = ps.get("jwt_token");
      if (client !== "m2m" || !only(ps, ["jwt_token", ...AUTH_PARAMS]) || jwt === undefined) return null;
      if (jwt === "{{jwt.nojti}}") return "multi";
      return ["{{jwt.generated}}", "{{jwt.certificate}}", "{{jwt.kid}}", "{{jwt.thumbprint}}"].includes(jwt) ? "single" : null;
    }
    case "revoke":
    case "introspect":
      // Any token, known or not, is answered 200 once the client is authenticated (introspection: confidential clients only).
      if (!only(ps, ["token", "token_type_hint", ...AUTH_PARAMS]) || token === undefined || token === "") return null;
      return endpoint === "introspect" && client === "spa" ? null : "multi";
    default:
      return null;
  }
}

/** Whether the way a call is delivered is one the API documents (no junk added). */
export function deliveryIsPlain(d: { encoding: string; formType: string | null; jsonType: string | null; multipartType: string | null; method: string; mutations: unknown[]; headers: unknown[] }): boolean {
  if (d.mutations.length > 0 || d.headers.length > 0 || !["POST", "post"].includes(d.method)) return false;
  switch (d.encoding) {
    case "form":
      // The body is ASCII: any charset but UTF-16 reads it the same.
      return d.formType !== null && FORM_TYPES.includes(d.formType) && !d.formType.toLowerCase().includes("utf-16");
    case "json":
      return d.jsonType !== null && JSON_TYPES.includes(d.jsonType);
    case "multipart":
      return d.multipartType === null;
    default:
      return false;
  }
}
