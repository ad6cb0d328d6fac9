/**
 * Property-based fuzzing of the REST API. Random methods, paths, parameters, body encodings, headers,
 * credentials, client addresses and pauses go through the real Web handler (`handleRestRequest`)
 * against a real SQLite file holding a realistic state (an administrator, a user with an API key and
 * sessions, projects of each, throwaway users and projects). Most requests are realistic calls with a
 * working credential and a little junk; the rest mix real and junk pieces freely. For every request:
 *
 * - the status is 2xx or 4xx (the one 5xx allowed is the documented X.509 "untrusted request" 500),
 *   and the answer comes within SLOW_MS;
 * - the body is the JSON envelope, `{"data": ...}` or `{"error": {"class", "message"}}`;
 * - the body shows no stack trace, source path, runtime setting, server key, password or password
 *   hash, and no credential the request did not itself carry;
 * - a refused request (status >= 400) leaves projects, users (but the failed-login bookkeeping), API
 *   keys (but their last-used time), the instance settings and the customer row exactly as they were,
 *   and starts no session; a read (GET or HEAD without `method=`) changes none of them either;
 * - after a successful change, every stored project and user still renders.
 *
 * KEYWARD_FUZZ_RUNS (default 2000, split over two failed-credential limit configurations),
 * KEYWARD_FUZZ_SEED and KEYWARD_FUZZ_TIMEOUT_MS tune a run; `npm run fuzz` runs 20,000 cases.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { lookupHash } from "../../lib/crypto/secrets";
import { handleRestRequest } from "../../lib/rest/handler";
import { addQueryString, Params } from "../../lib/rest/params";
import { FILTER_OPS } from "../../lib/rest/query";
import { generateApiKey } from "../../lib/services/api-keys/manage";
import { verifyApiKey } from "../../lib/services/api-keys/verify";
import { startSession } from "../../lib/services/auth/sessions";
import type { ServiceContext } from "../../lib/services/context";
import { updateUser } from "../../lib/services/users/write";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

const RUNS = Math.max(1, Number(process.env.KEYWARD_FUZZ_RUNS ?? 2000));
const SEED = Number(process.env.KEYWARD_FUZZ_SEED ?? 20_260_115);
const TIMEOUT_MS = Number(process.env.KEYWARD_FUZZ_TIMEOUT_MS ?? Math.max(120_000, RUNS * 60));

/** An answer slower than this, in-process on a small database, is a denial of service. */
const SLOW_MS = 5000;
/** The one 5xx the API may give: the documented answer to a refused X.509 certificate. */
const UNTRUSTED_MESSAGE = "Untrusted request. Please contact your system administrator and attach certificate.";

const ORIGIN = "http://localhost:3000";
/** Address of the seeding and repair requests; generated requests never use it. */
const REPAIR_IP = "198.51.100.250";
const UNKNOWN_ID = "0123456789abcdef0123456789abcdef";
const SCRATCH_USERS = 3;
const PROJECTS_EACH = 3;
const SCRATCH_PROJECTS = 4;
/** Above this many projects, the ones the fuzzer created are removed so snapshots stay cheap. */
const MAX_PROJECTS = 300;

// ---------------------------------------------------------------------------------------------
// The generated request. Values may hold placeholders such as {{user.session}} that are resolved
// against the current state when the request is sent, so a shrunk counterexample stays readable.

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

interface Param {
  name: string;
  value: string;
}

/** A path segment: `text` is percent-encoded when sent, `raw` is sent as written. */
type Segment = { text: string } | { raw: string };

type QueryStyle = "encoded" | "raw" | "plus";

type BodySpec =
  | { kind: "none" }
  | { kind: "form"; params: Param[]; contentType: string | null }
  /** A JSON object written member by member, so duplicate and `__proto__` keys survive. */
  | { kind: "jsonObject"; members: [string, JsonValue][]; contentType: string | null }
  | { kind: "json"; value: JsonValue; contentType: string | null }
  | { kind: "text"; text: string; contentType: string | null }
  | { kind: "multipart"; params: Param[]; withFile: boolean; contentType: string | null }
  /** Raw bytes, which need not be UTF-8. */
  | { kind: "bytes"; bytes: number[]; contentType: string | null };

interface FuzzCase {
  method: string;
  prefix: string;
  segments: Segment[];
  trailingSlash: boolean;
  query: Param[];
  queryStyle: QueryStyle;
  body: BodySpec;
  /** Chosen apart from `headers` so that a good share of requests carry a working credential. */
  credential: [string, string][];
  headers: [string, string][];
  /** The client address the Node entry would pass; null for none. */
  ip: string | null;
  /** How many copies of the request are sent at once (races between identical requests). */
  copies: number;
  /** Milliseconds that pass on the server's clock before the request. */
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// Generators

const INHERITED = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
  "Constructor",
  "__PROTO__",
];
const OBJECT_CODES = ["proj", "PROJ", "project", "Project", "user", "USER", "User"];
const ACTION_NAMES = ["getApiKey", "generateApiKey", "clearApiKey", "GETAPIKEY", "generateapikey", "ClearApiKey"];
const PROJ_FIELDS = [
  "ID",
  "name",
  "description",
  "status",
  "priority",
  "percentComplete",
  "plannedStartDate",
  "plannedCompletionDate",
  "ownerID",
  "entryDate",
  "lastUpdateDate",
];
const USER_FIELDS = ["username", "emailAddr", "accessLevel", "isActive", "passwordDate", "lastLoginDate"];
const FIELDS = [...PROJ_FIELDS, ...USER_FIELDS, "objCode"];
const PREFIXES = [
  "/attask/api/v20.0",
  "/attask/api/v2.0",
  "/attask/api-internal",
  "/attask/api",
  "/attask/api/v99.0",
  "/attask/api/v22.0",
  "/attask/api/v1.0",
  "/attask/api-unsupported",
  "/ATTASK/API/V20.0",
  "/attask/apix",
  "/attask",
  "",
];

const scratchUserRefs = Array.from({ length: SCRATCH_USERS }, (_, i) => `scratch.${i}`);
const projectRefs = {
  admin: Array.from({ length: PROJECTS_EACH }, (_, i) => `{{proj.admin.${i}}}`),
  user: Array.from({ length: PROJECTS_EACH }, (_, i) => `{{proj.user.${i}}}`),
  scratch: Array.from({ length: SCRATCH_PROJECTS }, (_, i) => `{{proj.scratch.${i}}}`),
};

/** `{{repeat:N:text}}`, sent as `text` repeated N times: long values keep counterexamples short. */
const repeated = ([n, chunk]: [number, string]) => `{{repeat:${n}:${chunk}}}`;

/** Arbitrary text: any code point, printable graphemes, ASCII control characters. */
const junkText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary-ascii", maxLength: 30 }),
  fc.constantFrom("\ud800", "a\udfffb", "\u0000", "\u202e", "\ufeff", "null", "undefined", "NaN"),
);
/** Up to about 5,000 characters. */
const longText = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 256, maxLength: 5000 }),
  fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.constantFrom("a", "%", "_", "\\", "é", "😀", "%a", "a_", "'", "[", "*")).map(repeated),
);
/** Past SQLite's 50,000-byte LIKE pattern limit (also when counted in UTF-16 units rather than bytes). */
const hugeText = fc.tuple(fc.integer({ min: 50_001, max: 60_000 }), fc.constantFrom("a", "%", "_", "😀", "é%")).map(repeated);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom("0", "-0", "-1", "1e17", "8.64e15", "Infinity", "9007199254740993", "0x10", " 3 ", "3.5", "1_000"),
);
const jsonFragment = fc.constantFrom(
  "{",
  "}",
  "[]",
  "{}",
  '{"a":1}',
  "null",
  '"x"',
  '[{"name":"x"}]',
  '{"name":{"$gt":""}}',
  '{"__proto__":{"accessLevel":"admin"}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  "[1,2",
  '{"name":"x",}',
);
const wildcard = fc.oneof(
  fc.constantFrom("%", "%%", "_", "%_%", "a%b", "%25", "\\%", "[a-z]*", "*", "?", "'", "' OR 1=1 --", "%' OR '1'='1"),
  // Backtracking bait for naive matchers: many wildcards that almost match a long text.
  fc.tuple(fc.integer({ min: 2, max: 40 }), fc.constantFrom("%a", "%_", "_%", "%a_", "%%a")).map(([n, chunk]) => `${repeated([n, chunk])}b`),
);
const plainValue = fc.constantFrom(
  "Fuzz project",
  "CUR",
  "PLN",
  "CPL",
  "WAT",
  "3",
  "0",
  "1",
  "true",
  "false",
  "TRUE",
  "yes",
  "admin",
  "user",
  "2024-01-02T03:04:05:000-0700",
  "2026-01-15T12:00:00Z",
  "1768478400000",
  "fuzz@example.com",
  "",
  " ",
);
const idRef = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...projectRefs.scratch) },
  { weight: 2, arbitrary: fc.constantFrom(...projectRefs.admin, ...projectRefs.user) },
  { weight: 2, arbitrary: fc.constantFrom(...scratchUserRefs.map((s) => `{{${s}.id}}`)) },
  { weight: 1, arbitrary: fc.constantFrom("{{admin.id}}", "{{user.id}}", "{{unknown.id}}") },
);
const usernameRef = fc.constantFrom("{{admin.username}}", "{{user.username}}", ...scratchUserRefs.map((s) => `{{${s}.username}}`));
const refValue = fc.oneof(idRef, usernameRef);

