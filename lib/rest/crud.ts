/** Search, count, get, create, edit and delete over the REST objects; writes go to the users and projects services. */
import { Forbidden, InvalidRequest, NotFound } from "../errors";
import { isAdmin } from "../services/context";
import { createProject } from "../services/projects/create";
import { removeProject } from "../services/projects/remove";
import { updateProject } from "../services/projects/update";
import { createUser, updateUser } from "../services/users/write";
import type { RestCall } from "./call";
import { restData } from "./envelope";
import type { FieldDef, ObjectDef } from "../domain/objects";
import type { ObjectQuery } from "../domain/object-query";
import { parseFields, parseSearch } from "./query";
import { renderRow, type Viewer } from "./render";
import { readUpdates } from "./updates";

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
  return renderOne(call, def, parseFields(def, call.params.getCI("fields")), id);
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
  const fields = parseFields(def, call.params.getCI("fields"));
  const updates = readUpdates(def, call.params);
  const { id } = def.objCode === "USER" ? await createUser(call.ctx, updates) : await createProject(call.ctx, updates);
  return renderOne(call, def, fields, id);
}

export async function edit(call: RestCall, def: ObjectDef, id: string): Promise<Response> {
  const fields = parseFields(def, call.params.getCI("fields"));
  const updates = readUpdates(def, call.params);
  if (def.objCode === "USER") await updateUser(call.ctx, id, updates);
  else await updateProject(call.ctx, id, updates);
  return renderOne(call, def, fields, id);
}

export async function remove(call: RestCall, def: ObjectDef, id: string): Promise<Response> {
  if (def.objCode === "USER") throw new Forbidden(`${def.label} objects cannot be deleted through the API; deactivate them instead`);
  await removeProject(call.ctx, id);
  return restData({ success: true });
}

async function renderOne(call: RestCall, def: ObjectDef, fields: FieldDef[], id: string): Promise<Response> {
  const [row] = await call.rt.store.objects.byIds(def.objCode, [id], fields.map((f) => f.name));
  if (!row) throw notFound(def, id);
  return restData(renderRow(def, fields, row, viewerOf(call)));
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

