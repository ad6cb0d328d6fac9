/** Wild OAuth requests: any method, path under the prefixes, parameters, body encoding and headers; real and junk pieces mixed freely. */
import fc from "fast-check";
import type { BodySpec, FuzzCase, JsonValue, Param, QueryStyle, Segment } from "../fuzz/case";
import { clientIp, copies, elapsedMs } from "../fuzz/generators-delivery";
import { jsonFragment, junkText, longText } from "../fuzz/generators-values";
import { repeated } from "../fuzz/placeholders";
import type { OAuthCase } from "./generators-realistic";
import { anyName, anyValue, authorizationValue, INHERITED, junkHeader, METADATA_NAMES, OAUTH_PREFIX, PARAM_NAMES } from "./vocabulary";

const PREFIXES = [
  "/integrations/oauth2/api",
  "/integrations/oauth2/api/v2",
  "/integrations/oauth2/api/V1",
  "/integrations/oauth2/api/v1/jwt",
  "/integrations/oauth2/api/v1/token",
  "/integrations/oauth2/api/",
  "/integrations/oauth2/api//v1",
  "/INTEGRATIONS/OAUTH2/API/V1",
  "/.well-known",
];
const SEGMENT_WORDS = ["token", "revoke", "introspect", "jwt", "exchange", "v1", "authorize", "Token", "TOKEN", "jwt%2Fexchange", "token.json", "token;x", "", ...METADATA_NAMES];
const rawSegment = fc.constantFrom("%", "%zz", "%E0%A4%A", "..", ".", "%2F", "a%2Fb", "%00", ";", "%2e%2e", "%C0%AF", "%ED%A0%80", "token%00", "t%6Fken");
const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...SEGMENT_WORDS).map((text) => ({ text })) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED).map((text) => ({ text })) },
  { weight: 2, arbitrary: rawSegment.map((raw) => ({ raw })) },
  { weight: 2, arbitrary: junkText.map((text) => ({ text })) },
  { weight: 1, arbitrary: fc.constantFrom("{{token.web.access}}", "{{web.secret}}", "{{code.web}}").map((text) => ({ text })) },
);
const segments: fc.Arbitrary<Segment[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("token", "revoke", "introspect").map((t): Segment[] => [{ text: t }]) },
  { weight: 2, arbitrary: fc.constant<Segment[]>([{ text: "jwt" }, { text: "exchange" }]) },
  { weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }) },
);

const param: fc.Arbitrary<Param> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: fc.constantFrom(...PARAM_NAMES), value: anyValue }) },
  { weight: 2, arbitrary: fc.record({ name: anyName, value: anyValue }) },
);
const params = fc.array(param, { maxLength: 7 });

const FORM = "application/x-www-form-urlencoded";
const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant(FORM) },
  { weight: 2, arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/json") },
  { weight: 1, arbitrary: fc.constant<string | null>(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      `${FORM}; charset=ISO-8859-1`,
      `${FORM}; charset=UTF-16`,
      "text/plain",
      "multipart/form-data",
      "multipart/form-data; boundary=----fuzz",
      "multipart/form-data; boundary=",
      "application/octet-stream",
      "application/xml",
      "",
      ";;;",
      "application/x-www-form-urlencoded, application/json",
      "json",
    ),
  },
);

const jsonMember: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 6, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue> },
  { weight: 1, arbitrary: fc.constantFrom<JsonValue>(null, true, 0, -1, 1e308, [], {}, ["{{web.secret}}"], { toString: "x" }) },
);

const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("form" as const), params, contentType }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("jsonObject" as const),
      members: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.constantFrom(...INHERITED), anyName), jsonMember), { maxLength: 6 }),
      contentType,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("json" as const), value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>, contentType }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text: fc.oneof(
        jsonFragment,
        junkText,
        longText,
        fc.constantFrom(
          "grant_type=authorization_code&code={{code.web}}&code={{code.web}}",
          "client_id={{web.id}}&client_secret={{web.secret}}&grant_type=refresh_token&refresh_token={{token.web.refresh}}",
          "client_id={{m2m.id}}&client_secret={{m2m.secret}}&jwt_token={{jwt.generated}}",
          "token={{token.web.access}}&client_id={{web.id}}&client_secret={{web.secret}}",
          "grant_type=authorization_code&code=%zz&redirect_uri=%E0%A4%A",
          "&&&===&",
          '{"client_id":"{{m2m.id}}","client_secret":"{{m2m.secret}}","jwt_token":"{{jwt.generated}}"}',
          '{"__proto__":{"client_secret":"{{m2m.secret}}"},"client_id":"{{m2m.id}}","jwt_token":"{{jwt.generated}}"}',
          '{"constructor":{"prototype":{"grant_type":"authorization_code"}}}',
          '{"client_id":"{{web.id}}"',
          "--x\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\n{{web.id}}\r\n--x--\r\n",
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
      bytes: fc.oneof(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
        fc.constantFrom<number[]>(
          [0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64, 0x3d, 0xff, 0xfe, 0xc3, 0x28], // client_id= + invalid UTF-8
          [0xef, 0xbb, 0xbf, 0x7b, 0x7d], // BOM + {}
          [0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d], // UTF-16 BOM + {}
          [0x7b, 0x22, 0x74, 0x6f, 0x6b, 0x65, 0x6e, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // {"token":"<CESU surrogate>"}
        ),
      ),
      contentType,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("multipart" as const),
      params,
      withFile: fc.boolean(),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: contentType }),
    }),
  },
);

const wildRequest: fc.Arbitrary<FuzzCase> = fc.record({
  method: fc.oneof(
    { weight: 12, arbitrary: fc.constant("POST") },
    { weight: 3, arbitrary: fc.constantFrom("GET", "PUT", "DELETE", "HEAD") },
    { weight: 1, arbitrary: fc.constantFrom("PATCH", "OPTIONS", "post", "Post", "FOO", "M-SEARCH", "PROPFIND", "PURGE") },
  ),
  prefix: fc.oneof({ weight: 10, arbitrary: fc.constant(OAUTH_PREFIX) }, { weight: 3, arbitrary: fc.constantFrom(...PREFIXES) }),
  segments,
  trailingSlash: fc.boolean(),
  query: fc.oneof({ weight: 3, arbitrary: fc.constant<Param[]>([]) }, { weight: 1, arbitrary: params }),
  queryStyle: fc.oneof({ weight: 8, arbitrary: fc.constant<QueryStyle>("encoded") }, { weight: 1, arbitrary: fc.constantFrom<QueryStyle>("raw", "plus") }),
  body,
  credential: fc.oneof({ weight: 2, arbitrary: fc.constant<[string, string][]>([]) }, { weight: 2, arbitrary: authorizationValue.map((v): [string, string][] => [["authorization", v]]) }),
  headers: fc.array(junkHeader, { maxLength: 3 }),
  ip: clientIp,
  copies,
  elapsedMs,
});

export const wildCase: fc.Arbitrary<OAuthCase> = wildRequest.map((request) => ({ request, mustSucceed: null, also: null }));