const anyValue = fc.oneof(
  { weight: 6, arbitrary: plainValue },
  { weight: 3, arbitrary: refValue },
  { weight: 3, arbitrary: junkText },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: jsonFragment },
  { weight: 2, arbitrary: wildcard },
  { weight: 1, arbitrary: longText },
);
/** Values for filters, where long and huge patterns matter most. */
const filterValue = fc.oneof(
  { weight: 5, arbitrary: anyValue },
  { weight: 2, arbitrary: wildcard },
  { weight: 2, arbitrary: longText },
  { weight: 1, arbitrary: hugeText },
);

const junkName = fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }));
const fieldName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: fc.constantFrom(...FIELDS).map((s) => s.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: junkName },
);
const modifier = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FILTER_OPS) },
  { weight: 1, arbitrary: fc.constantFrom(...FILTER_OPS).map((s) => s.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom("drop", "", "regexp", "match", ...INHERITED) },
);
const actionValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: junkText },
);
const sessionValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{{admin.session}}", "{{user.session}}") },
  { weight: 2, arbitrary: fc.constantFrom("{{session.expired}}", "{{session.loggedOut}}", "{{user.apiKey}}") },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{32}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(16), "x".repeat(129), "null") },
);
const apiKeyValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant("{{user.apiKey}}") },
  { weight: 2, arbitrary: fc.constantFrom("{{apiKey.stale}}", "{{apiKey.cleared}}", "{{admin.session}}") },
  { weight: 1, arbitrary: fc.stringMatching(/^kwk_[A-Za-z0-9_-]{32}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", "kwk_", "kwk_" + "A".repeat(33)) },
);
const usernameValue = fc.oneof(
  { weight: 4, arbitrary: usernameRef },
  { weight: 1, arbitrary: fc.constantFrom("ghost", "ADMIN", " admin", "", ...INHERITED) },
  { weight: 1, arbitrary: junkText },
);
const passwordValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{{admin.password}}", "{{user.password}}", ...scratchUserRefs.map((s) => `{{${s}.password}}`)) },
  { weight: 2, arbitrary: fc.constantFrom("wrong-password", "", "short") },
  { weight: 1, arbitrary: junkText },
  { weight: 1, arbitrary: longText },
);
const fieldListValue = fc.oneof(
  fc.constantFrom("*", "objCode", "ID,name", "passwordHash", "password_hash", "*,*", ",,"),
  fc.array(fieldName, { maxLength: 5 }).map((names) => names.join(",")),
  junkText,
);
const methodValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "get", "put", "post", "delete") },
  { weight: 1, arbitrary: fc.constantFrom("PATCH", "HEAD", "OPTIONS", "", ...INHERITED) },
  { weight: 1, arbitrary: junkText },
);

/** A value fitting a writable field, or a near miss. */
const writableField: fc.Arbitrary<Param> = fc.oneof(
  fc.record({ name: fc.constantFrom("name", "NAME"), value: fc.oneof({ weight: 4, arbitrary: fc.constant("Fuzz throwaway") }, { weight: 2, arbitrary: anyValue }, { weight: 1, arbitrary: longText }) }),
  fc.record({ name: fc.constant("description"), value: fc.oneof(anyValue, longText) }),
  fc.record({ name: fc.constant("status"), value: fc.oneof(fc.constantFrom("CUR", "PLN", "CPL", "DED", "ONH", "cur", "WAT"), anyValue) }),
  fc.record({ name: fc.constantFrom("priority", "percentComplete"), value: fc.oneof(numberText, anyValue) }),
  fc.record({
    name: fc.constantFrom("plannedStartDate", "plannedCompletionDate", "entryDate"),
    value: fc.oneof(fc.constantFrom("2024-01-02T03:04:05:000-0700", "2026-01-15", "1768478400000", "1e17", "99999999999999999"), numberText, anyValue),
  }),
  fc.record({ name: fc.constant("ownerID"), value: fc.oneof(idRef, anyValue) }),
  fc.record({
    name: fc.constant("username"),
    value: fc.oneof({ weight: 3, arbitrary: fc.nat().map((n) => `fz${n}`) }, { weight: 1, arbitrary: usernameValue }),
  }),
  fc.record({ name: fc.constant("emailAddr"), value: fc.oneof(fc.constantFrom("fz@example.com", "not-an-email", ""), anyValue) }),
  fc.record({ name: fc.constant("accessLevel"), value: fc.oneof(fc.constantFrom("user", "admin", "ADMIN", "root"), anyValue) }),
  fc.record({ name: fc.constant("isActive"), value: fc.oneof(fc.constantFrom("true", "false", "1", "0", "yes", "TRUE"), anyValue) }),
  fc.record({ name: fc.constant("password"), value: fc.oneof(fc.constantFrom("a-long-enough-password", "short"), passwordValue) }),
  fc.record({ name: fc.constantFrom("passwordDate", "lastLoginDate", "lastUpdateDate", "ID", "objCode"), value: anyValue }),
);

const jsonScalar: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: anyValue },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(1e17, -0, 2 ** 53 + 2, 8.64e15 + 1) },
);
const jsonMember: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 8, arbitrary: jsonScalar },
  { weight: 1, arbitrary: fc.array(jsonScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("name", "$gt", "__proto__", "constructor", "x"), jsonScalar, { maxKeys: 2 }) },
);

