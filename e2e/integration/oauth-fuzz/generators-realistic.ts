/**
 * Realistic OAuth requests: the right endpoint with a real client credential and a real grant
 * (a code with its verifier, a refresh token, a signed JWT, a token to revoke or introspect), in
 * one of the encodings clients use, now and then with a little junk: a wrong character, a
 * duplicated, dropped or renamed parameter, a parameter in the query, a wrong content type, an odd
 * Basic encoding, a trailing slash, another method.
 */
import fc from "fast-check";
import type { BodySpec, FuzzCase, JsonValue, Param } from "../fuzz/case";
import { deliveryIsPlain, expectationOf, type Expectation } from "./expectations";
import { clientIp, copies, elapsedMs } from "../fuzz/generators-delivery";
import {
  anyName,
  anyValue,
  basicFor,
  CODES,
  FORM_TYPES,
  GOOD_JWTS,
  INHERITED,
  junkHeader,
  JSON_TYPES,
  junkValue,
  METADATA_NAMES,
  OAUTH_PREFIX,
  ODD_GRANT_TYPES,
  REDIRECTS,
  TOKENS,
  typoOf,
  VERIFIERS,
  WRONG_JWTS,
} from "./vocabulary";

export type Endpoint = "token" | "revoke" | "introspect" | "exchange" | "metadata";

export interface Call {
  endpoint: Endpoint;
  params: Param[];
  authorization: string | null;
}
interface Auth {
  params: Param[];
  authorization: string | null;
}

const p = (name: string, value: string): Param => ({ name, value });
const post = (id: string, secret: string): Auth => ({ params: [p("client_id", id), p("client_secret", secret)], authorization: null });

/** How a web or machine-to-machine client authenticates: secret in the body or Basic, in good and odd forms. */
const confidentialAuth = (app: "web" | "m2m"): fc.Arbitrary<Auth> => {
  const secrets = app === "web" ? ["{{web.secret}}"] : ["{{m2m.secret}}", "{{m2m.secret2}}"];
  const basics = app === "web" ? (["web"] as const) : (["m2m", "m2m2"] as const);
  const id = `{{${app}.id}}`;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...secrets).map((s) => post(id, s)) },
    { weight: 6, arbitrary: fc.constantFrom(...basics).chain(basicFor).map((a): Auth => ({ params: [], authorization: a })) },
    { weight: 1, arbitrary: fc.constantFrom(...basics).chain(basicFor).map((a): Auth => ({ params: [p("client_id", id)], authorization: a })) },
    { weight: 1, arbitrary: fc.constantFrom(...basics).chain(basicFor).map((a): Auth => ({ params: [p("client_id", "{{spa.id}}")], authorization: a })) },
    { weight: 1, arbitrary: fc.constantFrom(...basics).map((b): Auth => ({ params: [p("client_secret", secrets[0]!)], authorization: `Basic {{basic.${b}}}` })) },
    { weight: 1, arbitrary: fc.constant<Auth>({ params: [p("client_id", id)], authorization: null }) },
    { weight: 1, arbitrary: fc.constantFrom("{{web.secret}}", "{{m2m.secret}}", "", "{{typo.web.secret}}").map((s) => post(id, s)) },
  );
};

/** How the single-page app (a public client) names itself, and near misses. */
const publicAuth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Auth>({ params: [p("client_id", "{{spa.id}}")], authorization: null }) },
  { weight: 1, arbitrary: basicFor("spa").map((a): Auth => ({ params: [], authorization: a })) },
  { weight: 1, arbitrary: fc.constantFrom("{{web.secret}}", "", "x").map((s) => post("{{spa.id}}", s)) },
  { weight: 1, arbitrary: fc.constantFrom("{{SPA.ID}}", "{{typo.spa.id}}").map((id): Auth => ({ params: [p("client_id", id)], authorization: null })) },
);

const authOf = (app: "web" | "spa" | "m2m") => (app === "spa" ? publicAuth : confidentialAuth(app));
const anyAuth = fc.constantFrom<"web" | "spa" | "m2m">("web", "web", "spa", "spa", "m2m").chain(authOf);

const withAuth = (endpoint: Endpoint, params: Param[], auth: Auth): Call => ({ endpoint, params: [...params, ...auth.params], authorization: auth.authorization });

const codeParams = (code: string, verifier: string | null, redirect = "{{redirect}}"): Param[] => [
  p("grant_type", "authorization_code"),
  p("code", code),
  p("redirect_uri", redirect),
  ...(verifier === null ? [] : [p("code_verifier", verifier)]),
];

