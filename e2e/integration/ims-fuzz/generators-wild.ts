/**
 * Wild IMS requests: any method, any path under /ims/, parameters in the query and the body under
 * any encoding, malformed multipart, wrong content types, empty bodies; and assertions with their
 * claims mutated (iss, sub, aud, exp of other types and values, huge, unicode, `__proto__`,
 * `constructor` and `toString` as claim names), other algorithms (none, HS256 keyed with the
 * secret or the certificate, RS512, PS256, ES256), signatures by the foreign key or another
 * credential's, headers that bring their own key, and compact texts truncated or garbled.
 */
import fc from "fast-check";
import type { BodySpec, FuzzCase, JsonValue, Param, QueryStyle, Segment } from "../fuzz/case";
import { clientIp, copies, elapsedMs } from "../fuzz/generators-delivery";
import { jsonFragment, junkText, longText } from "../fuzz/generators-values";
import { repeated } from "../fuzz/placeholders";
import type { AssertionSpec, ClaimValue, Mangle, Member, SignAlg } from "./assertions";
import type { ImsCase } from "./case";
import { deliver, delivery, exchangeCallWith, plainDelivery, probe, realisticAssertion } from "./generators-realistic";
import { anyName, anyValue, hugeValue, IMS_PREFIX, INHERITED, junkHeader, PARAM_NAMES, SEEDED, unicodeText, WRONG_TYPES } from "./vocabulary";
import { RSA_KEYS } from "./world";

const SEGMENT_WORDS = ["exchange", "jwt", "token", "v3", "keys", "v2", "v1", "Exchange", "JWT", "KEYS", "token.json", "jwt;x", "", "authorize", "userinfo", "logout", "exchange%2Fjwt", "ims"];
const rawSegment = fc.constantFrom("%", "%zz", "%E0%A4%A", "..", ".", "%2F", "a%2Fb", "%00", ";", "%2e%2e", "%C0%AF", "%ED%A0%80", "jwt%00", "k%65ys", "keys%20", "%6Beys");
const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...SEGMENT_WORDS).map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED).map((text) => ({ text })) },
  { weight: 2, arbitrary: rawSegment.map((raw) => ({ raw })) },
  { weight: 2, arbitrary: junkText.map((text) => ({ text })) },
);
const segments: fc.Arbitrary<Segment[]> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<Segment[]>([{ text: "exchange" }, { text: "jwt" }], [{ text: "token" }, { text: "v3" }], [{ text: "keys" }]) },
  { weight: 4, arbitrary: fc.array(segment, { minLength: 1, maxLength: 4 }) },
);

const param: fc.Arbitrary<Param> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: fc.constantFrom(...PARAM_NAMES.slice(0, 5)), value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ name: anyName, value: anyValue }) },
  { weight: 1, arbitrary: fc.record({ name: fc.constantFrom(...INHERITED), value: fc.oneof(anyValue, fc.constantFrom(...INHERITED)) }) },
);
/** The usual three parameters (or four), each maybe wrong, plus others. */
const params: fc.Arbitrary<Param[]> = fc.oneof(
  { weight: 3, arbitrary: fc.array(param, { maxLength: 7 }) },
  {
    weight: 3,
    arbitrary: fc
      .record({
        cred: fc.constantFrom(...SEEDED),
        jwt: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("{{assertion.0}}", "{{assertion.1}}") }, { weight: 1, arbitrary: anyValue }),
        grant: fc.boolean(),
        extra: fc.array(param, { maxLength: 3 }),
      })
      .map(({ cred, jwt, grant, extra }) => [
        ...(grant ? [{ name: "grant_type", value: "client_credentials" }] : []),
        { name: "client_id", value: `{{${cred}.id}}` },
        { name: "client_secret", value: `{{${cred}.secret}}` },
        { name: "jwt_token", value: jwt },
        ...extra,
      ]),
  },
);

const FORM = "application/x-www-form-urlencoded";
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string | null>(FORM) },
  { weight: 2, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/json") },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES, `${FORM}; charset=ISO-8859-1`, "json") },
);

const jsonMember: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 6, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue> },
  { weight: 1, arbitrary: fc.constantFrom<JsonValue>(null, true, 0, -1, 1e308, [], {}, ["{{jwt.secret}}"], { toString: "x" }, JSON.parse('{"__proto__":"{{jwt.secret}}"}') as JsonValue) },
);

