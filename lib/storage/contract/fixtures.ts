/** What the Store contract runs against, and the data its cases build. No adapter specifics here. */
import { fieldOf, type ObjectDef, PROJ } from "../../domain/objects";
import type { Filter, ObjectQuery, SortKey } from "../../domain/object-query";
import type { AuditEventInput, NewUser, ObjectRow, Session, Store, StoredApiKey } from "../types";

export interface StoreUnderTest {
  /** A store over an empty, migrated database: no customer, no settings row, no users. */
  store: Store;
  /** Closes the store (if the case has not) and disposes of the database. */
  close(): Promise<void>;
  /**
   * Tries to change (`update`) or remove (`delete`) the audit event `id` directly, the way a stray
   * statement would; the port has no method for either. Must reject: the log is append-only.
   */
  tamperWithAudit(id: number, how: "update" | "delete"): Promise<void>;
}

/** Returns the store under test of the running case. */
export type Current = () => StoreUnderTest;

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const DAY = 86_400_000;

let seq = 0;
const next = () => String(++seq).padStart(6, "0");

export function newUser(over: Partial<NewUser> = {}): NewUser {
  const n = next();
  return {
    id: `user-${n}`,
    username: `user.${n}`,
    name: `User ${n}`,
    email: `user.${n}@example.com`,
    passwordHash: `scrypt$10$8$1$salt${n}$hash${n}`,
    accessLevel: "user",
    isActive: true,
    passwordChangedAt: T0,
    createdAt: T0,
    ...over,
  };
}

export async function createUser(store: Store, over: Partial<NewUser> = {}): Promise<NewUser> {
  const u = newUser(over);
  await store.users.create(u);
  return u;
}

export function newSession(userId: string, over: Partial<Session> = {}): Session {
  const n = next();
  return { idHash: `session-hash-${n}`, userId, createdAt: T0, lastSeenAt: T0, ...over };
}

export function newKey(userId: string, over: Partial<StoredApiKey> = {}): StoredApiKey {
  const n = next();
  return { userId, lookupHash: `key-hash-${n}`, ciphertext: `sealed-${n}`, hint: n, createdAt: T0, lastUsedAt: null, ...over };
}

export const event = (action: string, over: Partial<AuditEventInput> = {}): AuditEventInput => ({
  at: T0,
  actorId: null,
  actorName: "tester",
  action,
  ...over,
});

export function newProject(over: ObjectRow = {}): ObjectRow {
  const n = next();
  return { ID: `proj-${n}`, name: `Project ${n}`, status: "CUR", priority: 0, percentComplete: 0, ownerID: null, entryDate: T0, lastUpdateDate: T0, ...over };
}

const field = (def: ObjectDef, name: string) => {
  const f = fieldOf(def, name);
  if (!f) throw new Error(`no field ${name} on ${def.objCode}`);
  return f;
};

export const filter = (name: string, op: Filter["op"], ...values: Filter["values"]): Filter => ({ field: field(PROJ, name), op, values });
export const sortBy = (name: string, dir: SortKey["dir"] = "asc"): SortKey => ({ field: field(PROJ, name), dir });

/** A project query; by default every project's ID and name, unsorted, up to 2000. */
export function query(parts: { filters?: Filter[]; sort?: SortKey[]; limit?: number; first?: number; fields?: string[]; def?: ObjectDef } = {}): ObjectQuery {
  const def = parts.def ?? PROJ;
  return {
    filters: parts.filters ?? [],
    sort: parts.sort ?? [],
    limit: parts.limit ?? 2000,
    first: parts.first ?? 0,
    fields: (parts.fields ?? ["ID", "name"]).map((n) => field(def, n)),
  };
}

/** The IDs of the projects a query finds, in the order found. */
export async function ids(store: Store, q: ObjectQuery): Promise<string[]> {
  return (await store.objects.search("PROJ", q)).map((r) => r.ID as string);
}

/** The error a case throws inside a transaction to make it roll back. */
export class Boom extends Error {
  constructor() {
    super("boom");
  }
}
