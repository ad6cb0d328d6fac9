/**
 * REST objects (projects, users) through their metadata. Searches that scan long text run on the read
 * worker. Writes on USER rows evict that user (and, for a delete, the sessions and key the delete
 * cascades to); other objects are not cached.
 */
import type { FieldDef, ObjectDef } from "../../domain/objects";
import { OBJECTS } from "../../domain/objects";
import type { ObjectQuery } from "../../domain/object-query";
import { AppError } from "../../errors";
import type { ObjectRow, Store } from "../types";
import type { Scope, Touched } from "./context";
import { compileCount, compileSearch, scansText } from "./object-sql";
import { cacheKeys } from "./read-cache";

function objectDef(objCode: string): ObjectDef {
  const def = OBJECTS.get(objCode);
  if (!def) throw new Error(`unknown object ${objCode}`);
  return def;
}

const columnOf = (def: ObjectDef, name: string): string => def.fields.find((f) => f.name === name)!.column;

const mapRow = (fields: readonly FieldDef[], values: unknown[]): ObjectRow => {
  const row: ObjectRow = {};
  fields.forEach((f, i) => (row[f.name] = values[i]));
  return row;
};

export function objectsAggregate({ inTx, reader, prepared, op, write }: Scope): Store["objects"] {
  /**
   * Searches that scan long text go to the read worker, except inside a transaction (which must see
   * its own writes). Undefined means "read here": no worker, or it could not start.
   */
  const readOffThread = async <T>(q: ObjectQuery, text: string, params: unknown[], shape: "rows" | "first"): Promise<T | undefined> => {
    if (inTx || !reader || !scansText(q) || !reader.available) return undefined;
    try {
      return (await reader.read(text, params, shape)) as T;
    } catch (e) {
      if (e instanceof AppError) throw e;
      console.error("keyward: read worker failed; reading on the main connection:", e instanceof Error ? e.message : e);
      return undefined;
    }
  };
  /** A write to a USER row changes what `users.byId` returns for it. */
  const touchesUser = (touched: Touched, def: ObjectDef, id: unknown) => {
    if (def.objCode === "USER" && typeof id === "string") touched.entry(cacheKeys.user(id));
  };
  /** Deleting a user removes its sessions and API key with it (foreign keys, on delete cascade). */
  const touchesCredentialsOf = (touched: Touched, userId: string) => {
    const sessions = prepared("SELECT id_hash FROM sessions WHERE user_id = ?").pluck().all(userId) as string[];
    for (const h of sessions) touched.entry(cacheKeys.session(h));
    const keys = prepared("SELECT lookup_hash FROM api_keys WHERE user_id = ?").pluck().all(userId) as string[];
    for (const h of keys) touched.entry(cacheKeys.apiKey(h));
  };

  return {
    search: async (objCode, q) => {
      const c = compileSearch(objectDef(objCode), q);
      const rows =
        (await readOffThread<unknown[][]>(q, c.sql, c.params, "rows")) ?? (await op(() => prepared(c.sql).raw(true).all(...c.params) as unknown[][])());
      return rows.map((v) => mapRow(q.fields, v));
    },
    count: async (objCode, q) => {
      const c = compileCount(objectDef(objCode), q);
      const row = (await readOffThread<{ n: number }>(q, c.sql, c.params, "first")) ?? (await op(() => prepared(c.sql).get(...c.params) as { n: number })());
      return row.n;
    },
    byIds: op((objCode, ids, fieldNames) => {
      const def = objectDef(objCode);
      const fields = fieldNames.map((n) => def.fields.find((f) => f.name === n)!);
      if (ids.length === 0) return [];
      const text = `SELECT ${fields.map((f) => `"${f.column}"`).join(", ")} FROM "${def.table}" WHERE id IN (${ids.map(() => "?").join(",")})`;
      const rows = (prepared(text).raw(true).all(...ids) as unknown[][]).map((v) => mapRow(fields, v));
      const byId = new Map(rows.map((r) => [r.ID as string, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is ObjectRow => r !== undefined);
    }),
    insert: write((touched, objCode, values) => {
      const def = objectDef(objCode);
      touchesUser(touched, def, values.ID);
      const cols = Object.keys(values).map((k) => columnOf(def, k));
      prepared(`INSERT INTO "${def.table}" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`).run(
        ...Object.values(values),
      );
    }),
    update: write((touched, objCode, id, values) => {
      const def = objectDef(objCode);
      const keys = Object.keys(values);
      if (keys.length === 0) return;
      touchesUser(touched, def, id);
      const sets = keys.map((k) => `"${columnOf(def, k)}" = ?`);
      prepared(`UPDATE "${def.table}" SET ${sets.join(", ")} WHERE id = ?`).run(...Object.values(values), id);
    }),
    delete: write((touched, objCode, id) => {
      const def = objectDef(objCode);
      if (def.objCode === "USER") {
        touchesUser(touched, def, id);
        touchesCredentialsOf(touched, id);
      }
      return prepared(`DELETE FROM "${def.table}" WHERE id = ?`).run(id).changes > 0;
    }),
    ownerOf: op((objCode, id) => {
      const def = objectDef(objCode);
      const col = def.ownerField ? columnOf(def, def.ownerField) : "id";
      const r = prepared(`SELECT "${col}" AS o FROM "${def.table}" WHERE id = ?`).get(id) as { o: string | null } | undefined;
      return r === undefined ? undefined : r.o;
    }),
  };
}