/** Multipart bodies written by hand: a wrong or missing boundary, no closing delimiter, odd dispositions. */
const brokenMultipart = fc.constantFrom(
  '--x\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n{{jwt.id}}\r\n--x\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\n{{jwt.secret}}\r\n',
  '--x\r\nContent-Disposition: form-data; name="jwt_token"\r\n\r\n{{assertion.0}}\r\n--y--\r\n',
  '--x\r\nContent-Disposition: form-data; name=client_id\r\n\r\n{{jwt.id}}\r\n--x--\r\n',
  '--x\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n{{jwt.secret}}\r\n--x\r\nContent-Disposition: form-data; name="constructor"\r\n\r\nx\r\n--x--\r\n',
  '--x\r\nContent-Disposition: form-data; name="client_id"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n{{jwt.id}}\r\n--x--\r\n',
  '--x\r\n\r\n\r\n--x--\r\n',
  "--x--\r\n",
  "",
  "--x\r\nContent-Disposition: form-data; name=\"jwt_token\"\r\n\r\n",
  'client_id={{jwt.id}}&client_secret={{jwt.secret}}&jwt_token={{assertion.0}}',
);
const MULTIPART_TYPES = ["multipart/form-data; boundary=x", "multipart/form-data; boundary=\"x\"", "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=y", "multipart/form-data; boundary=x; boundary=y"];

const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("form" as const), params, contentType }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("multipart" as const), params, withFile: fc.boolean(), contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: contentType }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("jsonObject" as const),
      members: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.constantFrom(...INHERITED), anyName), jsonMember), { maxLength: 6 }),
      contentType,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("text" as const), text: brokenMultipart, contentType: fc.constantFrom(...MULTIPART_TYPES) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text: fc.oneof(
        jsonFragment,
        junkText,
        longText,
        fc.constantFrom(
          "client_id={{jwt.id}}&client_id={{jwt.id}}&client_secret={{jwt.secret}}&jwt_token={{assertion.0}}",
          "client_id={{s2s.id}}&client_secret={{s2s.secret}}&grant_type=client_credentials&grant_type=client_credentials",
          "&&&===&",
          "client_id=%zz&client_secret=%E0%A4%A&jwt_token=%",
          '{"client_id":"{{jwt.id}}","client_secret":"{{jwt.secret}}","jwt_token":"{{assertion.0}}"}',
          '{"__proto__":{"client_secret":"{{jwt.secret}}"},"client_id":"{{jwt.id}}","jwt_token":"{{assertion.0}}"}',
          '{"constructor":{"prototype":{"client_secret":"{{jwt.secret}}"}},"client_id":"{{jwt.id}}"}',
          '{"client_id":["{{jwt.id}}"],"client_secret":{"toString":"{{jwt.secret}}"},"jwt_token":1}',
          '{"client_id":"{{jwt.id}}"',
        ),
        fc.integer({ min: 50, max: 5000 }).chain((n) => fc.constantFrom(`${repeated([n, "["])}${repeated([n, "]"])}`, `{"a":${repeated([n, '{"a":'])}1`)),
      ),
      contentType,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("bytes" as const),
      bytes: fc.oneof(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }), fc.constantFrom<number[]>([0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64, 0x3d, 0xff, 0xfe, 0xc3, 0x28], [0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
      contentType,
    }),
  },
);

// --- Assertions with mutated claims, headers, algorithms, keys and texts.

const wildClaimValue: fc.Arbitrary<ClaimValue> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<ClaimValue>(...SEEDED.flatMap((c) => [`{{${c}.sub}}`, `{{${c}.id}}`]), "{{org}}", "{{ims}}", "{{ims}}/c/{{jwt.id}}", "{{jwt.secret}}") },
  { weight: 2, arbitrary: fc.constantFrom<ClaimValue>(null, true, false, 0, -1, 1.5, 1e21, 2 ** 53 + 2, "", [], {}, ["{{org}}"], { iss: "{{org}}" }) },
  { weight: 2, arbitrary: fc.record({ $exp: fc.integer({ min: -100_000, max: 200_000 }), form: fc.constantFrom<"int" | "float" | "string" | "ms">("int", "float", "string", "ms") }) },
  { weight: 1, arbitrary: unicodeText },
  { weight: 1, arbitrary: hugeValue },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<ClaimValue> },
);
const claimName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("exp", "iss", "sub", "aud", "jti", "iat", "nbf") },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "{{ims}}/s/ent_keyward_api",
      "{{ims}}/s/ent_keyward_readonly_api",
      "{{ims}}/s/__proto__",
      "{{ims}}/s/constructor",
      "{{ims}}/s/toString",
      "{{ims}}/s/",
      "/s/ent_keyward_api",
      "{{ims}}/s/ent_keyward_api/",
      "{{ims}}/S/ent_keyward_api",
      "{{ims}}/s/ent_keyward_api?x=1",
      "{{ims}}/s/{{jwt.secret}}",
      "{{ims}}/s/ｅｎｔ_keyward_api",
      "{{ims}}/s/ent_analytics_bulk_ingest_sdk",
    ),
  },
  { weight: 1, arbitrary: unicodeText },
);

