// ALL /attask/api/v{N}.0/..., /attask/api-internal/..., /attask/api-unsupported/..., /attask/api/...
// The vendor REST API: one Web-standard handler, served by the Node entry and by the Next route tree.
import { InvalidRequest, NotFound, Unauthorized } from "../errors";
import { authenticate } from "../http/guard";
import { endpoint, type Surface } from "../http/endpoint";
import { isAdmin, requireAdmin } from "../services/context";
import { findAction, runAction } from "./actions";
import type { RestCall, RestMethod } from "./call";
import * as crud from "./crud";
import { restError } from "./envelope";
import { login, logout } from "./login";
import { resolveObject, type ObjectDef } from "../domain/objects";

const PREFIX = /^\/attask\/(?:api\/v(\d{1,2})\.0|api-internal|api-unsupported|api)(?=\/|$)/i;
const MIN_VERSION = 2;
const MAX_VERSION = 22;

/** Path segments after the API prefix, or null when the path is not an API path. */
export function parseApiPath(pathname: string): string[] | null {
  const m = PREFIX.exec(pathname);
  if (!m) return null;
  if (m[1] !== undefined) {
    const v = Number(m[1]);
    if (v < MIN_VERSION || v > MAX_VERSION) return null;
  }
  return pathname
    .slice(m[0].length)
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const METHODS = new Set<RestMethod>(["GET", "POST", "PUT", "DELETE"]);

function effectiveMethod(httpMethod: string, override: string | undefined): RestMethod {
  const m = (override ?? httpMethod).toUpperCase();
  if (m === "HEAD") return "GET";
  if (!METHODS.has(m as RestMethod)) throw new InvalidRequest(`Unsupported method ${m.slice(0, 20)}`);
  return m as RestMethod;
}

/** The vendor REST surface: its one error renderer is the `{"error":{"class","message"}}` envelope. */
export const restSurface: Surface = { name: "rest", renderError: restError };

export const handleRestRequest = endpoint(restSurface, (e) => {
  const segments = parseApiPath(e.url.pathname);
  if (!segments) throw new NotFound(`No API at ${e.url.pathname.slice(0, 200)}`);
  return dispatch({
    ...e,
    segments,
    method: effectiveMethod(e.req.method, e.params.getCI("method")),
    ctx: { rt: e.rt, actor: null, meta: e.meta },
  });
});

async function dispatch(call: RestCall): Promise<Response> {
  const [first, second, third, ...rest] = call.segments;
  if (!first) throw new NotFound("Specify an object code, e.g. /proj/search");
  const head = first.toLowerCase();
  if (head === "login" && !second) return login(call);
  if (head === "logout" && !second) {
    return logout(call);
  }
  const def = resolveObject(first);
  if (!def) throw new NotFound(`Unknown object code "${first.slice(0, 50)}"`);
  if (rest.length > 0) throw new NotFound("Unknown API path");

  // Actions may authenticate by username + password instead of a credential, so they run first.
  // `/user/{ID}/clearApiKey`, `/user/clearApiKey`, `/user?action=...` or `/user/{ID}?action=...`.
  const pathAction = second && findAction(def, second) ? second : undefined;
  const actionName = third ?? pathAction ?? call.params.getCI("action");
  if (actionName) {
    const objectId = third !== undefined || (second !== undefined && !pathAction) ? second : undefined;
    if (objectId !== undefined && ["search", "count", "metadata"].includes(objectId.toLowerCase())) {
      throw new InvalidRequest(`action cannot be combined with /${objectId}`);
    }
    return runAction(call, def, actionName, objectId);
  }

  const auth = await authenticate(call.ctx, { req: call.req, params: call.params, write: call.method !== "GET" });
  if (!auth) throw new Unauthorized();
  call.ctx = { ...call.ctx, actor: auth.actor };
  return crudRoute(call, def, second);
}

async function crudRoute(call: RestCall, def: ObjectDef, second: string | undefined): Promise<Response> {
  const m = call.method;
  if (!second) {
    if (m === "GET") return crud.getMany(call, def);
    if (m === "POST") return writeGuard(call, def, () => crud.create(call, def));
    throw new InvalidRequest(`${m} /${def.objCode.toLowerCase()} needs an object ID`);
  }
  const sub = second.toLowerCase();
  if (sub === "search" && m === "GET") return crud.search(call, def);
  if (sub === "count" && m === "GET") return crud.count(call, def);
  if (sub === "metadata" && m === "GET") return crud.metadata(def);
  if (m === "GET") return crud.getOne(call, def, second);
  if (m === "PUT") return writeGuard(call, def, () => crud.edit(call, def, second));
  if (m === "DELETE") return writeGuard(call, def, () => crud.remove(call, def, second));
  throw new InvalidRequest(`${m} is not supported on /${def.objCode.toLowerCase()}/${second.slice(0, 50)}`);
}

function writeGuard(call: RestCall, def: ObjectDef, fn: () => Promise<Response>): Promise<Response> {
  if (def.writeAccess === "admin" && !isAdmin(call.ctx)) requireAdmin(call.ctx);
  return fn();
}
