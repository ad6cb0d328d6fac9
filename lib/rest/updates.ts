/** Reading the values of a create or edit: `updates=` JSON, a JSON body, or plain field parameters. */
import { InvalidRequest } from "../errors";
import type { ObjectDef } from "../domain/objects";
import { checkJsonDepth } from "../http/body";
import type { Params } from "../http/params";
import { RESERVED_PARAMS as NON_FIELD } from "./query";


export function readUpdates(def: ObjectDef, params: Params): Record<string, unknown> {
  const raw = params.get("updates");
  if (raw !== undefined) {
    checkJsonDepth(raw);
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