const codeGrant: fc.Arbitrary<Call> = fc.oneof(
  { weight: 5, arbitrary: authOf("web").map((a) => withAuth("token", codeParams("{{code.web}}", null), a)) },
  { weight: 4, arbitrary: authOf("web").map((a) => withAuth("token", codeParams("{{code.web.pkce}}", "{{verifier.web.pkce}}"), a)) },
  { weight: 5, arbitrary: publicAuth.map((a) => withAuth("token", codeParams("{{code.spa}}", "{{verifier.spa}}"), a)) },
  { weight: 1, arbitrary: authOf("web").map((a) => withAuth("token", codeParams("{{code.web}}", null, "{{redirect.other}}"), a)) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      authOf("web").map((a) => withAuth("token", codeParams("{{code.web.redeemed}}", null), a)),
      publicAuth.map((a) => withAuth("token", codeParams("{{code.spa.redeemed}}", "{{verifier.spa.redeemed}}"), a)),
    ),
  },
  {
    // Mismatches: another client's code, a missing or wrong verifier, a PKCE downgrade, another redirect URL.
    weight: 4,
    arbitrary: fc
      .record({
        code: fc.constantFrom(...CODES),
        verifier: fc.option(fc.constantFrom(...VERIFIERS, "{{typo.verifier.spa}}", "short", "a".repeat(43), "a".repeat(129)), { nil: null }),
        redirect: fc.constantFrom(...REDIRECTS),
        auth: anyAuth,
      })
      .map(({ code, verifier, redirect, auth }) => withAuth("token", codeParams(code, verifier, redirect), auth)),
  },
);

const refreshParams = (token: string): Param[] => [p("grant_type", "refresh_token"), p("refresh_token", token)];
const refreshGrant: fc.Arbitrary<Call> = fc.oneof(
  { weight: 4, arbitrary: authOf("web").map((a) => withAuth("token", refreshParams("{{token.web.refresh}}"), a)) },
  { weight: 4, arbitrary: publicAuth.map((a) => withAuth("token", refreshParams("{{token.spa.refresh}}"), a)) },
  { weight: 1, arbitrary: authOf("web").map((a) => withAuth("token", refreshParams("{{token.web.rotated}}"), a)) },
  { weight: 2, arbitrary: fc.constantFrom<"web" | "spa">("web", "spa").chain(authOf).map((a) => withAuth("token", refreshParams("{{token.recent.refresh}}"), a)) },
  {
    weight: 2,
    arbitrary: fc.record({ token: fc.constantFrom(...TOKENS, ...CODES), auth: anyAuth, scope: fc.option(fc.constantFrom("", "openid", "admin"), { nil: undefined }) }).map(({ token, auth, scope }) =>
      withAuth("token", [...refreshParams(token), ...(scope === undefined ? [] : [p("scope", scope)])], auth),
    ),
  },
);

const otherGrants: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ grant: fc.constantFrom(...ODD_GRANT_TYPES), auth: anyAuth }).map(({ grant, auth }) => withAuth("token", [p("grant_type", grant), p("code", "{{code.web}}")], auth)),
  // A machine-to-machine app at the token endpoint.
  authOf("m2m").map((a) => withAuth("token", codeParams("{{code.web}}", null), a)),
  anyAuth.map((a) => withAuth("token", [p("code", "{{code.web}}"), p("redirect_uri", "{{redirect}}")], a)),
);

const exchangeParams = (id: string, secret: string | null, jwt: string): Param[] => [p("client_id", id), ...(secret === null ? [] : [p("client_secret", secret)]), p("jwt_token", jwt)];
const exchange: fc.Arbitrary<Call> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .record({ secret: fc.constantFrom("{{m2m.secret}}", "{{m2m.secret2}}"), jwt: fc.constantFrom(...GOOD_JWTS) })
      .map(({ secret, jwt }): Call => ({ endpoint: "exchange", params: exchangeParams("{{m2m.id}}", secret, jwt), authorization: null })),
  },
  {
    weight: 5,
    arbitrary: fc
      .record({ secret: fc.constantFrom("{{m2m.secret}}", "{{m2m.secret2}}"), jwt: fc.constantFrom(...WRONG_JWTS, "", "a.b.c", "{{token.m2m.access}}") })
      .map(({ secret, jwt }): Call => ({ endpoint: "exchange", params: exchangeParams("{{m2m.id}}", secret, jwt), authorization: null })),
  },
  {
    // Another client, no secret, a wrong secret, or Basic (which the exchange does not read).
    weight: 3,
    arbitrary: fc
      .record({
        who: fc.constantFrom<[string, string | null]>(
          ["{{web.id}}", "{{web.secret}}"],
          ["{{spa.id}}", null],
          ["{{m2m.id}}", null],
          ["{{m2m.id}}", "{{web.secret}}"],
          ["{{m2m.id}}", "{{typo.m2m.secret}}"],
        ),
        jwt: fc.constantFrom(...GOOD_JWTS),
        basic: fc.option(basicFor("m2m"), { nil: null }),
      })
      .map(({ who, jwt, basic }): Call => ({ endpoint: "exchange", params: exchangeParams(who[0], who[1], jwt), authorization: basic })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ jwt: fc.constantFrom(...GOOD_JWTS), auth: basicFor("m2m") })
      .map(({ jwt, auth }): Call => ({ endpoint: "exchange", params: [p("jwt_token", jwt)], authorization: auth })),
  },
);

