import type { ObjectRow } from "../storage/types";
import type { ObjectDef } from "./objects";
import { fromStorage, type FieldDef } from "./query";

/** A stored row as the API shows it: requested fields in order, plus objCode. */
export function renderRow(def: ObjectDef, fields: FieldDef[], row: ObjectRow): Record<string, unknown> {
  const out: Record<string, unknown> = { ID: row.ID };
  for (const f of fields) if (f.name !== "ID") out[f.name] = fromStorage(f, row[f.name]);
  out.objCode = def.objCode;
  return out;
}
