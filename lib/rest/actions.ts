/**
 * Object actions (`PUT /user?action=getApiKey`, `/user/generateApiKey`, `/user/{ID}/clearApiKey`).
 * An action authenticates with username + password when both are given (lockout and SSO rules
 * apply), otherwise with the request's credential.
 */
import { InvalidRequest, Unauthorized } from "../errors";
import { authenticate } from "../http/guard";
import { clearApiKeyAction, generateApiKeyAction, getApiKeyAction } from "../services/api-keys/rest-actions";
import { checkPassword } from "../services/auth/password-login";
import type { ServiceContext } from "../services/context";
import type { RestCall } from "./call";
import { restData } from "./envelope";
import type { ObjectDef } from "./objects";

type ActionFn = (ctx: ServiceContext, targetUserId: string) => Promise<unknown>;

const ACTIONS: Record<string, Record<string, ActionFn>> = {
  USER: {
    generateapikey: generateApiKeyAction,
    getapikey: getApiKeyAction,
    clearapikey: clearApiKeyAction,
  },
};

export function findAction(def: ObjectDef, name: string): ActionFn | undefined {
  return ACTIONS[def.objCode]?.[name.toLowerCase()];
}

export async function runAction(call: RestCall, def: ObjectDef, name: string, objectId?: string): Promise<Response> {
  const fn = findAction(def, name);
  if (!fn) throw new InvalidRequest(`Unknown action "${name.slice(0, 50)}" for ${def.objCode}`);
  if (call.method !== "PUT" && call.method !== "POST") {
    throw new InvalidRequest(`Action ${name} must be called with PUT (or method=PUT)`);
  }
  const username = call.params.get("username");
  const password = call.params.get("password");
  let ctx: ServiceContext;
  if (username !== undefined || password !== undefined) {
    const user = await checkPassword(call.ctx, username, password, "api");
    ctx = { ...call.ctx, actor: { userId: user.id, username: user.username, name: user.name, accessLevel: user.accessLevel } };
  } else {
    const auth = await authenticate(call.rt, { req: call.req, params: call.params, write: true });
    if (!auth) throw new Unauthorized();
    ctx = { ...call.ctx, actor: auth.actor };
  }
  const result = await fn(ctx, objectId ?? ctx.actor!.userId);
  return restData({ result });
}