const tokenTarget = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 1, arbitrary: fc.constantFrom(...TOKENS).map(typoOf) },
  { weight: 1, arbitrary: fc.constantFrom(...CODES, "{{web.secret}}", "", "x".repeat(300)) },
);
const hint = fc.option(fc.constantFrom("access_token", "refresh_token", "bogus", ""), { nil: undefined });
const revokeOrIntrospect = (endpoint: "revoke" | "introspect"): fc.Arbitrary<Call> =>
  fc
    .record({ token: tokenTarget, hint, auth: endpoint === "revoke" ? anyAuth : fc.constantFrom<"web" | "spa" | "m2m">("web", "web", "m2m", "m2m", "spa").chain(authOf) })
    .map(({ token, hint, auth }) => withAuth(endpoint, [p("token", token), ...(hint === undefined ? [] : [p("token_type_hint", hint)])], auth));

const metadata: fc.Arbitrary<Call> = fc.constantFrom(...METADATA_NAMES).map((name): Call => ({ endpoint: "metadata", params: [p("__path", name)], authorization: null }));

export const realisticCall: fc.Arbitrary<Call> = fc.oneof(
  { weight: 7, arbitrary: codeGrant },
  { weight: 5, arbitrary: refreshGrant },
  { weight: 1, arbitrary: otherGrants },
  { weight: 7, arbitrary: exchange },
  { weight: 3, arbitrary: revokeOrIntrospect("revoke") },
  { weight: 3, arbitrary: revokeOrIntrospect("introspect") },
  { weight: 1, arbitrary: metadata },
);

/** A little junk over a realistic call. */
type Mutation =
  | { kind: "typo"; index: number }
  | { kind: "duplicate"; index: number; same: boolean }
  | { kind: "toQuery"; index: number }
  | { kind: "drop"; index: number }
  | { kind: "empty"; index: number }
  | { kind: "rename"; index: number; name: string }
  | { kind: "extra"; name: string; value: string }
  | { kind: "replace"; index: number; value: string }
  | { kind: "nonString"; index: number; shape: "number" | "array" | "object" | "null" | "bool" };

const index = fc.nat({ max: 7 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("typo" as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), index, same: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("toQuery" as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("empty" as const), index }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("rename" as const), index, name: fc.oneof(fc.constantFrom(...INHERITED), fc.constantFrom("CLIENT_ID", "Grant_Type", "code ", " token", "client%5Fid")) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("extra" as const), name: anyName, value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replace" as const), index, value: fc.oneof(anyValue, junkValue) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("nonString" as const), index, shape: fc.constantFrom("number", "array", "object", "null", "bool") }) },
);

type Encoding = "form" | "json" | "multipart" | "query" | "text";
const WRONG_TYPES = ["text/plain", "application/xml", "application/octet-stream", "multipart/form-data", "multipart/form-data; boundary=----fuzz", "", "application/jsonx"];
const typeFor = (preferred: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...preferred) },
    { weight: 1, arbitrary: fc.constant<string | null>(null) },
    { weight: 1, arbitrary: fc.constantFrom(...FORM_TYPES, ...JSON_TYPES, ...WRONG_TYPES) },
  );

export interface Delivery {
  encoding: Encoding;
  formType: string | null;
  jsonType: string | null;
  multipartType: string | null;
  method: string;
  trailingSlash: boolean;
  mutations: Mutation[];
  headers: [string, string][];
}

