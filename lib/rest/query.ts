/**
 * Turns vendor-style search parameters (`name=x&name_Mod=cicontains`, `priority_Range`, `_Sort`,
 * `$$LIMIT`, `$$FIRST`, `fields`) into a typed query. Pure: no storage, no HTTP.
 */
import { patternProblem, type TextMatchKind } from "../domain/text-match";
import { InvalidRequest } from "../errors";
import { FILTER_OPS, type Filter, type FilterOp, type ObjectQuery, type SortKey } from "../domain/object-query";
import { toStorage } from "../domain/field-values";
import { fieldOf, type FieldDef, type ObjectDef } from "../domain/objects";
import type { Params } from "../http/params";

/** Bounds that keep one query's SQL small (SQLite caps expression depth and bound variables). */
export const MAX_FILTERS = 50;
export const MAX_LIST_VALUES = 1000;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 2000;

/** Parameters that are never field filters or field values (lower-cased). */
export const RESERVED_PARAMS: ReadonlySet<string> = new Set([
  "method",
  "fields",
  "sessionid",
  "apikey",
  "$$limit",
  "$$first",
  "action",
  "updates",
  "id",
  "_",
  "apicertificate",
  "objcode",
  "jsonp",
]);

const OP_SET = new Set<string>(FILTER_OPS);

/** Operators that scan text with a pattern, and the matcher each uses: their patterns are bounded. */
const PATTERN_KIND: ReadonlyMap<FilterOp, TextMatchKind> = new Map<FilterOp, TextMatchKind>([
  ["cieq", "equals"],
  ["cine", "equals"],
  ["contains", "contains"],
  ["cicontains", "contains"],
  ["notcontains", "contains"],
  ["cinotcontains", "contains"],
  ["startswith", "startswith"],
  ["cistartswith", "startswith"],
  ["endswith", "endswith"],
  ["ciendswith", "endswith"],
  ["like", "like"],
  ["cilike", "like"],
  ["notlike", "like"],
  ["cinotlike", "like"],
]);

export function parseSearch(def: ObjectDef, params: Params, opts: { idFilter?: boolean } = {}): ObjectQuery {
  const q: ObjectQuery = {
    filters: [],
    sort: [],
    limit: parseLimit(params.getCI("$$LIMIT")),
    first: parseFirst(params.getCI("$$FIRST")),
    fields: parseFields(def, params.getCI("fields")),
  };
  const sorts: { order: number; key: SortKey }[] = [];

  for (const [name, values] of params.entries()) {
    const lower = name.toLowerCase();
    if (RESERVED_PARAMS.has(lower) && !(lower === "id" && opts.idFilter)) continue;
    if (lower.endsWith("_mod") || lower.endsWith("_range")) {
      const base = name.slice(0, name.lastIndexOf("_"));
      if (!fieldOf(def, base)) throw unknownField(def, base);
      if (!params.has(base) && !isValueless(params.getCI(name))) {
        // A modifier without a value is only meaningful for valueless operators.
        throw new InvalidRequest(`${name.slice(0, 100)} was given without a value for ${base.slice(0, 100)}`);
      }
      continue;
    }
    const sortMatch = /^(.+?)(?:_(\d+))?_sort$/i.exec(name);
    if (sortMatch) {
      const [, sortName = "", order] = sortMatch;
      const field = fieldOf(def, sortName);
      if (!field) throw unknownField(def, sortName);
      const dir = (values[0] ?? "asc").toLowerCase();
      if (dir !== "asc" && dir !== "desc") {
        throw new InvalidRequest(`Sort direction for ${field.name} must be asc or desc, not "${(values[0] ?? "").slice(0, 20)}"`);
      }
      sorts.push({ order: order ? Number(order) : 0, key: { field, dir } });
      continue;
    }
    const field = fieldOf(def, name);
    if (!field) throw unknownField(def, name);
    addFilter(q, parseFilter(field, values, params.getCI(`${name}_Mod`), params.all(`${name}_Range`)));
  }
  for (const name of params.names()) {
    // Valueless modifiers: `field_Mod=isnull` with no `field=`.
    const base = /^(.+)_mod$/i.exec(name)?.[1];
    if (base === undefined || params.has(base)) continue;
    const field = fieldOf(def, base);
    if (field) addFilter(q, parseFilter(field, [], params.get(name), []));
  }
  q.sort = sorts.sort((a, b) => a.order - b.order).map((s) => s.key);
  if (q.filters.length > MAX_FILTERS) throw new InvalidRequest(`At most ${MAX_FILTERS} filters per query`);
  if (q.sort.length > 10) throw new InvalidRequest("At most 10 sort fields per query");
  const listValues = q.filters.reduce((n, f) => n + f.values.length, 0);
  if (listValues > MAX_LIST_VALUES) throw new InvalidRequest(`At most ${MAX_LIST_VALUES} filter values per query`);
  return q;
}

