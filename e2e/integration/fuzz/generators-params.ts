/** Parameter arbitraries: writable fields, JSON members, and parameter groups (a filter with its companions, a sort, a login...). */
import fc from "fast-check";
import type { JsonValue, Param } from "./case";
import { certificateValue } from "./generators-certificates";
import {
  actionValue,
  anyValue,
  apiKeyValue,
  FIELDS,
  fieldListValue,
  fieldName,
  filterValue,
  freshUsername,
  idRef,
  INHERITED,
  jsonFragment,
  junkName,
  junkText,
  longText,
  methodValue,
  modifier,
  numberText,
  passwordValue,
  sessionValue,
  usernameValue,
} from "./generators-values";

/** `field=value` for each value, then `field_Mod` and `field_Range` when given. */
export function filterParams(field: string, values: string[], mod: string | undefined, range: string | undefined): Param[] {
  return [
    ...values.map((value) => ({ name: field, value })),
    ...(mod === undefined ? [] : [{ name: `${field}_Mod`, value: mod }]),
    ...(range === undefined ? [] : [{ name: `${field}_Range`, value: range }]),
  ];
}

/** `field_Sort`, or `field_N_Sort` for the Nth sort key. */
export const sortName = (field: string, n: number | undefined) => (n === undefined ? `${field}_Sort` : `${field}_${n}_Sort`);

/** A one-parameter group from a [name, value] pair. */
const single = ([name, value]: [string, string]): Param[] => [{ name, value }];

/** A value fitting a writable field, or a near miss. */
export const writableField: fc.Arbitrary<Param> = fc.oneof(
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
    value: fc.oneof({ weight: 3, arbitrary: freshUsername }, { weight: 1, arbitrary: usernameValue }),
  }),
  fc.record({ name: fc.constant("emailAddr"), value: fc.oneof(fc.constantFrom("fz@example.com", "not-an-email", ""), anyValue) }),
  fc.record({ name: fc.constant("accessLevel"), value: fc.oneof(fc.constantFrom("user", "admin", "ADMIN", "root"), anyValue) }),
  fc.record({ name: fc.constant("isActive"), value: fc.oneof(fc.constantFrom("true", "false", "1", "0", "yes", "TRUE"), anyValue) }),
  fc.record({ name: fc.constant("password"), value: fc.oneof(fc.constantFrom("a-long-enough-password", "short"), passwordValue) }),
  fc.record({ name: fc.constantFrom("passwordDate", "lastLoginDate", "lastUpdateDate", "ID", "objCode"), value: anyValue }),
);

export const jsonScalar: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 4, arbitrary: anyValue },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(1e17, -0, 2 ** 53 + 2, 8.64e15 + 1) },
);
export const jsonMember: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 8, arbitrary: jsonScalar },
  { weight: 1, arbitrary: fc.array(jsonScalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("name", "$gt", "__proto__", "constructor", "x"), jsonScalar, { maxKeys: 2 }) },
);

/** One logical parameter, sometimes with its companions (`_Mod`, `_Range`, a password). */
export const paramGroup: fc.Arbitrary<Param[]> = fc.oneof(
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
      .map(({ field, values, mod, range }) => filterParams(field, values, mod, range)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fieldName, fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }), fc.oneof(fc.constantFrom("asc", "desc", "ASC", "Desc"), fc.constantFrom("up", ""), junkText))
      .map(([field, n, dir]) => [{ name: sortName(field, n), value: dir }]),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom("$$LIMIT", "$$FIRST", "$$limit", "$$first"), fc.oneof(fc.integer({ min: -5, max: 3000 }).map(String), numberText, junkText))
      .map(single),
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
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("sessionID", "SESSIONID", "sessionid"), sessionValue).map(single) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("apiKey", "APIKEY"), apiKeyValue).map(single) },
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
    arbitrary: fc.tuple(fc.constantFrom("apiCertificate", "APICERTIFICATE", "apicertificate"), certificateValue).map(single),
  },
  { weight: 4, arbitrary: writableField.map((p) => [p]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("id", "ID", "Id"), fc.oneof(idRef, fc.array(idRef, { minLength: 2, maxLength: 4 }).map((ids) => ids.join(",")), anyValue))
      .map(single),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INHERITED), anyValue).map(single) },
  { weight: 1, arbitrary: fc.tuple(junkName, anyValue).map(single) },
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
export const params = fc.array(paramGroup, { maxLength: 5 }).map((groups) => groups.flat());
