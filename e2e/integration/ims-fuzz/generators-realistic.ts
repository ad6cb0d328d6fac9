/**
 * Realistic IMS requests: the exchange with a JWT signed as @adobe/jwt-auth signs it (by the
 * credential's key, exp a few minutes to a day ahead, metascope claims under any base URL, with or
 * without jti), the client-credentials grant with granted and other scopes, the JWKS; multipart or
 * urlencoded as clients send them, now and then with a little junk: a wrong value, a duplicated,
 * dropped, emptied or renamed parameter, one moved to the query string, another encoding, method
 * or content type, a trailing slash.
 */
import fc from "fast-check";
import type { BodySpec, FuzzCase, JsonValue, Param } from "../fuzz/case";
import { clientIp, copies, elapsedMs } from "../fuzz/generators-delivery";
import { STANDARD_HEADER, type AssertionSpec, type Member } from "./assertions";
import type { ImsCase, Probe } from "./case";
import type { Operation } from "./model";
import { RSA_KEYS, WRITE, READ, type CredName } from "./world";
import {
  anyName,
  anyValue,
  baseUrl,
  FORM_TYPES,
  GRANTED,
  IMS_PREFIX,
  INHERITED,
  JSON_TYPES,
  junkHeader,
  junkValue,
  MISPLACED,
  OWN_KEYS,
  SEEDED,
  typoOf,
  UNGRANTED_SCOPES,
  WRONG_TYPES,
} from "./vocabulary";

type Seeded = Exclude<CredName, "victim">;

export interface Call {
  op: Operation;
  params: Param[];
}

const p = (name: string, value: string): Param => ({ name, value });
const others = (cred: Seeded) => SEEDED.filter((c) => c !== cred);

/** A non-empty subset of the granted metascopes, in any order. */
const grantedSubset = (cred: Seeded): fc.Arbitrary<string[]> => fc.shuffledSubarray(GRANTED[cred], { minLength: 1 });

/** The metascope claims: granted ones mostly, now and then one not granted or none, each under a base URL. */
const scopeClaims = (cred: Seeded, base: string): fc.Arbitrary<Member[]> =>
  fc
    .record({
      scopes: fc.oneof(
        { weight: 12, arbitrary: grantedSubset(cred) },
        { weight: 1, arbitrary: fc.tuple(grantedSubset(cred), fc.constantFrom(...UNGRANTED_SCOPES)).map(([g, u]) => [...g, u]) },
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: grantedSubset(cred).map((g) => [...g, ...g]) },
      ),
      otherBase: fc.option(baseUrl, { freq: 6, nil: null }),
      value: fc.oneof({ weight: 14, arbitrary: fc.constant<JsonValue>(true) }, { weight: 1, arbitrary: fc.constantFrom<JsonValue>("true", 1, false, null) }),
    })
    .map(({ scopes, otherBase, value }) => scopes.map((s, i): Member => [`${i === 0 || otherBase === null ? base : otherBase}/s/${s}`, i === 0 ? value : true]));

/** exp a few minutes ahead, sometimes anything up to the 24-hour limit, sometimes just past either end. */
export const expIn: fc.Arbitrary<number> = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 30, max: 600 }) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 86_400 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 86_399, 86_400, 0, -1, 86_401, 86_402, -3600, 90_000, 172_800) },
);

const ownKey = (cred: Seeded): fc.Arbitrary<string> => {
  const own = OWN_KEYS[cred];
  return fc.oneof(
    { weight: 12, arbitrary: own.length > 0 ? fc.constantFrom(...own) : fc.constant("jwt") },
    { weight: 1, arbitrary: fc.constantFrom(...RSA_KEYS.filter((k) => k !== "victim")) },
    { weight: 1, arbitrary: fc.constant("foreign") },
  );
};

