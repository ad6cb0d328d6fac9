/** Generic search, count, get, create, edit and delete over the REST objects. */
import { Forbidden, InvalidRequest, NotFound } from "../errors";
import { randomId } from "../crypto/secrets";
import { isAdmin, requireActor } from "../services/context";
import { createUser, updateUser } from "../services/users/write";
import type { RestCall } from "./call";
import { restData } from "./envelope";
import type { ObjectDef } from "../domain/objects";
import type { ObjectQuery } from "../domain/object-query";
import { parseFields, parseSearch } from "./query";
import { renderRow, type Viewer } from "./render";
import { readUpdates, toStoredValues } from "./updates";

function viewerOf(call: RestCall): Viewer {
  return { userId: call.ctx.actor?.userId ?? null, isAdmin: isAdmin(call.ctx) };
}

/** Searching by a field others may not see would reveal it: only administrators filter or sort by one. */
function searchQuery(call: RestCall, def: ObjectDef): ObjectQuery {
  const q = parseSearch(def, call.params, { idFilter: true });
  if (!isAdmin(call.ctx)) {
    const hidden = [...q.filters.map((f) => f.field), ...q.sort.map((s) => s.field)].find((f) => f.selfOrAdmin);
    if (hidden) throw new Forbidden(`Only a System Administrator can filter or sort by ${hidden.name}`);
  }
  return q;
}

export async function search(call: RestCall, def: ObjectDef): Promise<Response> {
  const q = searchQuery(call, def);
  const rows = await call.rt.store.objects.search(def.objCode, q);
  const viewer = viewerOf(call);
  return restData(rows.map((r) => renderRow(def, q.fields, r, viewer)));
}

export async function count(call: RestCall, def: ObjectDef): Promise<Response> {
  const q = searchQuery(call, def);
  return restData({ count: await call.rt.store.objects.count(def.objCode, q) });
}

export async function getOne(call: RestCall, def: ObjectDef, id: string): Promise<Response> {
  const fields = parseFields(def, call.params.getCI("fields"));
  const [row] = await call.rt.store.objects.byIds(def.objCode, [id], fields.map((f) => f.name));
  if (!row) throw notFound(def, id);
  return restData(renderRow(def, fields, row, viewerOf(call)));
}

/** `GET /proj?id=a&id=b` or `?id=a,b`: found objects in the order asked. */
export async function getMany(call: RestCall, def: ObjectDef): Promise<Response> {
  const ids = call.params.all("id").flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new InvalidRequest("id is required (or use /search)");
  if (ids.length > 2000) throw new InvalidRequest("At most 2000 IDs per request");
  const fields = parseFields(def, call.params.getCI("fields"));
  const rows = await call.rt.store.objects.byIds(def.objCode, ids, fields.map((f) => f.name));
  if (rows.length === 0) throw notFound(def, ids.join(","));
  const viewer = viewerOf(call);
  const rendered = rows.map((r) => renderRow(def, fields, r, viewer));
  return restData(ids.length === 1 ? rendered[0] : rendered);
}

export async function create(call: RestCall, def: ObjectDef): Promise<Response> {
  const actor = requireActor(call.ctx);
  const fields = parseFields(def, call.params.getCI("fields"));
  const updates = readUpdates(def, call.params);
  let id: string;
  if (def.objCode === "USER") {
    id = (await createUser(call.ctx, updates)).id;
  } else {
    const values = toStoredValues(def, updates, { isAdmin: isAdmin(call.ctx), creating: true });
    if (def.ownerField) {
      values[def.ownerField] ??= actor.userId;
      await assertUserExists(call, values[def.ownerField] as string);
    }
    id = randomId();
    const now = call.rt.clock.now();
    await call.rt.store.objects.insert(def.objCode, { ...values, ID: id, entryDate: now, lastUpdateDate: now });
  }
  const [row] = await call.rt.store.objects.byIds(def.objCode, [id], fields.map((f) => f.name));
  if (!row) throw notFound(def, id);
  return restData(renderRow(def, fields, row, viewerOf(call)));
}

export async function edit(call: RestCall, def: ObjectDef, id: string): Promise<Response> {
  const fields = parseFields(def, call.params.getCI("fields"));
  const updates = readUpdates(def, call.params);
  if (def.objCode === "USER") {
    await updateUser(call.ctx, id, updates);
  } else {
    await assertCanWrite(call, def, id);
    const values = toStoredValues(def, updates, { isAdmin: isAdmin(call.ctx), creating: false });
    if (def.ownerField && values[def.ownerField] != null) await assertUserExists(call, values[def.ownerField] as string);
    await call.rt.store.objects.update(def.objCode, id, { ...values, lastUpdateDate: call.rt.clock.now() });
  }
  const [row] = await call.rt.store.objects.byIds(def.objCode, [id], fields.map((f) => f.name));
  if (!row) throw notFound(def, id);
  return restData(renderRow(def, fields, row, viewerOf(call)));
}

export async function remove(call: RestCall, def: ObjectDef, id: string): Promise<Response> {
  if (def.writeAccess === "admin") throw new Forbidden(`${def.label} objects cannot be deleted through the API; deactivate them instead`);
  await assertCanWrite(call, def, id);
  if (!(await call.rt.store.objects.delete(def.objCode, id))) throw notFound(def, id);
  return restData({ success: true });
}

async function assertCanWrite(call: RestCall, def: ObjectDef, id: string): Promise<void> {
  const actor = requireActor(call.ctx);
  const owner = await call.rt.store.objects.ownerOf(def.objCode, id);
  if (owner === undefined) throw notFound(def, id);
  if (isAdmin(call.ctx)) return;
  if (def.writeAccess === "admin" || owner !== actor.userId) {
    throw new Forbidden(`You do not have permission to edit this ${def.label.toLowerCase()}`);
  }
}

async function assertUserExists(call: RestCall, userId: string): Promise<void> {
  if (!(await call.rt.store.users.byId(userId))) throw new InvalidRequest(`No user with ID ${userId.slice(0, 100)}`);
}

function notFound(def: ObjectDef, id: string): NotFound {
  return new NotFound(`${def.label} with ID ${id.slice(0, 100)} was not found`);
}

/** `GET /proj/metadata`: the object's fields and types, for client discovery. */
export function metadata(def: ObjectDef): Response {
  return restData({
    objCode: def.objCode,
    name: def.label,
    fields: Object.fromEntries(
      def.fields.map((f) => [f.name, { fieldType: f.type, isWritable: f.writable, isRequired: !!f.required, enumValues: f.enum }]),
    ),
  });
}

