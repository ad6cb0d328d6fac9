/**
 * The query model for object searches: filters with operators, sort keys, paging and fields. The REST
 * parser builds it from request parameters; storage adapters compile it. Pure types and constants.
 */
import type { FieldDef } from "./objects";

export const FILTER_OPS = [
  "eq",
  "ne",
  "cieq",
  "cine",
  "lt",
  "lte",
  "gt",
  "gte",
  "contains",
  "cicontains",
  "notcontains",
  "cinotcontains",
  "startswith",
  "cistartswith",
  "endswith",
  "ciendswith",
  "like",
  "cilike",
  "notlike",
  "cinotlike",
  "in",
  "notin",
  "between",
  "notbetween",
  "isnull",
  "notnull",
  "isblank",
  "notblank",
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export type StorageValue = string | number | null;

export interface Filter {
  field: FieldDef;
  op: FilterOp;
  values: StorageValue[];
}

export interface SortKey {
  field: FieldDef;
  dir: "asc" | "desc";
}

export interface ObjectQuery {
  filters: Filter[];
  sort: SortKey[];
  limit: number;
  first: number;
  /** Stored fields to return (objCode is added by the renderer). */
  fields: FieldDef[];
}
