/**
 * SQL for REST object queries. Column and table names come only from object metadata; every value
 * is a bound parameter.
 */
import type { ObjectDef } from "../../rest/objects";
import type { Filter, ObjectQuery, StorageValue } from "../../rest/query";

export interface CompiledSql {
  sql: string;
  params: StorageValue[];
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => "\\" + c);
/** Case-sensitive LIKE: translate % and _ to GLOB wildcards, quoting GLOB's own specials. */
const likeToGlob = (s: string) =>
  s.replace(/[*?[\]]/g, (c) => `[${c}]`).replace(/%/g, "*").replace(/_/g, "?");

function compileFilter(f: Filter, params: StorageValue[]): string {
  const c = `"${f.field.column}"`;
  const v = f.values;
  const push = (...xs: StorageValue[]) => {
    params.push(...xs);
    return "?";
  };
  const text = () => String(v[0] ?? "");
  switch (f.op) {
    case "eq":
      return v[0] === null ? `${c} IS NULL` : `${c} = ${push(v[0])}`;
    case "ne":
      return v[0] === null ? `${c} IS NOT NULL` : `(${c} IS NULL OR ${c} <> ${push(v[0])})`;
    case "cieq":
      return `lower(${c}) = lower(${push(v[0])})`;
    case "cine":
      return `(${c} IS NULL OR lower(${c}) <> lower(${push(v[0])}))`;
    case "lt":
      return `${c} < ${push(v[0])}`;
    case "lte":
      return `${c} <= ${push(v[0])}`;
    case "gt":
      return `${c} > ${push(v[0])}`;
    case "gte":
      return `${c} >= ${push(v[0])}`;
    case "contains":
      return `instr(${c}, ${push(text())}) > 0`;
    case "notcontains":
      return `(${c} IS NULL OR instr(${c}, ${push(text())}) = 0)`;
    case "cicontains":
      return `${c} LIKE ${push("%" + escapeLike(text()) + "%")} ESCAPE '\\'`;
    case "cinotcontains":
      return `(${c} IS NULL OR ${c} NOT LIKE ${push("%" + escapeLike(text()) + "%")} ESCAPE '\\')`;
    case "startswith":
      return `substr(${c}, 1, length(${push(text())})) = ${push(text())}`;
    case "cistartswith":
      return `${c} LIKE ${push(escapeLike(text()) + "%")} ESCAPE '\\'`;
    case "endswith":
      return `substr(${c}, -length(${push(text())})) = ${push(text())}`;
    case "ciendswith":
      return `${c} LIKE ${push("%" + escapeLike(text()))} ESCAPE '\\'`;
    case "like":
      return `${c} GLOB ${push(likeToGlob(text()))}`;
    case "notlike":
      return `(${c} IS NULL OR ${c} NOT GLOB ${push(likeToGlob(text()))})`;
    case "cilike":
      return `${c} LIKE ${push(text())}`;
    case "cinotlike":
      return `(${c} IS NULL OR ${c} NOT LIKE ${push(text())})`;
    case "in":
      return `${c} IN (${v.map((x) => push(x)).join(", ")})`;
    case "notin":
      return `(${c} IS NULL OR ${c} NOT IN (${v.map((x) => push(x)).join(", ")}))`;
    case "between":
      return `${c} BETWEEN ${push(v[0])} AND ${push(v[1])}`;
    case "notbetween":
      return `(${c} IS NULL OR ${c} NOT BETWEEN ${push(v[0])} AND ${push(v[1])})`;
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