/** An assertion for the credential, mostly right, as @adobe/jwt-auth builds it. */
export const realisticAssertion = (cred: Seeded): fc.Arbitrary<AssertionSpec> =>
  fc
    .record({
      key: ownKey(cred),
      exp: expIn,
      iss: fc.oneof({ weight: 14, arbitrary: fc.constant("{{org}}") }, { weight: 1, arbitrary: fc.constantFrom("{{org}}x", "0000000000000000000000AA@KeywardOrg", "", "{{jwt.sub}}", "{{typo.org}}") }),
      sub: fc.oneof({ weight: 14, arbitrary: fc.constant(`{{${cred}.sub}}`) }, { weight: 1, arbitrary: fc.constantFrom(...others(cred).map((c) => `{{${c}.sub}}`), `{{${cred}.id}}`, `{{typo.${cred}.sub}}`) }),
      base: baseUrl,
      audId: fc.oneof({ weight: 14, arbitrary: fc.constant(`{{${cred}.id}}`) }, { weight: 1, arbitrary: fc.constantFrom(...others(cred).map((c) => `{{${c}.id}}`), `{{typo.${cred}.id}}`) }),
      audForm: fc.oneof({ weight: 14, arbitrary: fc.constant("url") }, { weight: 1, arbitrary: fc.constantFrom("slash", "bare", "array") }),
      scopes: fc.constant(null),
      iat: fc.boolean(),
      jti: fc.constantFrom<"fresh" | "none">("fresh", "none"),
    })
    .chain((r) => scopeClaims(cred, r.base).map((scopes) => ({ ...r, scopes })))
    .map(({ key, exp, iss, sub, base, audId, audForm, scopes, iat, jti }): AssertionSpec => {
      const aud = `${base}/c/${audId}`;
      const audValue: JsonValue = audForm === "url" ? aud : audForm === "slash" ? `${aud}/` : audForm === "bare" ? audId : [aud];
      const claims: Member[] = [["exp", { $exp: exp, form: "int" }], ["iss", iss], ["sub", sub], ["aud", audValue], ...scopes, ...(iat ? [["iat", { $exp: 0, form: "int" }] as Member] : [])];
      return { key, alg: "RS256", header: STANDARD_HEADER, claims, jti, mangle: { kind: "none" } };
    });

const idAndSecret = (cred: Seeded): fc.Arbitrary<Param[]> =>
  fc
    .record({
      id: fc.oneof({ weight: 16, arbitrary: fc.constant(`{{${cred}.id}}`) }, { weight: 1, arbitrary: fc.constantFrom(`{{typo.${cred}.id}}`, "00000000000000000000000000000000", "", `{{${cred}.sub}}`) }),
      secret: fc.oneof(
        { weight: 16, arbitrary: fc.constant<string | null>(`{{${cred}.secret}}`) },
        { weight: 1, arbitrary: fc.constantFrom<string | null>(...others(cred).map((c) => `{{${c}.secret}}`)) },
        { weight: 1, arbitrary: fc.constantFrom<string | null>(`{{typo.${cred}.secret}}`, "", null, `{{${cred}.id}}`) },
      ),
    })
    .map(({ id, secret }) => [p("client_id", id), ...(secret === null ? [] : [p("client_secret", secret)])]);

const EXCHANGE_CREDS = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Seeded>("jwt") },
  { weight: 2, arbitrary: fc.constant<Seeded>("migrated") },
  { weight: 3, arbitrary: fc.constant<Seeded>("refreshed") },
  { weight: 2, arbitrary: fc.constant<Seeded>("readonly") },
  { weight: 1, arbitrary: fc.constantFrom<Seeded>("revoked", "s2s", "unjwt") },
);
const TOKEN_CREDS = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Seeded>("s2s") },
  { weight: 3, arbitrary: fc.constant<Seeded>("migrated") },
  { weight: 2, arbitrary: fc.constant<Seeded>("unjwt") },
  { weight: 1, arbitrary: fc.constantFrom<Seeded>("jwt", "revoked", "readonly") },
);

