/**
 * Field values between the API and storage: typed conversion with a clear error for a value of the
 * wrong type, and back. Pure: used by the REST parser, the write services and the renderers.
 */
import { InvalidRequest } from "../errors";
import type { StorageValue } from "./object-query";
import type { FieldDef } from "./objects";

/** API value -> stored value, with a clear error for a value of the wrong type. */
export function toStorage(field: FieldDef, value: unknown): StorageValue {
  if (value === null || value === undefined || (value === "" && field.type !== "string")) return null;
  switch (field.type) {
    case "string": {
      if (typeof value !== "string" && typeof value !== "number") throw badValue(field, value);
      const s = String(value);
      if (field.maxLength && s.length > field.maxLength) {
        throw new InvalidRequest(`${field.name} is longer than ${field.maxLength} characters`);
      }
      if (field.enum && !field.enum.includes(s)) {
        throw new InvalidRequest(`${field.name} must be one of ${field.enum.join(", ")}`);
      }
      return s;
    }
    case "integer": {
      if (typeof value !== "string" && typeof value !== "number") throw badValue(field, value);
      const n = typeof value === "number" ? value : /^-?\d{1,15}$/.test(String(value).trim()) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n)) throw badValue(field, value);
      return n;
    }
    case "number": {
      if (typeof value !== "string" && typeof value !== "number") throw badValue(field, value);
      const n = typeof value === "number" ? value : Number(String(value).trim());
      if (!Number.isFinite(n) || String(value).trim() === "") throw badValue(field, value);
      return n;
    }
    case "boolean": {
      if (value === true || value === "true" || value === "1" || value === 1) return 1;
      if (value === false || value === "false" || value === "0" || value === 0) return 0;
      throw badValue(field, value);
    }
    case "date": {
      const t = parseDate(value);
      if (t === null) throw badValue(field, value);
      return t;
    }
  }
}

function badValue(field: FieldDef, value: unknown): InvalidRequest {
  const shown = typeof value === "string" ? `"${value.slice(0, 100)}"` : JSON.stringify(value)?.slice(0, 100);
  return new InvalidRequest(`Invalid value ${shown} for ${field.name} (expected ${field.type})`);
}

/** The range a JavaScript Date (and so an ISO string) can hold. */
const MAX_DATE_MS = 8.64e15;

/** ISO 8601, the vendor's `2024-01-02T03:04:05:000-0700`, or epoch milliseconds. */
export function parseDate(value: unknown): number | null {
  const t = parseDateUnbounded(value);
  return t !== null && Math.abs(t) <= MAX_DATE_MS ? t : null;
}

function parseDateUnbounded(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value !== "string") return null;
  const s = value.trim();
  if (/^\d{10,15}$/.test(s)) return Number(s);
  const vendor = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}):(\d{3})([+-]\d{4})$/.exec(s);
  const t = Date.parse(vendor ? `${vendor[1]}.${vendor[2]}${vendor[3]}` : s);
  return Number.isFinite(t) ? t : null;
}

/** Stored value -> API value. */
export function fromStorage(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === "date") {
    const d = new Date(Number(value));
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (field.type === "boolean") return value === 1 || value === true;
  return value;
}