/** Metascope claims under odd names: prototype names, empty, trailing slash, unicode, a secret pasted as the scope. */
const METASCOPE_NAMES = [
  "{{ims}}/s/__proto__",
  "{{ims}}/s/constructor",
  "{{ims}}/s/toString",
  "{{ims}}/s/hasOwnProperty",
  "{{ims}}/s/",
  "/s/ent_keyward_api",
  "s/ent_keyward_api",
  "{{ims}}/s/ent_keyward_api/",
  "{{ims}}/S/ent_keyward_api",
  "{{ims}}/s/ent_keyward_api?x=1",
  "{{ims}}/s/ent_keyward_api#x",
  "{{ims}}/s/{{jwt.secret}}",
  "{{ims}}/s/{{s2s.secret}}",
  "{{ims}}/s/ｅｎｔ_keyward_api",
  "{{ims}}/s/ent_keyward_api\u0000",
  "{{ims}}/s/ent_analytics_bulk_ingest_sdk",
  "{{ims}}/s/ent_keyward_readonly_api",
  "{{ims}}/s/ent_keyward_api",
  "https://other.example/s/ent_keyward_api",
];

type ClaimMutation =
  | { kind: "set"; name: string; value: ClaimValue }
  | { kind: "delete"; name: string }
  | { kind: "append"; name: string; value: ClaimValue }
  | { kind: "proto"; name: string; value: ClaimValue };
const claimMutation: fc.Arbitrary<ClaimMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("set" as const), name: claimName, value: wildClaimValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("append" as const), name: fc.constantFrom(...METASCOPE_NAMES), value: fc.oneof({ weight: 5, arbitrary: fc.constant<ClaimValue>(true) }, { weight: 1, arbitrary: wildClaimValue }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), name: fc.constantFrom("exp", "iss", "sub", "aud") }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("append" as const), name: claimName, value: wildClaimValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("proto" as const),
      name: fc.constantFrom("__proto__", "constructor", "toString", "prototype"),
      value: fc.constantFrom<ClaimValue>({ exp: 4102444800, iss: "{{org}}", sub: "{{jwt.sub}}" }, true, "{{jwt.secret}}", { "{{ims}}/s/ent_keyward_api": true }, null),
    }),
  },
);

function mutateClaims(claims: Member[], ms: ClaimMutation[]): Member[] {
  let out = claims;
  for (const m of ms) {
    switch (m.kind) {
      case "set":
        out = out.some(([n]) => n === m.name) ? out.map(([n, v]): Member => [n, n === m.name ? m.value : v]) : [...out, [m.name, m.value]];
        break;
      case "delete":
        out = out.filter(([n]) => n !== m.name);
        break;
      case "append":
      case "proto":
        out = [...out, [m.name, m.value]];
        break;
    }
  }
  return out;
}

const headerMembers: fc.Arbitrary<Member[] | { raw: string }> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Member[]>([["alg", "RS256"], ["typ", "JWT"]]) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom<JsonValue>("RS256", "none", "None", "HS256", "RS512", "ES256", "PS256", "rs256", "RS256 ", null, ["RS256"], ""),
        fc.array(
          fc.constantFrom<Member>(
            ["typ", "JWT"],
            ["kid", "{{jwt.id}}"],
            ["kid", "../../etc/passwd"],
            ["crit", ["exp"]],
            ["b64", false],
            ["jku", "https://evil.example/jwks.json"],
            ["x5u", "https://evil.example/cert.pem"],
            ["jwk", { kty: "RSA", n: "AQAB", e: "AQAB" }],
            ["alg", "none"],
            ["alg", "RS256"],
            ["__proto__", { alg: "RS256" }],
            ["enc", "A128GCM"],
          ),
          { maxLength: 3 },
        ),
      )
      .map(([alg, rest]): Member[] => [["alg", alg], ...rest]),
  },
  { weight: 1, arbitrary: fc.constant<Member[]>([["typ", "JWT"]]) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "[]", "null", '"RS256"', '{"alg":"RS256",}', '{"alg":"RS256"}garbage').map((raw) => ({ raw })) },
);

