import type { ObjectRow } from "../storage/types";
import type { FieldDef, ObjectDef } from "../domain/objects";
import { fromStorage } from "../domain/field-values";

/** Who is looking: fields marked selfOrAdmin are shown only to administrators and the row's own user. */
export interface Viewer {
  userId: string | null;
  isAdmin: boolean;
}

/** A stored row as the API shows it: requested fields in order, plus objCode. */
export function renderRow(def: ObjectDef, fields: FieldDef[], row: ObjectRow, viewer: Viewer): Record<string, unknown> {
  const out: Record<string, unknown> = { ID: row.ID };
  const own = viewer.isAdmin || (def.objCode === "USER" && row.ID === viewer.userId);
  for (const f of fields) {
    if (f.name === "ID" || (f.selfOrAdmin && !own)) continue;
    out[f.name] = fromStorage(f, row[f.name]);
  }
  out.objCode = def.objCode;
  return out;
}