/** One logical parameter, sometimes with its companions (`_Mod`, `_Range`, a password). */
const paramGroup: fc.Arbitrary<Param[]> = fc.oneof(
  // Filters: field=value, field_Mod=op, field_Range=value, several values for in/notin.
  {
    weight: 5,
    arbitrary: fc
      .record({
        field: fieldName,
        values: fc.array(filterValue, { minLength: 0, maxLength: 3 }),
        mod: fc.option(modifier, { nil: undefined }),
        range: fc.option(filterValue, { nil: undefined }),
      })
      .map(({ field, values, mod, range }) => [
        ...values.map((value) => ({ name: field, value })),
        ...(mod === undefined ? [] : [{ name: `${field}_Mod`, value: mod }]),
        ...(range === undefined ? [] : [{ name: `${field}_Range`, value: range }]),
      ]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fieldName, fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }), fc.oneof(fc.constantFrom("asc", "desc", "ASC", "Desc"), fc.constantFrom("up", ""), junkText))
      .map(([field, n, dir]) => [{ name: n === undefined ? `${field}_Sort` : `${field}_${n}_Sort`, value: dir }]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom("$$LIMIT", "$$FIRST", "$$limit", "$$first"), fc.oneof(fc.integer({ min: -5, max: 3000 }).map(String), numberText, junkText))
      .map(([name, value]) => [{ name, value }]),
  },
  { weight: 2, arbitrary: fieldListValue.map((value) => [{ name: "fields", value }]) },
  { weight: 1, arbitrary: methodValue.map((value) => [{ name: "method", value }]) },
  { weight: 2, arbitrary: actionValue.map((value) => [{ name: "action", value }]) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.array(writableField, { maxLength: 4 }).map((ps) => JSON.stringify(Object.fromEntries(ps.map((p) => [p.name, p.value])))),
        fc.array(fc.tuple(fc.constantFrom(...FIELDS, ...INHERITED), jsonMember), { maxLength: 3 }).map((ms) => JSON.stringify(Object.fromEntries(ms))),
        jsonFragment,
        junkText,
      )
      .map((value) => [{ name: "updates", value }]),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("sessionID", "SESSIONID", "sessionid"), sessionValue).map(([name, value]) => [{ name, value }]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("apiKey", "APIKEY"), apiKeyValue).map(([name, value]) => [{ name, value }]) },
  {
    weight: 3,
    arbitrary: fc.tuple(usernameValue, passwordValue).map(([u, p]) => [
      { name: "username", value: u },
      { name: "password", value: p },
    ]),
  },
  { weight: 1, arbitrary: fc.oneof(usernameValue.map((value) => ({ name: "username", value })), passwordValue.map((value) => ({ name: "password", value }))).map((p) => [p]) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.constantFrom("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "", "not a certificate"), junkText, longText)
      .map((value) => [{ name: "apiCertificate", value }]),
  },
  { weight: 4, arbitrary: writableField.map((p) => [p]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("id", "ID", "Id"), fc.oneof(idRef, fc.array(idRef, { minLength: 2, maxLength: 4 }).map((ids) => ids.join(",")), anyValue))
      .map(([name, value]) => [{ name, value }]),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INHERITED), anyValue).map(([name, value]) => [{ name, value }]) },
  { weight: 1, arbitrary: fc.tuple(junkName, anyValue).map(([name, value]) => [{ name, value }]) },
  {
    // A crowd: near the limits on parameter names and filters, or the same field in many spellings.
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 40, max: 230 }), fc.constantFrom("name", "x", "name_Mod", "ID"), fc.boolean())
      .map(([n, base, spellings]) =>
        Array.from({ length: n }, (_, i) => ({
          name: spellings ? [...base].map((ch, j) => ((i >> j) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join("") : `${base}${i}`,
          value: "x",
        })),
      ),
  },
);
const params = fc.array(paramGroup, { maxLength: 5 }).map((groups) => groups.flat());

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

/** Header values must be Latin-1 without control characters. */
const latin1Text = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const credential: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 3, arbitrary: fc.constant<[string, string][]>([["sessionID", "{{admin.session}}"]]) },
  { weight: 3, arbitrary: fc.constant<[string, string][]>([["sessionID", "{{user.session}}"]]) },
  { weight: 2, arbitrary: fc.constant<[string, string][]>([["apiKey", "{{user.apiKey}}"]]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string][]>(
      [["cookie", "sessionID={{user.session}}"]],
      [["cookie", "other=1; sessionID={{admin.session}}"], ["x-requested-with", "XMLHttpRequest"]],
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      sessionValue.map((v): [string, string][] => [["sessionID", v]]),
      apiKeyValue.map((v): [string, string][] => [["apiKey", v]]),
      fc.constantFrom<[string, string][]>([["sessionID", "{{session.expired}}"]], [["apiKey", "{{apiKey.stale}}"]], [["sessionID", "{{user.session}}"], ["apiKey", "{{apiKey.cleared}}"]]),
    ),
  },
);
const header: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("sessionID", "SessionID", "SESSIONID"), sessionValue) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("apiKey", "APIKEY"), apiKeyValue) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<[string, string]>(
      ["sessionID", "{{admin.session}}, {{user.session}}"],
      ["sessionID", "{{user.session}},"],
      ["apiKey", "{{user.apiKey}}, {{user.apiKey}}"],
      ["cookie", "sessionID={{user.session}}; sessionID={{admin.session}}"],
    ),
  },
  fc.tuple(
    fc.constant("authorization"),
    fc.oneof(
      fc.constantFrom("Basic {{basic.admin}}", "Basic {{basic.user}}", "Basic {{basic.wrong}}", "Bearer {{user.apiKey}}", "Bearer {{admin.session}}", "Bearer ", "Basic !!!"),
      latin1Text.map((t) => `Bearer ${t}`),
      latin1Text,
    ),
  ),
  fc.tuple(fc.constant("x-requested-with"), fc.constantFrom("XMLHttpRequest", "fetch", "")),
  fc.tuple(
    fc.constant("cookie"),
    fc.oneof(
      fc.constantFrom("sessionID={{user.session}}", "sessionID={{admin.session}}", "a=b; sessionID={{session.expired}}", "sessionID=%zz", "sessionID=", "sessionID", ";;;="),
      latin1Text,
    ),
  ),
  { weight: 1, arbitrary: fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "2000000", "-1", "abc")) },
  fc.tuple(fc.constantFrom("user-agent", "x-forwarded-for", "x-keyward-client-ip", "accept", "origin", "referer"), fc.oneof(latin1Text, fc.constant("x".repeat(5000)))),
  fc.tuple(fc.constantFrom("x-api-certificate", "ssl-client-cert", "x-ssl-client-cert"), fc.oneof(latin1Text, fc.constant("-----BEGIN CERTIFICATE-----MIIB-----END CERTIFICATE-----"))),
);

/** Most requests come from no known address (they share one); some from a few others. */
const clientIp = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom("203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::1", "::ffff:203.0.113.4") },
  { weight: 1, arbitrary: fc.ipV4() },
);

/** Mostly one request; now and then identical copies sent together. */
const copies = fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) });
/** Time between requests, so limit windows and lockouts run their course; now and then a long pause. */
const elapsedMs = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 2_500 }) }, { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 15 * 60_000 }) });

/** Anything goes: junk and real pieces mixed freely. */
const wildCase: fc.Arbitrary<FuzzCase> = fc.record({
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

// Realistic requests: a real route with parameters that fit it, a working credential most of the
// time, and now and then one junk parameter or header, so the deep code paths run.

type ObjectKind = "proj" | "user";
const OBJECT_FIELDS: Record<ObjectKind, { name: string; type: "string" | "number" | "date" | "boolean" }[]> = {
  proj: [
    { name: "ID", type: "string" },
    { name: "name", type: "string" },
    { name: "description", type: "string" },
    { name: "status", type: "string" },
    { name: "priority", type: "number" },
    { name: "percentComplete", type: "number" },
    { name: "plannedStartDate", type: "date" },
    { name: "plannedCompletionDate", type: "date" },
    { name: "ownerID", type: "string" },
    { name: "entryDate", type: "date" },
    { name: "lastUpdateDate", type: "date" },
  ],
  user: [
    { name: "ID", type: "string" },
    { name: "username", type: "string" },
    { name: "name", type: "string" },
    { name: "emailAddr", type: "string" },
    { name: "accessLevel", type: "string" },
    { name: "isActive", type: "boolean" },
    { name: "passwordDate", type: "date" },
    { name: "lastLoginDate", type: "date" },
    { name: "entryDate", type: "date" },
    { name: "lastUpdateDate", type: "date" },
  ],
};
const typedValue = {
  string: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("Admin project 0", "User project", "Scratch", "fuzz", "CUR", "admin", "user", "a", "") },
    { weight: 2, arbitrary: wildcard.map((w) => `${w}project${w}`) },
    { weight: 2, arbitrary: refValue },
    { weight: 2, arbitrary: filterValue },
    { weight: 1, arbitrary: longText },
    { weight: 1, arbitrary: hugeText },
  ),
  number: fc.oneof(fc.integer({ min: -3, max: 10 }).map(String), numberText),
  date: fc.constantFrom("2026-01-15T12:00:00Z", "2024-01-02T03:04:05:000-0700", "1768478400000", "2026-01-15", "$$TODAY", "1e17"),
  boolean: fc.constantFrom("true", "false", "1", "0", "TRUE"),
};
const TEXT_OPS = FILTER_OPS.filter((op) => /contains|startswith|endswith|like|cieq|cine/.test(op));
const realisticFilter = (kind: ObjectKind): fc.Arbitrary<Param[]> =>
  fc
    .record({
      field: fc.constantFrom(...OBJECT_FIELDS[kind]),
      mod: fc.option(fc.oneof(fc.constantFrom(...FILTER_OPS), fc.constantFrom(...TEXT_OPS)), { nil: undefined, freq: 3 }),
      count: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
      strayRange: fc.boolean(),
    })
    .chain(({ field, mod, count, strayRange }) => {
      const list = mod === "in" || mod === "notin";
      const valueless = mod !== undefined && ["isnull", "notnull", "isblank", "notblank"].includes(mod);
      const ranged = mod === "between" || mod === "notbetween";
      const n = list ? Math.max(count, 2) : valueless && count === 1 ? 0 : count;
      return fc
        .record({
          values: fc.array(typedValue[field.type], { minLength: n, maxLength: n }),
          range: ranged || (strayRange && count === 0) ? fc.option(typedValue[field.type], { nil: undefined, freq: 8 }) : fc.constant(undefined),
        })
        .map(({ values, range }) => [
          ...values.map((value) => ({ name: field.name, value })),
          ...(mod === undefined ? [] : [{ name: `${field.name}_Mod`, value: mod }]),
          ...(range === undefined ? [] : [{ name: `${field.name}_Range`, value: range }]),
        ]);
    });
