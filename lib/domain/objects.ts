/**
 * Metadata of the REST objects: API field names, types, storage columns and write rules. The query
 * parser and the storage adapters only ever use column names from here, never from a request.
 */
export type FieldType = "string" | "integer" | "number" | "boolean" | "date";

export interface FieldDef {
  name: string;
  type: FieldType;
  column: string;
  /** Settable on create/edit. */
  writable: boolean;
  required?: boolean;
  maxLength?: number;
  enum?: readonly string[];
  /** Only administrators may set it. */
  adminOnly?: boolean;
  /** Shown to administrators and to the row's own user only (password and sign-in times). */
  selfOrAdmin?: boolean;
}

export interface ObjectDef {
  objCode: "PROJ" | "USER";
  table: string;
  label: string;
  fields: readonly FieldDef[];
  defaultFields: readonly string[];
  ownerField?: string;
  /** Who may create, edit and delete through the API. */
  writeAccess: "owner" | "admin";
}

const f = (name: string, type: FieldType, column: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  column,
  writable: false,
  ...extra,
});

export const PROJECT_STATUSES = ["CUR", "PLN", "CPL", "DED", "ONH", "REQ", "APR", "REJ", "IDA"] as const;

export const PROJ: ObjectDef = {
  objCode: "PROJ",
  table: "projects",
  label: "Project",
  fields: [
    f("ID", "string", "id"),
    f("name", "string", "name", { writable: true, required: true, maxLength: 255 }),
    f("description", "string", "description", { writable: true, maxLength: 4000 }),
    f("status", "string", "status", { writable: true, enum: PROJECT_STATUSES }),
    f("priority", "integer", "priority", { writable: true }),
    f("percentComplete", "number", "percent_complete", { writable: true }),
    f("plannedStartDate", "date", "planned_start_date", { writable: true }),
    f("plannedCompletionDate", "date", "planned_completion_date", { writable: true }),
    f("ownerID", "string", "owner_id", { writable: true, adminOnly: true }),
    f("entryDate", "date", "entry_date"),
    f("lastUpdateDate", "date", "last_update_date"),
  ],
  defaultFields: ["ID", "name", "objCode"],
  ownerField: "ownerID",
  writeAccess: "owner",
};

export const USER: ObjectDef = {
  objCode: "USER",
  table: "users",
  label: "User",
  fields: [
    f("ID", "string", "id"),
    f("username", "string", "username", { writable: true, required: true, maxLength: 100 }),
    f("name", "string", "name", { writable: true, required: true, maxLength: 255 }),
    f("emailAddr", "string", "email", { writable: true, maxLength: 255 }),
    f("accessLevel", "string", "access_level", { writable: true, enum: ["admin", "user"] }),
    f("isActive", "boolean", "is_active", { writable: true }),
    f("passwordDate", "date", "password_changed_at", { selfOrAdmin: true }),
    f("lastLoginDate", "date", "last_login_at", { selfOrAdmin: true }),
    f("entryDate", "date", "created_at"),
    // Sign-ins and lockout bookkeeping move it, so it would reveal lastLoginDate.
    f("lastUpdateDate", "date", "updated_at", { selfOrAdmin: true }),
  ],
  defaultFields: ["ID", "name", "objCode"],
  writeAccess: "admin",
};

/** Objects by their exact code. A Map: request text never reaches inherited object properties. */
export const OBJECTS: ReadonlyMap<string, ObjectDef> = new Map([
  ["PROJ", PROJ],
  ["USER", USER],
]);

const ALIASES: ReadonlyMap<string, ObjectDef> = new Map([
  ["proj", PROJ],
  ["project", PROJ],
  ["user", USER],
]);

/** `PROJ`, `proj`, `project`, `Project` ... -> the object, or undefined. */
export function resolveObject(code: string): ObjectDef | undefined {
  return ALIASES.get(code.toLowerCase());
}

const fieldIndex = new Map<ObjectDef, Map<string, FieldDef>>();

/** Case-insensitive field lookup. */
export function fieldOf(def: ObjectDef, name: string): FieldDef | undefined {
  let idx = fieldIndex.get(def);
  if (!idx) {
    idx = new Map(def.fields.map((fd) => [fd.name.toLowerCase(), fd]));
    fieldIndex.set(def, idx);
  }
  return idx.get(name.toLowerCase());
}