/** An exchange: its parameters (the JWT as `{{assertion.0}}`, or another value) and its assertion. */
export const exchangeCallWith = (assertionFor: (cred: Seeded) => fc.Arbitrary<AssertionSpec>): fc.Arbitrary<{ call: Call; assertions: AssertionSpec[] }> => EXCHANGE_CREDS.chain((cred) =>
  fc
    .record({
      auth: idAndSecret(cred),
      assertion: assertionFor(cred),
      jwt: fc.oneof(
        { weight: 20, arbitrary: fc.constant("{{assertion.0}}") },
        { weight: 1, arbitrary: fc.constantFrom("{{assertion.used}}", "{{token.recent}}", "{{typo.assertion.0}}", "", "a.b.c", "{{jwt.secret}}") },
      ),
    })
    .map(({ auth, assertion, jwt }) => ({ call: { op: "exchange" as const, params: [...auth, p("jwt_token", jwt)] }, assertions: [assertion] })),
);
export const exchangeCall = exchangeCallWith(realisticAssertion);

const scopeValue = (cred: Seeded): fc.Arbitrary<string | null> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(null) },
    { weight: 5, arbitrary: fc.tuple(grantedSubset(cred), fc.constantFrom(",", ", ", " ", ",,")).map(([s, sep]) => s.join(sep)) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", `${WRITE},${WRITE}`, `${READ},openid`, "openid,AdobeID,read_organizations", `${WRITE},`, ",", "ent_keyward_api\u00a0ent_keyward_readonly_api") },
    { weight: 1, arbitrary: fc.constantFrom(...UNGRANTED_SCOPES) },
    { weight: 1, arbitrary: fc.constantFrom(...MISPLACED) },
    { weight: 1, arbitrary: fc.constantFrom(`${WRITE},`.repeat(120), "x".repeat(2000)) },
  );

/** The client-credentials grant. */
export const tokenCall: fc.Arbitrary<Call> = TOKEN_CREDS.chain((cred) =>
  fc
    .record({
      grant: fc.oneof(
        { weight: 16, arbitrary: fc.constant<string | null>("client_credentials") },
        { weight: 1, arbitrary: fc.constantFrom<string | null>("authorization_code", "CLIENT_CREDENTIALS", "client_credentials ", "", null, "urn:ietf:params:oauth:grant-type:jwt-bearer", "password") },
      ),
      auth: idAndSecret(cred),
      scope: scopeValue(cred),
    })
    .map(({ grant, auth, scope }): Call => ({
      op: "token",
      params: [...(grant === null ? [] : [p("grant_type", grant)]), ...auth, ...(scope === null ? [] : [p("scope", scope)])],
    })),
);

/** A little junk over a realistic call. */
export type Mutation =
  | { kind: "typo"; index: number }
  | { kind: "duplicate"; index: number; same: boolean }
  | { kind: "toQuery"; index: number }
  | { kind: "drop"; index: number }
  | { kind: "empty"; index: number }
  | { kind: "rename"; index: number; name: string }
  | { kind: "extra"; name: string; value: string }
  | { kind: "replace"; index: number; value: string };

const index = fc.nat({ max: 7 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("typo" as const), index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), index, same: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("toQuery" as const), index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("drop" as const), index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("empty" as const), index }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("rename" as const), index, name: fc.oneof(fc.constantFrom(...INHERITED), fc.constantFrom("CLIENT_ID", "Jwt_Token", "client_id ", " scope", "client%5Fid", "jwt_token[]")) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("extra" as const), name: anyName, value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replace" as const), index, value: fc.oneof(anyValue, junkValue) }) },
);

export type Encoding = "form" | "multipart" | "json" | "query" | "text";

export interface Delivery {
  encoding: Encoding;
  formType: string;
  jsonType: string;
  multipartType: string | null;
  method: string;
  trailingSlash: boolean;
  mutations: Mutation[];
  headers: [string, string][];
}

/** As clients send it: POST, urlencoded or multipart with their content types, no junk. */
export const plainDelivery: fc.Arbitrary<Delivery> = fc.record({
  encoding: fc.constantFrom<Encoding>("form", "form", "multipart"),
  formType: fc.constantFrom(...FORM_TYPES),
  jsonType: fc.constant(JSON_TYPES[0]!),
  multipartType: fc.constant(null),
  method: fc.constant("POST"),
  trailingSlash: fc.boolean(),
  mutations: fc.constant([]),
  headers: fc.constant([]),
});

