/** Realistic parameters: searches that fit each object's fields, values to create and update with, and where a write's values travel. */
import fc from "fast-check";
import { FILTER_OPS } from "../../../lib/domain/object-query";
import type { BodySpec, JsonValue, Param } from "./case";
import { filterParams, sortName } from "./generators-params";
import { anyValue, filterValue, freshUsername, hugeText, idRef, junkText, longText, numberText, plainValue, refValue, usernameValue, wildcard } from "./generators-values";

export type ObjectKind = "proj" | "user";
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
        .map(({ values, range }) => filterParams(field.name, values, mod, range));
    });
export const realisticSearchParams = (kind: ObjectKind): fc.Arbitrary<Param[]> => {
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
      ...(sort ? [{ name: sortName(sort[0], sort[1]), value: sort[2] }] : []),
      ...(page ? [{ name: page[0], value: page[1] }] : []),
      ...(fields === undefined ? [] : [{ name: "fields", value: fields }]),
    ]);
};
export const projectValues: fc.Arbitrary<Param[]> = fc
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
export const userValues = (creating: boolean): fc.Arbitrary<Param[]> =>
  fc
    .record({
      username: fc.oneof({ weight: 4, arbitrary: freshUsername }, { weight: 1, arbitrary: usernameValue }),
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
export type Placement = "query" | "form" | "json" | "typedJson" | "multipart" | "updates";
export const placement = fc.constantFrom<Placement>("query", "form", "json", "typedJson", "multipart", "updates");

function typed(value: string): JsonValue {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === "true" || value === "false") return value === "true";
  return value;
}

export function place(values: Param[], where: Placement): { query: Param[]; body: BodySpec } {
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
