/** Reading the values of a create or edit: `updates=` JSON, a JSON body, or plain field parameters. */
import { Forbidden, InvalidRequest } from "../errors";
import { fieldOf, type ObjectDef } from "../domain/objects";
import type { Params } from "../http/params";
import type { StorageValue } from "../domain/object-query";
import { toStorage } from "./query";

/** Parameters of a write that are not field values. */
const NON_FIELD = new Set(["method", "fields", "sessionid", "apikey", "updates", "action", "_", "id", "objcode"]);

export function readUpdates(def: ObjectDef, params: Params): Record<string, unknown> {
  const raw = params.get("updates");
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new InvalidRequest("updates is not valid JSON");
    }
    return asObject(parsed);
  }
  if (params.json !== undefined) {
    // A JSON body may also carry the credential or request options; they are not field values.
    const body = asObject(params.json);
    return Object.fromEntries(Object.entries(body).filter(([k]) => !NON_FIELD.has(k.toLowerCase())));
  }
  // Null prototype: a parameter named `__proto__` is an own (and then unknown) field, not dropped.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, values] of params.entries()) {
    if (NON_FIELD.has(name.toLowerCase())) continue;
    out[name] = values[0];
  }
  return out;
}

function asObject(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new InvalidRequest("updates must be a JSON object");
  return v as Record<string, unknown>;
}

/**
 * Validates API values against the object's writable fields and converts them for storage.
 * Unknown or read-only fields are a 400; admin-only fields are a 403 for others.
 */
export function toStoredValues(
  def: ObjectDef,
  updates: Record<string, unknown>,
  opts: { isAdmin: boolean; creating: boolean },
): Record<string, StorageValue> {
  const out: Record<string, StorageValue> = {};
  for (const [name, value] of Object.entries(updates)) {
    if (name === "objCode" || name === "ID") continue;
    const field = fieldOf(def, name);
    if (!field) throw new InvalidRequest(`Invalid field "${name.slice(0, 100)}" for ${def.objCode}`);
    if (!field.writable) throw new InvalidRequest(`${field.name} cannot be set`);
    if (field.adminOnly && !opts.isAdmin) throw new Forbidden(`Only a System Administrator can set ${field.name}`);
    if (value !== null && typeof value === "object") throw new InvalidRequest(`Invalid value for ${field.name}`);
    out[field.name] = toStorage(field, value);
  }
  for (const f of def.fields) {
    if (!f.required) continue;
    const v = out[f.name];
    if ((opts.creating && v === undefined) || (v !== undefined && (v === null || String(v).trim() === ""))) {
      throw new InvalidRequest(`${f.name} is required`);
    }
  }
  return out;
}