const realisticSearchParams = (kind: ObjectKind): fc.Arbitrary<Param[]> => {
  const names = OBJECT_FIELDS[kind].map((f) => f.name);
  return fc
    .tuple(
      fc.array(realisticFilter(kind), { maxLength: 3 }),
      fc.option(
        fc.tuple(fc.constantFrom(...names), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.constantFrom("asc", "desc", "DESC")),
        { nil: undefined },
      ),
      fc.option(
        fc.tuple(
          fc.constantFrom("$$LIMIT", "$$FIRST"),
          fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }).map(String) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 2001 }).map(String) }, { weight: 1, arbitrary: numberText }),
        ),
        { nil: undefined },
      ),
      fc.option(fc.oneof(fc.constant("*"), fc.subarray(names, { maxLength: 4 }).map((ns) => ns.join(","))), { nil: undefined }),
    )
    .map(([filters, sort, page, fields]) => [
      ...filters.flat(),
      ...(sort ? [{ name: sort[1] === undefined ? `${sort[0]}_Sort` : `${sort[0]}_${sort[1]}_Sort`, value: sort[2] }] : []),
      ...(page ? [{ name: page[0], value: page[1] }] : []),
      ...(fields === undefined ? [] : [{ name: "fields", value: fields }]),
    ]);
};
const projectValues: fc.Arbitrary<Param[]> = fc
  .record({
    name: fc.oneof({ weight: 4, arbitrary: fc.constant("Fuzz throwaway") }, { weight: 1, arbitrary: anyValue }),
    extra: fc.subarray(["description", "status", "priority", "percentComplete", "plannedStartDate", "plannedCompletionDate", "ownerID"]),
    values: fc.record({
      description: fc.oneof(plainValue, junkText, longText),
      status: fc.oneof(fc.constantFrom("CUR", "PLN", "CPL", "DED", "ONH"), fc.constantFrom("cur", "WAT", "")),
      priority: typedValue.number,
      percentComplete: typedValue.number,
      plannedStartDate: typedValue.date,
      plannedCompletionDate: typedValue.date,
      ownerID: idRef,
    }),
  })
  .map(({ name, extra, values }) => [{ name: "name", value: name }, ...extra.map((k) => ({ name: k, value: values[k as keyof typeof values] }))]);
const userValues = (creating: boolean): fc.Arbitrary<Param[]> =>
  fc
    .record({
      username: fc.oneof({ weight: 4, arbitrary: fc.nat().map((n) => `fz${n}`) }, { weight: 1, arbitrary: usernameValue }),
      extra: fc.subarray(creating ? ["emailAddr", "accessLevel", "isActive", "password"] : ["username", "name", "emailAddr", "accessLevel", "isActive"]),
      values: fc.record({
        name: fc.oneof(fc.constant("Fuzz Person"), anyValue),
        emailAddr: fc.constantFrom("fz@example.com", "not-an-email", ""),
        accessLevel: fc.constantFrom("user", "user", "admin", "root"),
        isActive: typedValue.boolean,
        password: fc.constantFrom("a-long-enough-password", "short"),
      }),
    })
    .map(({ username, extra, values }) => {
      const pick = (k: string) => (k === "username" ? username : values[k as keyof typeof values]);
      const base = creating ? [{ name: "username", value: username }, { name: "name", value: values.name }] : [];
      return [...base, ...extra.map((k) => ({ name: k, value: pick(k) }))];
    });

/** Where a write's values travel. */
type Placement = "query" | "form" | "json" | "typedJson" | "multipart" | "updates";
const placement = fc.constantFrom<Placement>("query", "form", "json", "typedJson", "multipart", "updates");

function typed(value: string): JsonValue {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === "true" || value === "false") return value === "true";
  return value;
}

function place(values: Param[], where: Placement): { query: Param[]; body: BodySpec } {
  switch (where) {
    case "query":
      return { query: values, body: { kind: "none" } };
    case "form":
      return { query: [], body: { kind: "form", params: values, contentType: "application/x-www-form-urlencoded" } };
    case "json":
    case "typedJson":
      return { query: [], body: { kind: "jsonObject", members: values.map((p) => [p.name, where === "json" ? p.value : typed(p.value)]), contentType: "application/json" } };
    case "multipart":
      return { query: [], body: { kind: "multipart", params: values, withFile: false, contentType: null } };
    case "updates":
      return { query: [{ name: "updates", value: JSON.stringify(Object.fromEntries(values.map((p) => [p.name, typed(p.value)]))) }], body: { kind: "none" } };
  }
}

const goodCredential: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<[string, string][]>([["sessionID", "{{admin.session}}"]]) },
  { weight: 4, arbitrary: fc.constant<[string, string][]>([["sessionID", "{{user.session}}"]]) },
  { weight: 3, arbitrary: fc.constant<[string, string][]>([["apiKey", "{{user.apiKey}}"]]) },
  { weight: 1, arbitrary: fc.constant<[string, string][]>([["cookie", "sessionID={{user.session}}"], ["x-requested-with", "XMLHttpRequest"]]) },
  { weight: 1, arbitrary: credential },
);