/** One filter per field: spelling a name in several cases must not multiply a query's cost. */
function addFilter(q: ObjectQuery, f: Filter): void {
  if (q.filters.some((g) => g.field === f.field)) throw new InvalidRequest(`${f.field.name} is filtered more than once`);
  q.filters.push(f);
}

function isValueless(op: string | undefined): boolean {
  const o = op?.toLowerCase();
  return o === "isnull" || o === "notnull" || o === "isblank" || o === "notblank";
}

function unknownField(def: ObjectDef, name: string): InvalidRequest {
  return new InvalidRequest(`Invalid field "${name.slice(0, 100)}" for ${def.objCode}`);
}

function parseFilter(field: FieldDef, values: string[], modRaw: string | undefined, range: string[]): Filter {
  const op = (modRaw ?? "eq").toLowerCase();
  if (!OP_SET.has(op)) throw new InvalidRequest(`Unknown modifier "${(modRaw ?? "").slice(0, 50)}" for ${field.name}`);
  const filterOp = op as FilterOp;
  if (isValueless(filterOp)) return { field, op: filterOp, values: [] };
  if (filterOp === "in" || filterOp === "notin") {
    const all = values.length === 1 && field.name === "ID" ? (values[0] ?? "").split(",") : values;
    if (all.length === 0 || all.length > 1000) throw new InvalidRequest(`${field.name}_Mod=${op} needs 1 to 1000 values`);
    return { field, op: filterOp, values: all.map((v) => toStorage(field, v)) };
  }
  const [value] = values;
  if (values.length !== 1 || value === undefined) throw new InvalidRequest(`${field.name} takes one value with ${op}`);
  if (filterOp === "between" || filterOp === "notbetween") {
    const [upper] = range;
    if (range.length !== 1 || upper === undefined) throw new InvalidRequest(`${field.name}_Mod=${op} needs ${field.name}_Range`);
    return { field, op: filterOp, values: [toStorage(field, value), toStorage(field, upper)] };
  }
  const textOnly = /contains|startswith|endswith|like|blank/.test(filterOp);
  if (textOnly && field.type !== "string") {
    throw new InvalidRequest(`${field.name}_Mod=${op} applies to text fields only`);
  }
  const kind = PATTERN_KIND.get(filterOp);
  const problem = kind && patternProblem(kind, value);
  if (problem) throw new InvalidRequest(`${field.name}_Mod=${op} ${problem}, so that one search cannot hold the server`);
  return { field, op: filterOp, values: [textOnly ? value : toStorage(field, value)] };
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_LIMIT;
  const n = strictInt(raw, "$$LIMIT");
  if (n < 1) throw new InvalidRequest("$$LIMIT must be at least 1");
  if (n > MAX_LIMIT) throw new InvalidRequest(`$$LIMIT must be ${MAX_LIMIT} or less; page with $$FIRST`);
  return n;
}

function parseFirst(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const n = strictInt(raw, "$$FIRST");
  if (n < 0) throw new InvalidRequest("$$FIRST must not be negative");
  return n;
}

function strictInt(raw: string, name: string): number {
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw new InvalidRequest(`${name} must be an integer, not "${raw.slice(0, 20)}"`);
  return Number(raw);
}

/** `fields=status,priority` adds to the default fields (ID, name, objCode); `fields=*` is every field. */
export function parseFields(def: ObjectDef, raw: string | undefined): FieldDef[] {
  const requested = raw === undefined || raw.trim() === "" ? [] : raw.split(",");
  const out = new Map<string, FieldDef>();
  for (const n of [...def.defaultFields, ...requested]) {
    const name = n.trim();
    if (!name || name.toLowerCase() === "objcode") continue;
    if (name === "*") {
      for (const fd of def.fields) out.set(fd.name, fd);
      continue;
    }
    const fd = fieldOf(def, name);
    if (!fd) throw unknownField(def, name);
    out.set(fd.name, fd);
  }
  return [...out.values()];
}
