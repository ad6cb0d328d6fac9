/** The vocabulary of the generators (names, prefixes, field lists) and the value arbitraries built on it. */
import fc from "fast-check";
import { FILTER_OPS } from "../../../lib/domain/object-query";
import { INHERITED_NAMES } from "../../../lib/testing/inherited-names";
import { projectRefs, repeated, scratchUserIdRefs, scratchUserRefs } from "./placeholders";

export const INHERITED = INHERITED_NAMES;
export const OBJECT_CODES = ["proj", "PROJ", "project", "Project", "user", "USER", "User"];
export const ACTION_NAMES = ["getApiKey", "generateApiKey", "clearApiKey", "GETAPIKEY", "generateapikey", "ClearApiKey"];
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
export const FIELDS = [...PROJ_FIELDS, ...USER_FIELDS, "objCode"];
export const PREFIXES = [
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

/** Arbitrary text: any code point, printable graphemes, ASCII control characters. */
export const junkText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary-ascii", maxLength: 30 }),
  fc.constantFrom("\ud800", "a\udfffb", "\u0000", "\u202e", "\ufeff", "null", "undefined", "NaN"),
);
/** Up to about 5,000 characters. */
export const longText = fc.oneof(
  fc.string({ unit: "grapheme-ascii", minLength: 256, maxLength: 5000 }),
  fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.constantFrom("a", "%", "_", "\\", "é", "😀", "%a", "a_", "'", "[", "*")).map(repeated),
);
/** Past SQLite's 50,000-byte LIKE pattern limit (also when counted in UTF-16 units rather than bytes). */
export const hugeText = fc.tuple(fc.integer({ min: 50_001, max: 60_000 }), fc.constantFrom("a", "%", "_", "😀", "é%")).map(repeated);
export const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom("0", "-0", "-1", "1e17", "8.64e15", "Infinity", "9007199254740993", "0x10", " 3 ", "3.5", "1_000"),
);
export const jsonFragment = fc.constantFrom(
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
export const wildcard = fc.oneof(
  fc.constantFrom("%", "%%", "_", "%_%", "a%b", "%25", "\\%", "[a-z]*", "*", "?", "'", "' OR 1=1 --", "%' OR '1'='1"),
  // Backtracking bait for naive matchers: many wildcards that almost match a long text.
  fc.tuple(fc.integer({ min: 2, max: 40 }), fc.constantFrom("%a", "%_", "_%", "%a_", "%%a")).map(([n, chunk]) => `${repeated([n, chunk])}b`),
);
export const plainValue = fc.constantFrom(
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
export const idRef = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...projectRefs.scratch) },
  { weight: 2, arbitrary: fc.constantFrom(...projectRefs.admin, ...projectRefs.user) },
  { weight: 2, arbitrary: fc.constantFrom(...scratchUserIdRefs) },
  { weight: 1, arbitrary: fc.constantFrom("{{admin.id}}", "{{user.id}}", "{{unknown.id}}") },
);
const usernameRef = fc.constantFrom("{{admin.username}}", "{{user.username}}", ...scratchUserRefs.map((s) => `{{${s}.username}}`));
export const refValue = fc.oneof(idRef, usernameRef);

export const anyValue = fc.oneof(
  { weight: 6, arbitrary: plainValue },
  { weight: 3, arbitrary: refValue },
  { weight: 3, arbitrary: junkText },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: jsonFragment },
  { weight: 2, arbitrary: wildcard },
  { weight: 1, arbitrary: longText },
);
/** Values for filters, where long and huge patterns matter most. */
export const filterValue = fc.oneof(
  { weight: 5, arbitrary: anyValue },
  { weight: 2, arbitrary: wildcard },
  { weight: 2, arbitrary: longText },
  { weight: 1, arbitrary: hugeText },
);

export const junkName = fc.oneof(fc.string({ unit: "grapheme-ascii", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 8 }));
export const fieldName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: fc.constantFrom(...FIELDS).map((s) => s.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: junkName },
);
export const modifier = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FILTER_OPS) },
  { weight: 1, arbitrary: fc.constantFrom(...FILTER_OPS).map((s) => s.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom("drop", "", "regexp", "match", ...INHERITED) },
);
export const actionValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: junkText },
);
export const sessionValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{{admin.session}}", "{{user.session}}") },
  { weight: 2, arbitrary: fc.constantFrom("{{session.expired}}", "{{session.loggedOut}}", "{{user.apiKey}}") },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{32}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(16), "x".repeat(129), "null") },
);
export const apiKeyValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant("{{user.apiKey}}") },
  { weight: 2, arbitrary: fc.constantFrom("{{apiKey.stale}}", "{{apiKey.cleared}}", "{{admin.session}}") },
  { weight: 1, arbitrary: fc.stringMatching(/^kwk_[A-Za-z0-9_-]{32}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", "kwk_", "kwk_" + "A".repeat(33)) },
);
/** A username nobody has, most of the time: for creating users and renaming them. */
export const freshUsername = fc.nat().map((n) => `fz${n}`);
export const usernameValue = fc.oneof(
  { weight: 4, arbitrary: usernameRef },
  { weight: 1, arbitrary: fc.constantFrom("ghost", "ADMIN", " admin", "", ...INHERITED) },
  { weight: 1, arbitrary: junkText },
);
export const passwordValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{{admin.password}}", "{{user.password}}", ...scratchUserRefs.map((s) => `{{${s}.password}}`)) },
  { weight: 2, arbitrary: fc.constantFrom("wrong-password", "", "short") },
  { weight: 1, arbitrary: junkText },
  { weight: 1, arbitrary: longText },
);
export const fieldListValue = fc.oneof(
  fc.constantFrom("*", "objCode", "ID,name", "passwordHash", "password_hash", "*,*", ",,"),
  fc.array(fieldName, { maxLength: 5 }).map((names) => names.join(",")),
  junkText,
);
export const methodValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "get", "put", "post", "delete") },
  { weight: 1, arbitrary: fc.constantFrom("PATCH", "HEAD", "OPTIONS", "", ...INHERITED) },
  { weight: 1, arbitrary: junkText },
);