interface Route {
  method: string;
  segments: string[];
  query?: Param[];
  body?: BodySpec;
  credential?: [string, string][];
}
const objectKind = fc.constantFrom<ObjectKind>("proj", "user");
const codeFor = (kind: ObjectKind) => fc.constantFrom(...(kind === "proj" ? ["proj", "PROJ", "project"] : ["user", "USER"]));
const route: fc.Arbitrary<Route> = fc.oneof(
  {
    weight: 6,
    arbitrary: objectKind.chain((kind) =>
      fc.record({ method: fc.constantFrom("GET", "GET", "HEAD"), code: codeFor(kind), op: fc.constantFrom("search", "search", "count"), query: realisticSearchParams(kind) }).map(
        ({ method, code, op, query }): Route => ({ method, segments: [code, op], query }),
      ),
    ),
  },
  { weight: 1, arbitrary: objectKind.chain((kind) => codeFor(kind)).map((code): Route => ({ method: "GET", segments: [code, "metadata"] })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ code: fc.constantFrom("proj", "user"), id: idRef, fields: fc.option(fieldListValue, { nil: undefined }), many: fc.boolean(), other: idRef })
      .map(({ code, id, fields, many, other }): Route => {
        const f = fields === undefined ? [] : [{ name: "fields", value: fields }];
        return many ? { method: "GET", segments: [code], query: [{ name: "id", value: `${id},${other}` }, ...f] } : { method: "GET", segments: [code, id], query: f };
      }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ values: projectValues, where: placement, override: fc.boolean() })
      .map(({ values, where, override }): Route => {
        const placed = place(values, override ? "query" : where);
        return override ? { method: "GET", segments: ["proj"], query: [{ name: "method", value: "POST" }, ...placed.query] } : { method: "POST", segments: ["proj"], ...placed };
      }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ id: idRef, values: projectValues.chain((ps) => fc.subarray(ps)), where: placement, fields: fc.option(fc.constantFrom("*", "status,priority"), { nil: undefined }) })
      .map(({ id, values, where, fields }): Route => {
        const placed = place(values, where);
        return { method: "PUT", segments: ["proj", id], query: [...placed.query, ...(fields ? [{ name: "fields", value: fields }] : [])], body: placed.body };
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...projectRefs.scratch) }, { weight: 1, arbitrary: idRef }), override: fc.boolean() })
      .map(({ id, override }): Route => (override ? { method: "POST", segments: ["proj", id], query: [{ name: "method", value: "DELETE" }] } : { method: "DELETE", segments: ["proj", id] })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ values: userValues(true), where: placement }).map(({ values, where }): Route => ({ method: "POST", segments: ["user"], ...place(values, where) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...scratchUserRefs.map((s) => `{{${s}.id}}`)) }, { weight: 1, arbitrary: idRef }), values: userValues(false), where: placement })
      .map(({ id, values, where }): Route => ({ method: "PUT", segments: ["user", id], ...place(values, where) })),
  },
  {
    // Key actions, by path or action=, authenticated by username + password or by the credential.
    weight: 4,
    arbitrary: fc
      .record({
        action: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTION_NAMES) }, { weight: 2, arbitrary: fc.constantFrom(...INHERITED) }),
        style: fc.constantFrom("param", "path", "idPath", "idParam"),
        id: fc.constantFrom("{{user.id}}", "{{admin.id}}", ...scratchUserRefs.map((s) => `{{${s}.id}}`)),
        login: fc.option(fc.tuple(usernameValue, passwordValue), { nil: undefined, freq: 2 }),
        where: placement,
        method: fc.constantFrom("PUT", "PUT", "POST", "GET"),
      })
      .map(({ action, style, id, login, where, method }): Route => {
        const segments = style === "path" ? ["user", action] : style === "idPath" ? ["user", id, action] : style === "idParam" ? ["user", id] : ["user"];
        const values = [
          ...(style === "param" || style === "idParam" ? [{ name: "action", value: action }] : []),
          ...(login ? [{ name: "username", value: login[0] }, { name: "password", value: login[1] }] : []),
        ];
        const placed = place(values, method === "GET" ? "query" : where);
        return { method, segments, ...placed, ...(login ? { credential: [] } : {}) };
      }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ login: fc.tuple(usernameValue, passwordValue), where: placement, method: fc.constantFrom("POST", "GET", "PUT") })
      .map(({ login, where, method }): Route => ({
        method,
        segments: ["login"],
        credential: [],
        ...place([{ name: "username", value: login[0] }, { name: "password", value: login[1] }], method === "GET" ? "query" : where),
      })),
  },
  {
    // Logging out ends one of the seeded sessions now and then; the repair step signs in again.
    weight: 1,
    arbitrary: fc.constantFrom<[string, string][]>([["sessionID", "{{session.loggedOut}}"]], [["sessionID", "{{user.session}}"]], [["cookie", "sessionID={{session.expired}}"]], []).map(
      (c): Route => ({ method: "GET", segments: ["logout"], credential: c }),
    ),
  },
);
/** One time in five. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const realisticCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    route,
    prefix: fc.oneof({ weight: 8, arbitrary: fc.constant("/attask/api/v20.0") }, { weight: 1, arbitrary: fc.constantFrom("/attask/api/v2.0", "/attask/api-internal", "/attask/api") }),
    credential: goodCredential,
    junkParam: rarely(paramGroup),
    junkHeader: rarely(header),
    ip: clientIp,
    copies,
    elapsedMs,
  })
  .map(({ route: r, prefix, credential: cred, junkParam, junkHeader, ip, copies: n, elapsedMs: ms }) => ({
    method: r.method,
    prefix,
    segments: r.segments.map((text) => ({ text })),
    trailingSlash: false,
    query: [...(r.query ?? []), ...(junkParam ?? [])],
    queryStyle: "encoded" as const,
    body: r.body ?? { kind: "none" },
    credential: r.credential ?? cred,
    headers: junkHeader ? [junkHeader] : [],
    ip,
    copies: n,
    elapsedMs: ms,
  }));

const fuzzCase = fc.oneof({ weight: 3, arbitrary: realisticCase }, { weight: 2, arbitrary: wildCase });

// ---------------------------------------------------------------------------------------------
// Building and sending a request

type Refs = Map<string, string>;

function resolve(text: string, refs: Refs): string {
  if (!text.includes("{{")) return text;
  return text
    .replace(/\{\{repeat:(\d+):([^}]*)\}\}/g, (_, n: string, chunk: string) => chunk.repeat(Number(n)))
    .replace(/\{\{([\w.]+)\}\}/g, (m, name: string) => refs.get(name) ?? m);
}

function resolveJson(v: JsonValue, refs: Refs): JsonValue {
  if (typeof v === "string") return resolve(v, refs);
  if (Array.isArray(v)) return v.map((x) => resolveJson(x, refs));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveJson(x, refs)]));
  return v;
}

/** encodeURIComponent for any string: lone surrogates (which it refuses) become U+FFFD. */
function encode(s: string): string {
  return encodeURIComponent(s.replace(/\p{Surrogate}/gu, "\ufffd"));
}

function encodeParams(ps: Param[], style: QueryStyle, refs: Refs): string {
  return ps
    .map(({ name, value }) => {
      const n = resolve(name, refs);
      const v = resolve(value, refs);
      if (style === "raw") return `${n}=${v}`;
      if (style === "plus") return `${encode(n).replace(/%20/g, "+")}=${encode(v).replace(/%20/g, "+")}`;
      return `${encode(n)}=${encode(v)}`;
    })
    .join("&");
}

interface BuiltRequest {
  request: Request;
  /** Everything the request carried, for the failure report and to tell echoes from leaks. */
  shown: { method: string; url: string; headers: [string, string][]; body: string };
}

function buildRequest(c: FuzzCase, refs: Refs): BuiltRequest {
  const segments = c.segments.map((s) => ("raw" in s ? s.raw : encode(resolve(s.text, refs))));
  const pathname = [c.prefix, ...segments].join("/") + (c.trailingSlash ? "/" : "");
  const query = encodeParams(c.query, c.queryStyle, refs);
  const url = `${ORIGIN}${pathname}${query ? `?${query}` : ""}`;
  const headers = new Headers();
  // Later headers replace earlier ones of the same name; a repeated header is generated as one value with a comma.
  for (const [name, value] of [...c.credential, ...c.headers]) headers.set(name, resolve(value, refs));

  const bodyless = ["GET", "HEAD"].includes(c.method.toUpperCase());
  let payload: BodyInit | undefined;
  let shownBody = "";
  const spec = bodyless ? ({ kind: "none" } as const) : c.body;
  const setType = (t: string | null) => {
    if (t !== null) headers.set("content-type", t);
  };
  /** Text with a declared type, or bytes when no type is declared (a string body would get text/plain). */
  const textPayload = (text: string, type: string | null): BodyInit => {
    setType(type);
    shownBody = text;
    return type === null ? new TextEncoder().encode(text) : text;
  };
  switch (spec.kind) {
    case "none":
      break;
    case "form":
      payload = textPayload(encodeParams(spec.params, "encoded", refs), spec.contentType);
      break;
    case "jsonObject": {
      const members = spec.members.map(([k, v]) => `${JSON.stringify(resolve(k, refs))}:${JSON.stringify(resolveJson(v, refs))}`);
      payload = textPayload(`{${members.join(",")}}`, spec.contentType);
      break;
    }
    case "json":
      payload = textPayload(JSON.stringify(resolveJson(spec.value, refs)) ?? "null", spec.contentType);
      break;
    case "text":
      payload = textPayload(resolve(spec.text, refs), spec.contentType);
      break;
    case "bytes":
      setType(spec.contentType);
      shownBody = Buffer.from(spec.bytes).toString("latin1");
      payload = new Uint8Array(spec.bytes);
      break;
    case "multipart": {
      const form = new FormData();
      for (const p of spec.params) form.append(resolve(p.name, refs), resolve(p.value, refs));
      if (spec.withFile) form.append("file", new Blob(["name=from-file"], { type: "text/plain" }), "fuzz.txt");
      setType(spec.contentType);
      shownBody = spec.params.map((p) => `${resolve(p.name, refs)}=${resolve(p.value, refs)}`).join("\n");
      payload = form;
      break;
    }
  }
  const request = new Request(url, { method: c.method, headers, body: payload });
  return { request, shown: { method: c.method, url: request.url, headers: [...request.headers.entries()], body: shownBody } };
}

// ---------------------------------------------------------------------------------------------
// Checking a response

/** Keys that would only appear if a runtime object, a settings object or a stored secret leaked. */
const FORBIDDEN_KEYS = new Set([
  "rt",
  "runtime",
  "settings",
  "databasePath",
  "dataDir",
  "secret",
  "keys",
  "lookup",
  "encryption",
  "encryptionKey",
  "lookupKey",
  "cookie",
  "fingerprint",
  "secretFingerprint",
  "adminUsername",
  "adminPassword",
  "scryptLogN",
  "sessionIdleMs",
  "trustProxy",
  "publicUrl",
  "store",
  "clock",
  "bootstrap",
  "createdAdmin",
  "generatedPassword",
  "customerId",
  "meta",
  "actor",
  "password",
  "passwordHash",
  "password_hash",
  "lookupHash",
  "lookup_hash",
  "idHash",
  "id_hash",
  "ciphertext",
  "failedLogins",
  "lockedUntil",
  "limiter",
  "limits",
  "lockedAttempts",
  "stack",
]);