export const delivery: fc.Arbitrary<Delivery> = fc.record({
  encoding: fc.oneof(
    { weight: 10, arbitrary: fc.constant<Encoding>("form") },
    { weight: 3, arbitrary: fc.constant<Encoding>("json") },
    { weight: 2, arbitrary: fc.constant<Encoding>("multipart") },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>("query", "text") },
  ),
  formType: typeFor(FORM_TYPES),
  jsonType: typeFor(JSON_TYPES),
  multipartType: fc.oneof({ weight: 10, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("multipart/form-data", "multipart/form-data; boundary=wrong", ...FORM_TYPES, ...JSON_TYPES) }),
  method: fc.oneof({ weight: 25, arbitrary: fc.constant("POST") }, { weight: 2, arbitrary: fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "post") }),
  trailingSlash: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 2 }) }),
  headers: fc.oneof({ weight: 4, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 1, arbitrary: fc.array(junkHeader, { minLength: 1, maxLength: 2 }) }),
});

interface Placed extends Param {
  inQuery?: boolean;
  json?: JsonValue;
}

function applyMutation(ps: Placed[], m: Mutation): Placed[] {
  if (m.kind === "extra") return [...ps, { name: m.name, value: m.value }];
  if (ps.length === 0) return ps;
  const i = m.index % ps.length;
  const target = ps[i]!;
  const at = (x: Placed | null) => [...ps.slice(0, i), ...(x ? [x] : []), ...ps.slice(i + 1)];
  switch (m.kind) {
    case "typo":
      return at({ ...target, value: /^\{\{[\w.]+\}\}$/.test(target.value) ? typoOf(target.value) : `${target.value}x` });
    case "duplicate":
      return [...ps.slice(0, i + 1), { ...target, value: m.same ? target.value : `${target.value}2` }, ...ps.slice(i + 1)];
    case "toQuery":
      return at({ ...target, inQuery: true });
    case "drop":
      return at(null);
    case "empty":
      return at({ ...target, value: "" });
    case "rename":
      return at({ ...target, name: m.name });
    case "replace":
      return at({ ...target, value: m.value });
    case "nonString": {
      const v = target.value;
      const json: JsonValue = { number: 12345, array: [v], object: { value: v }, null: null, bool: true }[m.shape];
      return at({ ...target, json });
    }
  }
}

function bodyOf(ps: Placed[], d: Delivery): BodySpec {
  if (ps.length === 0 && d.encoding !== "json") return { kind: "none" };
  switch (d.encoding) {
    case "form":
    case "query":
      return { kind: "form", params: ps, contentType: d.formType };
    case "json":
      return { kind: "jsonObject", members: ps.map((x) => [x.name, x.json !== undefined ? x.json : x.value]), contentType: d.jsonType };
    case "multipart":
      return { kind: "multipart", params: ps, withFile: false, contentType: d.multipartType };
    case "text":
      return { kind: "form", params: ps, contentType: "text/plain;charset=UTF-8" };
  }
}

/** The request a realistic call becomes once delivered. */
export function deliver(call: Call, d: Delivery, ip: string | null, copies: number, elapsedMs: number): FuzzCase {
  const credential: [string, string][] = call.authorization === null ? [] : [["authorization", call.authorization]];
  const base = { trailingSlash: d.trailingSlash, queryStyle: "encoded" as const, credential, headers: d.headers, ip, copies, elapsedMs };
  if (call.endpoint === "metadata") {
    const method = d.method === "POST" ? "GET" : d.method;
    return { ...base, method, prefix: "/.well-known", segments: [{ text: call.params[0]!.value }], query: [], body: { kind: "none" } };
  }
  let ps: Placed[] = call.params;
  for (const m of d.mutations) ps = applyMutation(ps, m);
  const query = d.encoding === "query" ? ps : ps.filter((x) => x.inQuery);
  const inBody = d.encoding === "query" ? [] : ps.filter((x) => !x.inQuery);
  const segments = call.endpoint === "exchange" ? [{ text: "jwt" }, { text: "exchange" }] : [{ text: call.endpoint }];
  return {
    ...base,
    method: d.method,
    prefix: OAUTH_PREFIX,
    segments,
    query: query.map(({ name, value }) => ({ name, value })),
    body: bodyOf(inBody, d),
  };
}

/** A generated request, and what the model of the API says of it. */
export interface OAuthCase {
  request: FuzzCase;
  /** Set when the request must succeed (see expectations.ts). */
  mustSucceed: Expectation;
  /** Another request sent at the same moment (a race between two different calls), or null. */
  also: FuzzCase | null;
}

export const realisticCase: fc.Arbitrary<OAuthCase> = fc.tuple(realisticCall, delivery, clientIp, copies, elapsedMs).map(([call, d, ip, n, ms]) => ({
  request: deliver(call, d, ip, n, ms),
  mustSucceed: call.endpoint !== "metadata" && deliveryIsPlain(d) ? expectationOf(call.endpoint, call.params, call.authorization) : null,
  also: null,
}));
