/** Wild requests: any method, prefix, path, query, body encoding and headers, junk and real pieces mixed freely. */
import fc from "fast-check";
import type { BodySpec, FuzzCase, JsonValue, QueryStyle, Segment } from "./case";
import { clientIp, copies, credential, elapsedMs, header } from "./generators-delivery";
import { jsonMember, jsonScalar, paramGroup, params, writableField } from "./generators-params";
import { ACTION_NAMES, FIELDS, idRef, INHERITED, jsonFragment, junkText, longText, OBJECT_CODES, PREFIXES } from "./generators-values";
import { repeated } from "./placeholders";

const objectCode = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...OBJECT_CODES) },
  { weight: 3, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.constantFrom("login", "logout", "widget", "task", "PROJ ", "pro%6A") },
  { weight: 1, arbitrary: junkText },
);
const rawSegment = fc.constantFrom("%", "%zz", "%E0%A4%A", "..", ".", "%2F", "a%2Fb", "%00", ";", "%2e%2e", "%7B%7D", "%C0%AF");
const segment = (text: fc.Arbitrary<string>): fc.Arbitrary<Segment> =>
  fc.oneof({ weight: 9, arbitrary: text.map((t) => ({ text: t })) }, { weight: 1, arbitrary: rawSegment.map((raw) => ({ raw })) });
const secondSegment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("search", "count", "metadata", "SEARCH", "Count") },
  { weight: 4, arbitrary: idRef },
  { weight: 3, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.constantFrom("login", "logout", "") },
  { weight: 1, arbitrary: junkText },
);
const thirdSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.constantFrom("search", "count", "metadata") },
  { weight: 1, arbitrary: junkText },
);
const pathSegments: fc.Arbitrary<Segment[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Segment[]>([]) },
  { weight: 2, arbitrary: fc.constantFrom("login", "logout", "LOGIN", "Logout").map((t) => [{ text: t }]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("login", "logout"), junkText).map(([a, b]) => [{ text: a }, { text: b }]) },
  { weight: 3, arbitrary: fc.tuple(segment(objectCode)) },
  { weight: 8, arbitrary: fc.tuple(segment(objectCode), segment(secondSegment)) },
  { weight: 4, arbitrary: fc.tuple(segment(objectCode), segment(secondSegment), segment(thirdSegment)) },
  { weight: 1, arbitrary: fc.array(segment(fc.oneof(secondSegment, thirdSegment, objectCode)), { minLength: 4, maxLength: 6 }) },
);

const FORM_TYPES = [
  "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=UTF-8",
  "application/x-www-form-urlencoded;charset=ISO-8859-1",
  "APPLICATION/X-WWW-FORM-URLENCODED",
];
const JSON_TYPES = ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/json", "application/vnd.api+json"];
const WRONG_TYPES = ["text/plain", "text/plain;charset=UTF-8", "multipart/form-data", "multipart/form-data; boundary=----fuzz", "application/xml", "application/octet-stream", ""];
const contentType = (preferred: string[]): fc.Arbitrary<string | null> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...preferred) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(...FORM_TYPES, ...JSON_TYPES, ...WRONG_TYPES) },
  );

const jsonText = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...FIELDS, "sessionID", "method"), jsonMember), { maxLength: 4 }).map((ms) => JSON.stringify(Object.fromEntries(ms))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);
const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<BodySpec>({ kind: "none" }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("form" as const), params, contentType: contentType(FORM_TYPES) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("jsonObject" as const),
      members: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: writableField.map((p): [string, JsonValue] => [p.name, p.value]) },
          { weight: 3, arbitrary: paramGroup.map((ps): [string, JsonValue] => (ps[0] ? [ps[0].name, ps[0].value] : ["name", "Fuzz throwaway"])) },
          { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...FIELDS, "sessionID", "apiKey", "method", "updates", "fields"), jsonMember) },
          { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INHERITED), jsonMember) },
        ),
        { maxLength: 5 },
      ),
      contentType: contentType(JSON_TYPES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("json" as const),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
        fc.array(fc.dictionary(fc.constantFrom(...FIELDS), jsonScalar, { maxKeys: 3 }), { maxLength: 3 }),
      ),
      contentType: contentType(JSON_TYPES),
    }),
  },
  {
    // Malformed JSON (a valid document cut short, or fragments), a form body sent as JSON, text.
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text: fc.oneof(
        fc.tuple(jsonText, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
        jsonFragment,
        fc.constantFrom("name=x&method=POST", "   ", "\u0000", "{'name':'x'}", '{"a":1}{"b":2}', '{"name":"x"', "--x\r\nContent-Disposition: form-data\r\n\r\n"),
        junkText,
        longText,
      ),
      contentType: contentType([...JSON_TYPES, ...WRONG_TYPES, ...FORM_TYPES]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("bytes" as const),
      bytes: fc.oneof(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }),
        fc.constantFrom<number[]>(
          [0xef, 0xbb, 0xbf, 0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0x78, 0x22, 0x7d], // BOM + {"name":"x"}
          [0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe, 0xc3, 0x28], // name= + invalid UTF-8
          [0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // {"name":"<CESU surrogate>"}
          [0x00, 0x00, 0x00, 0x7b],
        ),
      ),
      contentType: contentType([...FORM_TYPES, ...JSON_TYPES, ...WRONG_TYPES]),
    }),
  },
  {
    // Deeply nested JSON, valid and not.
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text: fc.integer({ min: 100, max: 20_000 }).chain((n) => fc.constantFrom(`${repeated([n, "["])}${repeated([n, "]"])}`, repeated([n, "["]), `{"name":${repeated([n, "["])}1${repeated([n, "]"])}}`)),
      contentType: contentType(JSON_TYPES),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("multipart" as const),
      params,
      withFile: fc.boolean(),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom("multipart/form-data", "multipart/form-data; boundary=wrong", ...FORM_TYPES, ...JSON_TYPES) }),
    }),
  },
);

/** Anything goes: junk and real pieces mixed freely. */
export const wildCase: fc.Arbitrary<FuzzCase> = fc.record({
  method: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE") },
    { weight: 1, arbitrary: fc.constantFrom("HEAD", "PATCH", "OPTIONS") },
    { weight: 1, arbitrary: fc.constantFrom("get", "Put", "delete", "patch", "FOO", "M-SEARCH", "PROPFIND", "PURGE") },
  ),
  prefix: fc.oneof({ weight: 12, arbitrary: fc.constant("/attask/api/v20.0") }, { weight: 4, arbitrary: fc.constantFrom(...PREFIXES) }),
  segments: pathSegments,
  trailingSlash: fc.boolean(),
  query: params,
  queryStyle: fc.oneof({ weight: 8, arbitrary: fc.constant<QueryStyle>("encoded") }, { weight: 1, arbitrary: fc.constantFrom<QueryStyle>("raw", "plus") }),
  body,
  credential,
  headers: fc.array(header, { maxLength: 3 }),
  ip: clientIp,
  copies,
  elapsedMs,
});