const mangle: fc.Arbitrary<Mangle> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Mangle>({ kind: "none" }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), by: fc.nat({ max: 62 }) }) },
  { weight: 1, arbitrary: fc.constantFrom<Mangle>({ kind: "lastBits" }, { kind: "pad" }, { kind: "stdAlphabet" }, { kind: "spaces" }, { kind: "dropSignature" }, { kind: "extraPart" }, { kind: "swap" }, { kind: "twice" }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("longer" as const), n: fc.constantFrom(1, 4, 20_000) }) },
);

const algAndKey: fc.Arbitrary<{ alg: SignAlg; key: string } | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.record({ alg: fc.constant<SignAlg>("RS256"), key: fc.constantFrom(...RSA_KEYS.filter((k) => k !== "victim")) }) },
  { weight: 1, arbitrary: fc.record({ alg: fc.constantFrom<SignAlg>("RS384", "RS512", "PS256"), key: fc.constantFrom("jwt", "refreshed.new", "foreign") }) },
  { weight: 1, arbitrary: fc.record({ alg: fc.constant<SignAlg>("HS256"), key: fc.constantFrom("hmac:{{jwt.secret}}", "hmac:{{jwt.certificate}}", "hmac:", "hmac:{{refreshed.certificate}}") }) },
  { weight: 1, arbitrary: fc.constantFrom<{ alg: SignAlg; key: string }>({ alg: "ES256", key: "ec" }, { alg: "none", key: "jwt" }) },
);

/** A realistic assertion for the credential, then its claims, header, algorithm, key or text spoiled. */
export const wildAssertionFor = (cred: (typeof SEEDED)[number]): fc.Arbitrary<AssertionSpec> => fc
  .record({
    base: realisticAssertion(cred),
    claims: fc.array(claimMutation, { minLength: 0, maxLength: 3 }),
    raw: fc.option(fc.oneof(jsonFragment, fc.constantFrom("", "[1]", "null", '"x"', "{}", '{"exp":1e400}', '{"exp":1}{"exp":2}')), { freq: 12, nil: null }),
    header: headerMembers,
    algKey: algAndKey,
    mangle,
  })
  .map(({ base, claims, raw, header, algKey, mangle }) => ({
    ...base,
    ...(algKey ?? {}),
    header,
    claims: raw !== null ? { raw } : mutateClaims(base.claims as Member[], claims),
    mangle,
  }));
export const wildAssertion: fc.Arbitrary<AssertionSpec> = fc.constantFrom(...SEEDED).chain(wildAssertionFor);

const wildRequest: fc.Arbitrary<FuzzCase> = fc.record({
  method: fc.oneof(
    { weight: 12, arbitrary: fc.constant("POST") },
    { weight: 3, arbitrary: fc.constantFrom("GET", "PUT", "DELETE", "HEAD") },
    { weight: 1, arbitrary: fc.constantFrom("PATCH", "OPTIONS", "post", "Post", "FOO", "M-SEARCH", "PROPFIND", "PURGE") },
  ),
  prefix: fc.constant(IMS_PREFIX),
  segments,
  trailingSlash: fc.boolean(),
  query: fc.oneof({ weight: 3, arbitrary: fc.constant<Param[]>([]) }, { weight: 1, arbitrary: params }),
  queryStyle: fc.oneof({ weight: 8, arbitrary: fc.constant<QueryStyle>("encoded") }, { weight: 1, arbitrary: fc.constantFrom<QueryStyle>("raw", "plus") }),
  body,
  credential: fc.constant<[string, string][]>([]),
  headers: fc.oneof({ weight: 3, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 1, arbitrary: fc.array(junkHeader, { maxLength: 3 }) }),
  ip: clientIp,
  copies,
  elapsedMs,
});

const wildRequestCase: fc.Arbitrary<ImsCase> = fc
  .record({ request: wildRequest, assertions: fc.array(wildAssertion, { minLength: 1, maxLength: 2 }), probe })
  .map(({ request, assertions, probe }) => ({ origin: "wild", requests: [request], assertions, race: null, probe }));

/** A spoiled assertion in an exchange otherwise sent as clients send it (so the model judges the answer). */
const spoiledExchangeCase: fc.Arbitrary<ImsCase> = fc
  .record({ c: exchangeCallWith(wildAssertionFor), d: fc.oneof({ weight: 3, arbitrary: plainDelivery }, { weight: 1, arbitrary: delivery }), ip: clientIp, n: copies, ms: elapsedMs, probe })
  .map(({ c, d, ip, n, ms, probe }) => ({ origin: "wild", requests: [deliver(c.call, d, ip, n, ms)], assertions: c.assertions, race: null, probe }));

export const wildCase: fc.Arbitrary<ImsCase> = fc.oneof({ weight: 1, arbitrary: wildRequestCase }, { weight: 1, arbitrary: spoiledExchangeCase });
