/**
 * SQL for REST object queries. Column and table names come only from object metadata; every value
 * is a bound parameter.
 */
import type { FieldDef, ObjectDef } from "../../domain/objects";
import type { TextMatchKind } from "../../domain/text-match";
import type { Filter, ObjectQuery, StorageValue } from "../../domain/object-query";

export interface CompiledSql {
  sql: string;
  params: StorageValue[];
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);

/** The adapter's linear-time text matcher (see lib/domain/text-match.ts), registered on the connection. */
export const MATCH_FUNCTION = "kw_match";

const match = (column: string, kind: TextMatchKind, caseInsensitive: boolean, placeholder: string) =>
  `${MATCH_FUNCTION}(${column}, '${kind}', ${caseInsensitive ? 1 : 0}, ${placeholder})`;

function compileFilter(f: Filter, params: StorageValue[]): string {
  const c = `"${f.field.column}"`;
  const v = f.values;
  // The parser gives each operator the number of values it needs.
  const one = v[0] ?? null;
  const two = v[1] ?? null;
  const push = (...xs: StorageValue[]) => {
    params.push(...xs);
    return "?";
  };
  const text = () => String(v[0] ?? "");
  switch (f.op) {
    case "eq":
      return one === null ? `${c} IS NULL` : `${c} = ${push(one)}`;
    case "ne":
      return one === null ? `${c} IS NOT NULL` : `(${c} IS NULL OR ${c} <> ${push(one)})`;
    case "cieq":
      return `${match(c, "equals", true, push(text()))} = 1`;
    case "cine":
      return `(${c} IS NULL OR ${match(c, "equals", true, push(text()))} = 0)`;
    case "lt":
      return `${c} < ${push(one)}`;
    case "lte":
      return `${c} <= ${push(one)}`;
    case "gt":
      return `${c} > ${push(one)}`;
    case "gte":
      return `${c} >= ${push(one)}`;
    case "contains":
      return `${match(c, "contains", false, push(text()))} = 1`;
    case "notcontains":
      return `(${c} IS NULL OR ${match(c, "contains", false, push(text()))} = 0)`;
    case "cicontains":
      return `${match(c, "contains", true, push(text()))} = 1`;
    case "cinotcontains":
      return `(${c} IS NULL OR ${match(c, "contains", true, push(text()))} = 0)`;
    case "startswith":
      return `substr(${c}, 1, length(${push(text())})) = ${push(text())}`;
    case "cistartswith":
      return `${match(c, "startswith", true, push(text()))} = 1`;
    case "endswith":
      return `substr(${c}, -length(${push(text())})) = ${push(text())}`;
    case "ciendswith":
      return `${match(c, "endswith", true, push(text()))} = 1`;
    case "like":
      return `${match(c, "like", false, push(text()))} = 1`;
    case "notlike":
      return `(${c} IS NULL OR ${match(c, "like", false, push(text()))} = 0)`;
    case "cilike":
      return `${match(c, "like", true, push(text()))} = 1`;
    case "cinotlike":
      return `(${c} IS NULL OR ${match(c, "like", true, push(text()))} = 0)`;
    case "in":
      return `${c} IN (${v.map((x) => push(x)).join(", ")})`;
    case "notin":
      return `(${c} IS NULL OR ${c} NOT IN (${v.map((x) => push(x)).join(", ")}))`;
    case "between":
      return `${c} BETWEEN ${push(one)} AND ${push(two)}`;
    case "notbetween":
      return `(${c} IS NULL OR ${c} NOT BETWEEN ${push(one)} AND ${push(two)})`;
    case "isnull":
      return `${c} IS NULL`;
    case "notnull":
      return `${c} IS NOT NULL`;
    case "isblank":
      return `(${c} IS NULL OR ${c} = '')`;
    case "notblank":
      return `(${c} IS NOT NULL AND ${c} <> '')`;
  }
}

function where(q: ObjectQuery, params: StorageValue[]): string {
  if (q.filters.length === 0) return "";
  return " WHERE " + q.filters.map((f) => compileFilter(f, params)).join(" AND ");
}

/** Longest text a field may hold and still be scanned on the main connection. */
const SHORT_TEXT = 255;
const isLongText = (f: FieldDef) => f.type === "string" && (f.maxLength ?? Infinity) > SHORT_TEXT;
const SCANNING_OPS = new Set<Filter["op"]>(["cieq", "cine", "contains", "cicontains", "notcontains", "cinotcontains", "cistartswith", "ciendswith", "like", "cilike", "notlike", "cinotlike"]);

/**
 * A query that reads long text from every row it considers (a filter or sort on a long text field, or
 * a pattern filter on any text): it is run on the read worker, off the request thread.
 */
export function scansText(q: ObjectQuery): boolean {
  return q.filters.some((f) => isLongText(f.field) || SCANNING_OPS.has(f.op)) || q.sort.some((s) => isLongText(s.field));
}

export function compileSearch(def: ObjectDef, q: ObjectQuery): CompiledSql {
  const params: StorageValue[] = [];
  const cols = q.fields.map((f) => `"${f.column}"`).join(", ");
  let sql = `SELECT ${cols} FROM "${def.table}"${where(q, params)}`;
  const order = q.sort.map((s) => `"${s.field.column}" ${s.dir === "desc" ? "DESC" : "ASC"}`);
  // A stable tiebreaker so $$FIRST paging never repeats or skips rows.
  order.push(`rowid ASC`);
  sql += ` ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?`;
  params.push(q.limit, q.first);
  return { sql, params };
}

export function compileCount(def: ObjectDef, q: ObjectQuery): CompiledSql {
  const params: StorageValue[] = [];
  return { sql: `SELECT count(*) AS n FROM "${def.table}"${where(q, params)}`, params };
}