/** Text that betrays a stack trace or the server's files. */
const TRACE_PATTERNS = [/ {4}at /, /\bat [^\s"]+ \(/, /\/work\//, /\.ts:\d*/, /\.m?js:\d+/, /node_modules/, /file:\/\//, /\/tmp\/keyward-/];

function collectKeys(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectKeys(x, out);
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      collectKeys(x, out);
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What is wrong with a response's status, envelope and content (empty when nothing). */
function responseProblems(res: Response, text: string, requestText: string, secrets: { label: string; value: string }[]): string[] {
  const problems: string[] = [];
  const status = res.status;
  const type = res.headers.get("content-type");
  const retryAfter = res.headers.get("retry-after");
  if (retryAfter !== null && !/^\d+$/.test(retryAfter)) problems.push(`Retry-After is not a whole number of seconds: ${JSON.stringify(retryAfter)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push("the body is not JSON");
  }
  const error = isPlainObject(parsed) && isPlainObject(parsed.error) ? parsed.error : undefined;
  const untrusted = status === 500 && error?.message === UNTRUSTED_MESSAGE;
  if (!((status >= 200 && status < 300) || (status >= 400 && status < 500) || untrusted)) problems.push(`status ${status}`);
  if (!type?.toLowerCase().startsWith("application/json")) problems.push(`content-type ${type}`);
  if (parsed !== undefined) {
    const keys = isPlainObject(parsed) ? Object.keys(parsed) : [];
    if (status < 300) {
      if (keys.length !== 1 || keys[0] !== "data") problems.push(`a ${status} body is not {"data": ...}`);
    } else if (keys.length !== 1 || keys[0] !== "error" || typeof error?.class !== "string" || typeof error?.message !== "string") {
      problems.push(`a ${status} body is not {"error": {"class": string, "message": string}}`);
    }
    const all = new Set<string>();
    collectKeys(parsed, all);
    const leakedKeys = [...all].filter((k) => FORBIDDEN_KEYS.has(k));
    if (leakedKeys.length > 0) problems.push(`the body has internal keys: ${leakedKeys.join(", ")}`);
  }
  for (const pattern of TRACE_PATTERNS) {
    const m = pattern.exec(text);
    // An error message may quote the request's own junk back; only text the request lacks counts.
    if (m && !requestText.includes(m[0])) problems.push(`the body looks like a stack trace or file path: ${JSON.stringify(m[0])}`);
  }
  for (const s of secrets) if (s.value && text.includes(s.value)) problems.push(`the body contains ${s.label}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The fuzzed instance: seeding through the API, repairs, snapshots

interface Account {
  id: string;
  username: string;
  password: string;
  accessLevel: "admin" | "user";
  session: string;
}

interface World {
  admin: Account;
  user: Account & { apiKey: string };
  scratch: { id: string; username: string; password: string }[];
  projects: { admin: string[]; user: string[]; scratch: string[] };
  expiredSession: string;
  loggedOutSession: string;
  staleApiKey: string;
  clearedApiKey: string;
}

interface Snapshot {
  projects: string;
  users: string;
  apiKeys: string;
  settings: string;
  customers: string;
  lastSessionRowid: number;
}

/** Row texts ordered by key; `quote()` keeps NULL apart from the text 'NULL'. */
const rowsSql = (table: string, columns: string[], key: string) =>
  `SELECT count(*) || char(10) || coalesce(group_concat(${columns.map((c) => `quote(${c})`).join(" || ',' || ")}, char(10) ORDER BY ${key}), '') AS v FROM ${table}`;

const SNAPSHOT_SQL = {
  projects: rowsSql(
    "projects",
    ["id", "name", "description", "status", "priority", "percent_complete", "planned_start_date", "planned_completion_date", "owner_id", "entry_date", "last_update_date"],
    "id",
  ),
  // failed_logins, locked_until, updated_at and last_login_at may change on a refused sign-in.
  users: rowsSql("users", ["id", "username", "name", "email", "access_level", "is_active", "password_hash", "password_changed_at", "created_at"], "id"),
  // last_used_at is written when a valid key authenticates a request that is then refused.
  apiKeys: rowsSql("api_keys", ["user_id", "lookup_hash", "ciphertext", "hint", "created_at"], "user_id"),
  settings: rowsSql(
    "instance_settings",
    [
      "id",
      "api_key_expiry",
      "api_key_expiry_changed_at",
      "remove_key_on_password_expiry",
      "password_reset_days",
      "lockout_enabled",
      "lockout_threshold",
      "lockout_minutes",
      "sso_type",
      "sso_only",
      "updated_at",
    ],
    "id",
  ),
  customers: rowsSql("customers", ["id", "customer_id", "name", "secret_fingerprint", "created_at"], "id"),
};

interface Answer {
  status: number;
  body: unknown;
}

class FuzzedInstance {
  private readonly queries: Record<keyof typeof SNAPSHOT_SQL, Database.Statement<[], { v: string }>>;
  private readonly lastSessionRowid: Database.Statement<[], { n: number }>;
  private readonly userRow: Database.Statement<[string], { username: string; access_level: string; is_active: number; failed_logins: number; locked_until: number | null }>;
  private readonly sessionRow: Database.Statement<[string], { last_seen_at: number }>;
  private readonly projectIds: Database.Statement<[], { id: string }>;
  private readonly projectCount: Database.Statement<[], { n: number }>;
  world!: World;
  secrets: { label: string; value: string }[] = [];

  private constructor(
    readonly rt: TestRuntime,
    private readonly db: Database.Database,
  ) {
    this.queries = {
      projects: db.prepare(SNAPSHOT_SQL.projects),
      users: db.prepare(SNAPSHOT_SQL.users),
      apiKeys: db.prepare(SNAPSHOT_SQL.apiKeys),
      settings: db.prepare(SNAPSHOT_SQL.settings),
      customers: db.prepare(SNAPSHOT_SQL.customers),
    };
    this.lastSessionRowid = db.prepare("SELECT coalesce(max(rowid), 0) AS n FROM sessions");
    this.userRow = db.prepare("SELECT username, access_level, is_active, failed_logins, locked_until FROM users WHERE id = ?");
    this.sessionRow = db.prepare("SELECT last_seen_at FROM sessions WHERE id_hash = ?");
    this.projectIds = db.prepare("SELECT id FROM projects");
    this.projectCount = db.prepare("SELECT count(*) AS n FROM projects");
  }

  static async create(env: Record<string, string>): Promise<FuzzedInstance> {
    const rt = await createTestRuntime(env);
    const db = new Database(rt.settings.databasePath, { readonly: true, fileMustExist: true });
    const instance = new FuzzedInstance(rt, db);
    await instance.seed();
    return instance;
  }

  close(): void {
    this.db.close();
    this.rt.cleanup();
  }

  /** A seeding or repair call, from an address the generated requests never use. */
  async call(pathAndQuery: string, init: { method?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown } = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    let payload: string | undefined;
    if (init.form) {
      payload = new URLSearchParams(init.form).toString();
      headers.set("content-type", "application/x-www-form-urlencoded");
    } else if (init.json !== undefined) {
      payload = JSON.stringify(init.json);
      headers.set("content-type", "application/json");
    }
    const req = new Request(`${ORIGIN}/attask/api/v20.0${pathAndQuery}`, { method: init.method ?? (payload ? "POST" : "GET"), headers, body: payload });
    const res = await handleRestRequest(req, { ip: REPAIR_IP });
    return { status: res.status, body: JSON.parse(await res.text()) };
  }

  private async must(pathAndQuery: string, init: Parameters<FuzzedInstance["call"]>[1]): Promise<Record<string, unknown>> {
    const r = await this.call(pathAndQuery, init);
    if (r.status !== 200 || !isPlainObject(r.body)) throw new Error(`seeding ${pathAndQuery} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body.data as Record<string, unknown>;
  }

  private async login(username: string, password: string): Promise<string | null> {
    const r = await this.call("/login", { form: { username, password } });
    return r.status === 200 && isPlainObject(r.body) && isPlainObject(r.body.data) ? String(r.body.data.sessionID) : null;
  }

  private async mustLogin(username: string, password: string): Promise<string> {
    const s = await this.login(username, password);
    if (!s) throw new Error(`seeding: ${username} could not sign in`);
    return s;
  }

  private async keyAction(action: string, username: string, password: string): Promise<string> {
    const data = await this.must(`/user?action=${action}`, { form: { method: "PUT", username, password } });
    return String(data.result);
  }

  private async newProject(session: string, name: string, ownerID?: string): Promise<string> {
    return String((await this.must("/proj", { headers: { sessionID: session }, json: { name, description: `${name} (seeded)`, status: "CUR", priority: 1, ownerID } })).ID);
  }

  private async seed(): Promise<void> {
    const rt = this.rt;
    let adminSession = await this.mustLogin(ADMIN.username, ADMIN.password);
    const found = await this.call(`/user/search?username=${ADMIN.username}`, { headers: { sessionID: adminSession } });
    const adminId = (found.body as { data: { ID: string }[] }).data[0]?.ID;
    if (!adminId) throw new Error("seeding: the administrator was not found");
    const newUser = async (username: string, password: string) =>
      String((await this.must("/user", { headers: { sessionID: adminSession }, json: { username, name: `Fuzz ${username}`, emailAddr: `${username}@example.com`, password, accessLevel: "user" } })).ID);
    const userPassword = "fuzz-user-password-7";
    const userId = await newUser("fuzz.user", userPassword);
    const scratch = [];
    for (let i = 0; i < SCRATCH_USERS; i++) {
      const username = `scratch.${i}`;
      const password = `scratch-password-${i}`;
      scratch.push({ id: await newUser(username, password), username, password });
    }
    // A session left idle past the limit, then fresh sessions for everyone.
    const expiredSession = await this.mustLogin("fuzz.user", userPassword);
    rt.clock.advance(rt.settings.sessionIdleMs + 60_000);
    adminSession = await this.mustLogin(ADMIN.username, ADMIN.password);
    const userSession = await this.mustLogin("fuzz.user", userPassword);
    const loggedOutSession = await this.mustLogin("fuzz.user", userPassword);
    await this.must("/logout", { headers: { sessionID: loggedOutSession } });
    // A key replaced by a newer one, and a key removed by clearApiKey.
    const staleApiKey = await this.keyAction("generateApiKey", "fuzz.user", userPassword);
    const apiKey = await this.keyAction("generateApiKey", "fuzz.user", userPassword);
    const [keyless] = scratch;
    if (!keyless) throw new Error("seeding: no throwaway user");
    const clearedApiKey = await this.keyAction("generateApiKey", keyless.username, keyless.password);
    await this.must(`/user/${keyless.id}/clearApiKey`, { method: "PUT", headers: { sessionID: adminSession } });

    const projects: World["projects"] = { admin: [], user: [], scratch: [] };
    for (let i = 0; i < PROJECTS_EACH; i++) {
      projects.admin.push(await this.newProject(adminSession, `Admin project ${i}`));
      projects.user.push(await this.newProject(userSession, `User project ${i}`));
    }
    for (let i = 0; i < SCRATCH_PROJECTS; i++) projects.scratch.push(await this.newProject(userSession, `Scratch project ${i}`));

    this.world = {
      admin: { id: adminId, username: ADMIN.username, password: ADMIN.password, accessLevel: "admin", session: adminSession },
      user: { id: userId, username: "fuzz.user", password: userPassword, accessLevel: "user", session: userSession, apiKey },
      scratch,
      projects,
      expiredSession,
      loggedOutSession,
      staleApiKey,
      clearedApiKey,
    };
    const secret = fs.readFileSync(path.join(rt.settings.dataDir, "secret.key"), "utf8").trim();
    const hashes = this.db.prepare("SELECT username, password_hash AS h FROM users").all() as { username: string; h: string }[];
    this.secrets = [
      { label: "the server secret", value: secret },
      { label: "the lookup key", value: rt.keys.lookup.toString("base64url") },
      { label: "the lookup key", value: rt.keys.lookup.toString("hex") },
      { label: "the encryption key", value: rt.keys.encryption.toString("base64url") },
      { label: "the encryption key", value: rt.keys.encryption.toString("hex") },
      { label: "the cookie secret", value: rt.keys.cookie },
      { label: "the secret fingerprint", value: rt.keys.fingerprint },
      { label: "the database path", value: rt.settings.databasePath },
      { label: "the data folder", value: rt.dir },
      { label: "the admin password", value: ADMIN.password },
      { label: "a seeded user's password", value: userPassword },
      ...scratch.map((s) => ({ label: "a seeded user's password", value: s.password })),
      ...hashes.map((u) => ({ label: `the password hash of ${u.username}`, value: u.h })),
      { label: "a password hash", value: "scrypt$" },
    ];
  }

  refs(): Refs {
    const w = this.world;
    const basic = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString("base64");
    const refs: Refs = new Map([
      ["admin.id", w.admin.id],
      ["admin.username", w.admin.username],
      ["admin.password", w.admin.password],
      ["admin.session", w.admin.session],
      ["user.id", w.user.id],
      ["user.username", w.user.username],
      ["user.password", w.user.password],
      ["user.session", w.user.session],
      ["user.apiKey", w.user.apiKey],
      ["session.expired", w.expiredSession],
      ["session.loggedOut", w.loggedOutSession],
      ["apiKey.stale", w.staleApiKey],
      ["apiKey.cleared", w.clearedApiKey],
      ["unknown.id", UNKNOWN_ID],
      ["basic.admin", basic(w.admin.username, w.admin.password)],
      ["basic.user", basic(w.user.username, w.user.password)],
      ["basic.wrong", basic(w.user.username, "wrong-password")],
    ]);
    w.scratch.forEach((s, i) => {
      refs.set(`scratch.${i}.id`, s.id);
      refs.set(`scratch.${i}.username`, s.username);
      refs.set(`scratch.${i}.password`, s.password);
    });
    for (const kind of ["admin", "user", "scratch"] as const) w.projects[kind].forEach((id, i) => refs.set(`proj.${kind}.${i}`, id));
    return refs;
  }

  /** Every stored project and user, with every field, as the admin and as the user; problems found. */
  async probe(): Promise<string[]> {
    await this.repair();
    const problems: string[] = [];
    for (const who of [this.world.admin, this.world.user]) {
      for (const probe of ["/proj/search?fields=*&$$LIMIT=2000", "/user/search?fields=*&$$LIMIT=2000"]) {
        const r = await this.call(probe, { headers: { sessionID: who.session } });
        if (r.status !== 200 || !isPlainObject(r.body) || !Array.isArray(r.body.data)) {
          problems.push(`afterwards, GET ${probe} as ${who.username} answered ${r.status}: ${excerpt(JSON.stringify(r.body), 300)}`);
        }
      }
    }
    return problems;
  }

  snapshot(): Snapshot {
    return {
      projects: this.queries.projects.get()!.v,
      users: this.queries.users.get()!.v,
      apiKeys: this.queries.apiKeys.get()!.v,
      settings: this.queries.settings.get()!.v,
      customers: this.queries.customers.get()!.v,
      lastSessionRowid: this.lastSessionRowid.get()!.n,
    };
  }

  private adminContext(): ServiceContext {
    const a = this.world.admin;
    return { rt: this.rt, actor: { userId: a.id, username: a.username, name: "Fuzz repair", accessLevel: "admin" }, meta: { ip: REPAIR_IP, userAgent: "fuzz-repair" } };
  }

  private sessionAlive(session: string): boolean {
    const row = this.sessionRow.get(lookupHash(this.rt.keys, session));
    return !!row && this.rt.clock.now() - row.last_seen_at < this.rt.settings.sessionIdleMs - 3_600_000;
  }

  /**
   * Puts back what earlier (successful) requests changed about the seeded accounts, sessions, key and
   * projects, so every case meets a working admin and user. Repairs use the API, the services and
   * the store, never SQL of their own.
   */
  async repair(): Promise<void> {
    const rt = this.rt;
    for (const account of [this.world.admin, this.world.user]) {
      let row = this.userRow.get(account.id)!;
      if (row.username !== account.username || row.access_level !== account.accessLevel || row.is_active !== 1) {
        try {
          await updateUser(this.adminContext(), account.id, { username: account.username, accessLevel: account.accessLevel, isActive: true });
        } catch {
          // The name was taken meanwhile: keep the account under a new one.
          account.username = `${account.username}.${Date.now().toString(36)}`;
          await updateUser(this.adminContext(), account.id, { username: account.username, accessLevel: account.accessLevel, isActive: true });
        }
        row = this.userRow.get(account.id)!;
      }
      if (row.locked_until !== null && row.locked_until > rt.clock.now()) rt.clock.advance(row.locked_until - rt.clock.now() + 1000);
      const alive = this.sessionAlive(account.session);
      if (!alive || row.failed_logins > 0) {
        // A successful sign-in also clears the failure count, so the seeded accounts never lock.
        const s = await this.login(account.username, account.password);
        if (s) account.session = s;
        else if (!alive) {
          const user = (await rt.store.users.byId(account.id))!;
          account.session = await startSession({ rt, actor: null, meta: { ip: REPAIR_IP, userAgent: "fuzz-repair" } }, user);
        }
      }
    }
    const user = this.world.user;
    if (!(await verifyApiKey(rt, user.apiKey))) {
      user.apiKey = await generateApiKey({ rt, actor: { userId: user.id, username: user.username, name: "Fuzz User", accessLevel: "user" }, meta: { ip: REPAIR_IP } }, user.id);
    }
    const existing = new Set(this.projectIds.all().map((r) => r.id));
    for (const kind of ["admin", "user", "scratch"] as const) {
      const ids = this.world.projects[kind];
      for (const [i, id] of ids.entries()) {
        if (existing.has(id)) continue;
        const session = kind === "admin" ? this.world.admin.session : this.world.user.session;
        ids[i] = await this.newProject(session, `${kind} project ${i} (again)`);
      }
    }
    if (this.projectCount.get()!.n > MAX_PROJECTS) {
      const keep = new Set(Object.values(this.world.projects).flat());
      for (const id of existing) if (!keep.has(id)) await rt.store.objects.delete("PROJ", id);
    }
  }
}

/** What changed between two snapshots; sessions count only when `sessions` (a read may sign in). */
function diff(before: Snapshot, after: Snapshot, sessions: boolean): string[] {
  const out: string[] = [];
  for (const table of ["projects", "users", "apiKeys", "settings", "customers"] as const) {
    if (before[table] === after[table]) continue;
    const was = new Set(before[table].split("\n"));
    const now = new Set(after[table].split("\n"));
    const removed = [...was].filter((r) => !now.has(r)).map((r) => `- ${r.slice(0, 300)}`);
    const added = [...now].filter((r) => !was.has(r)).map((r) => `+ ${r.slice(0, 300)}`);
    out.push(`${table} changed:\n    ${[...removed, ...added].slice(0, 6).join("\n    ")}`);
  }
  if (sessions && after.lastSessionRowid > before.lastSessionRowid) out.push("a session was started");
  return out;
}

const excerpt = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);

// ---------------------------------------------------------------------------------------------
// The property

const CONFIGURATIONS: { name: string; env: Record<string, string>; runs: number; seed: number }[] = [
  {
    name: "with the failed-credential limits off",
    env: { KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "0", KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "0", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0" },
    runs: Math.ceil(RUNS / 2),
    seed: SEED,
  },
  {
    // Tight limits (a few failures per address or account per 10 minutes), so that refusals by the
    // limiter (429) are common and mixed with everything else.
    name: "with tight failed-credential limits",
    env: {
      KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "2",
      KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "3",
      KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "2",
      KEYWARD_LIMIT_WINDOW_SECONDS: "600",
    },
    runs: Math.max(1, Math.floor(RUNS / 2)),
    seed: SEED + 1,
  },
];

for (const config of CONFIGURATIONS) {
  describe(`REST API under random requests, ${config.name}`, () => {
    let instance: FuzzedInstance;
    const serverLog: string[] = [];

    beforeAll(async () => {
      instance = await FuzzedInstance.create(config.env);
      // Unexpected errors are logged by the envelope renderer; keep them for the failure report.
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
        serverLog.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" "));
      });
    });
    afterAll(() => {
      vi.restoreAllMocks();
      instance?.close();
    });

    it(
      "answers every request promptly with a 2xx or 4xx JSON envelope, shows no internals, and changes nothing when it refuses or only reads",
      async () => {
        const stats = new Map<number, number>();
        const property = fc.asyncProperty(fuzzCase, async (c) => {
          instance.rt.clock.advance(c.elapsedMs);
          await instance.repair();
          const refs = instance.refs();
          const first = buildRequest(c, refs);
          const built = [first, ...Array.from({ length: c.copies - 1 }, () => buildRequest(c, refs))];
          const { shown } = first;
          const before = instance.snapshot();
          serverLog.length = 0;
          const answers = await Promise.all(
            built.map(async ({ request }) => {
              const started = performance.now();
              const res = await handleRestRequest(request, c.ip === null ? undefined : { ip: c.ip });
              const text = await res.text();
              return { res, text, ms: performance.now() - started };
            }),
          );
          for (const { res } of answers) stats.set(res.status, (stats.get(res.status) ?? 0) + 1);

          const requestText = [shown.url, safeDecode(shown.url), ...shown.headers.flat(), shown.body, safeDecode(shown.body)].join("\n");
          const w = instance.world;
          const secrets = [...instance.secrets];
          // Session IDs and the user's key may only come back to a request that already held them.
          const sessions: [string, string][] = [
            ["the admin's session ID", w.admin.session],
            ["the user's session ID", w.user.session],
          ];
          for (const [label, value] of sessions) {
            if (!requestText.includes(value)) secrets.push({ label, value });
          }
          if (![w.user.session, w.user.password, w.user.apiKey].some((v) => requestText.includes(v))) {
            secrets.push({ label: "the user's API key", value: w.user.apiKey });
          }
          const problems: string[] = [];
          for (const { res, text, ms } of answers) {
            problems.push(...responseProblems(res, text, requestText, secrets));
            if (ms > SLOW_MS) problems.push(`the answer took ${Math.round(ms)} ms`);
          }
          const refused = answers.every(({ res }) => res.status >= 400);
          // A refused request changes nothing; neither does a read (GET or HEAD without a method override).
          const readOnly = isRead(shown.method, new URL(shown.url).search);
          if (refused || readOnly) {
            problems.push(...diff(before, instance.snapshot(), refused).map((d) => (refused ? d : `a read changed data: ${d}`)));
          }
          // Whatever a successful change stored, every row still renders for the admin and the user.
          if (!refused && !readOnly && problems.length === 0) problems.push(...(await instance.probe()));
          if (problems.length > 0) {
            throw new Error(
              [
                [...new Set(problems)].join("\n"),
                `request: ${shown.method} ${excerpt(shown.url, 400)}${c.copies > 1 ? ` (${c.copies} copies at once)` : ""}`,
                `headers: ${excerpt(JSON.stringify(shown.headers), 400)}`,
                shown.body ? `body: ${excerpt(shown.body, 400)}` : "body: (none)",
                c.ip === null ? "" : `client address: ${c.ip}`,
                ...answers.map(({ res, text }) => `response: ${res.status} ${excerpt(text)}`),
                serverLog.length ? `server log: ${excerpt(serverLog.join("\n"), 800)}` : "",
              ]
                .filter(Boolean)
                .join("\n"),
            );
          }
        });
        await fc.assert(property, { numRuns: config.runs, seed: config.seed });
        const histogram = [...stats].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
        console.info(`REST fuzz ${config.name}: ${config.runs} cases, seed ${config.seed}; answers ${histogram.join(" ")}`);
        if (config.runs >= 500) {
          // The generators must reach past the guards: many successes, and refusals of several kinds.
          expect(stats.get(200) ?? 0).toBeGreaterThan(config.runs / 10);
          for (const status of [400, 401, 403, 404, 429]) expect(stats.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
        }
      },
      TIMEOUT_MS,
    );
  });
}

/** GET or HEAD without `method=` in the query: the handler treats it as a read. */
function isRead(method: string, search: string): boolean {
  if (!["GET", "HEAD"].includes(method.toUpperCase())) return false;
  const params = new Params();
  try {
    addQueryString(params, search.slice(1));
  } catch {
    return false;
  }
  return params.getCI("method") === undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}
