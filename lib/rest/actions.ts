/**
 * Object actions (`PUT /user?action=getApiKey`, `/user/generateApiKey`, `/user/{ID}/clearApiKey`).
 * An action authenticates with username + password when both are given (lockout, SSO and X.509
 * certificate rules apply), otherwise with the request's credential.
 */
import { AppError, InvalidRequest, Unauthorized } from "../errors";
import { authenticate } from "../http/guard";
import { clearApiKeyAction, generateApiKeyAction, getApiKeyAction } from "../services/api-keys/rest-actions";
import { checkPassword } from "../services/auth/password-login";
import { actorOf } from "../domain/actor";
import type { ServiceContext } from "../services/context";
import type { RestCall } from "./call";
import { restData } from "./envelope";
import type { ObjectDef } from "../domain/objects";

/** What an action may answer: the only values ever serialised as its `result`. */
type ActionResult = string | boolean;
type ActionFn = (ctx: ServiceContext, targetUserId: string) => Promise<ActionResult>;

/** Actions by object code, then by lower-cased name. Maps: request text never reaches inherited properties. */
const ACTIONS: ReadonlyMap<string, ReadonlyMap<string, ActionFn>> = new Map([
  [
    "USER",
    new Map<string, ActionFn>([
      ["generateapikey", generateApiKeyAction],
      ["getapikey", getApiKeyAction],
      ["clearapikey", clearApiKeyAction],
    ]),
  ],
]);

export function findAction(def: ObjectDef, name: string): ActionFn | undefined {
  return ACTIONS.get(def.objCode)?.get(name.toLowerCase());
}

export async function runAction(call: RestCall, def: ObjectDef, name: string, objectId?: string): Promise<Response> {
  const fn = findAction(def, name);
  if (!fn) throw new InvalidRequest(`Unknown action "${name.slice(0, 50)}" for ${def.objCode}`);
  if (call.method !== "PUT" && call.method !== "POST") {
    throw new InvalidRequest(`Action ${name.slice(0, 50)} must be called with PUT (or method=PUT)`);
  }
  const username = call.params.get("username");
  const password = call.params.get("password");
  let ctx: ServiceContext;
  if (username !== undefined || password !== undefined) {
    const user = await checkPassword(call.ctx, username, password, "api", { apiCertificate: call.params.getCI("apiCertificate") });
    ctx = { ...call.ctx, actor: actorOf(user, "password") };
  } else {
    const auth = await authenticate(call.ctx, { req: call.req, params: call.params, write: true });
    if (!auth) throw new Unauthorized();
    ctx = { ...call.ctx, actor: auth.actor };
  }
  const result = await fn(ctx, objectId ?? ctx.actor!.userId);
  if (typeof result !== "string" && typeof result !== "boolean") {
    throw new AppError("internal", 500, "An unexpected error occurred.");
  }
  return restData({ result });
}