export const delivery: fc.Arbitrary<Delivery> = fc.record({
  encoding: fc.oneof(
    { weight: 10, arbitrary: fc.constant<Encoding>("form") },
    { weight: 6, arbitrary: fc.constant<Encoding>("multipart") },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>("json", "query", "text") },
  ),
  formType: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...FORM_TYPES) }, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES, ...JSON_TYPES) }),
  jsonType: fc.constantFrom(...JSON_TYPES),
  multipartType: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("multipart/form-data", "multipart/form-data; boundary=wrong", ...FORM_TYPES.slice(0, 1), ...JSON_TYPES.slice(0, 1)) }),
  method: fc.oneof({ weight: 25, arbitrary: fc.constant("POST") }, { weight: 2, arbitrary: fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "post") }),
  trailingSlash: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 2 }) }),
  headers: fc.oneof({ weight: 6, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 1, arbitrary: fc.array(junkHeader, { minLength: 1, maxLength: 2 }) }),
});

interface Placed extends Param {
  inQuery?: boolean;
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
  }
}

function bodyOf(ps: Placed[], d: Delivery): BodySpec {
  if (ps.length === 0 && d.encoding !== "json") return { kind: "none" };
  switch (d.encoding) {
    case "form":
    case "query":
      return { kind: "form", params: ps, contentType: d.formType };
    case "json":
      return { kind: "jsonObject", members: ps.map((x) => [x.name, x.value]), contentType: d.jsonType };
    case "multipart":
      return { kind: "multipart", params: ps, withFile: false, contentType: d.multipartType };
    case "text":
      return { kind: "form", params: ps, contentType: "text/plain;charset=UTF-8" };
  }
}

export const SEGMENTS: Record<Operation, string[]> = { exchange: ["exchange", "jwt"], token: ["token", "v3"], keys: ["keys"] };

/** The request a realistic call becomes once delivered. */
export function deliver(call: Call, d: Delivery, ip: string | null, n: number, ms: number): FuzzCase {
  const base = { prefix: IMS_PREFIX, segments: SEGMENTS[call.op].map((text) => ({ text })), trailingSlash: d.trailingSlash, queryStyle: "encoded" as const, credential: [], headers: d.headers, ip, copies: n, elapsedMs: ms };
  if (call.op === "keys") {
    const method = d.method === "POST" ? "GET" : d.method === "GET" ? "HEAD" : d.method;
    return { ...base, method, query: [], body: { kind: "none" } };
  }
  let ps: Placed[] = call.params;
  for (const m of d.mutations) ps = applyMutation(ps, m);
  const query = d.encoding === "query" ? ps : ps.filter((x) => x.inQuery);
  const inBody = d.encoding === "query" ? [] : ps.filter((x) => !x.inQuery);
  return { ...base, method: d.method, query: query.map(({ name, value }) => ({ name, value })), body: bodyOf(inBody, d) };
}

export const probe: fc.Arbitrary<Probe> = fc.record({ tamperAt: fc.nat(), tamperBy: fc.nat({ max: 62 }), create: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }) });

const keysCall: fc.Arbitrary<{ call: Call; assertions: AssertionSpec[] }> = fc.constant({ call: { op: "keys" as const, params: [] }, assertions: [] });

export const realisticCall: fc.Arbitrary<{ call: Call; assertions: AssertionSpec[] }> = fc.oneof(
  { weight: 12, arbitrary: exchangeCall },
  { weight: 5, arbitrary: tokenCall.map((call) => ({ call, assertions: [] })) },
  { weight: 1, arbitrary: keysCall },
);

export const realisticCase: fc.Arbitrary<ImsCase> = fc
  .record({ c: realisticCall, d: fc.oneof({ weight: 2, arbitrary: plainDelivery }, { weight: 3, arbitrary: delivery }), ip: clientIp, n: copies, ms: elapsedMs, probe })
  .map(({ c, d, ip, n, ms, probe }) => ({ origin: "realistic", requests: [deliver(c.call, d, ip, n, ms)], assertions: c.assertions, race: null, probe }));
