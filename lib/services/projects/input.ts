/** Project field values as the API names them, validated and converted for storage. */
import { InvalidRequest } from "../../errors";
import { fieldOf, PROJ } from "../../domain/objects";
import type { StorageValue } from "../../domain/object-query";
import { toStorage } from "../../domain/field-values";

/** A project's values keyed by API field name (`name`, `ownerID`, ...), as the storage port takes them. */
export type ProjectValues = Record<string, StorageValue>;

/**
 * Validates API values against the writable project fields and converts them for storage. Unknown or
 * read-only fields and bad values are a 400; a required field must be given on create and may never
 * be emptied. Who may set which field is decided before this (see `access.ts`).
 */
export function projectValues(updates: Record<string, unknown>, opts: { creating: boolean }): ProjectValues {
  const out: ProjectValues = {};
  for (const [name, value] of Object.entries(updates)) {
    if (name === "objCode" || name === "ID") continue;
    const field = fieldOf(PROJ, name);
    if (!field) throw new InvalidRequest(`Invalid field "${name.slice(0, 100)}" for ${PROJ.objCode}`);
    if (!field.writable) throw new InvalidRequest(`${field.name} cannot be set`);
    if (value !== null && typeof value === "object") throw new InvalidRequest(`Invalid value for ${field.name}`);
    out[field.name] = toStorage(field, value);
  }
  for (const f of PROJ.fields) {
    if (!f.required) continue;
    const v = out[f.name];
    if ((opts.creating && v === undefined) || (v !== undefined && (v === null || String(v).trim() === ""))) {
      throw new InvalidRequest(`${f.name} is required`);
    }
  }
  return out;
}
