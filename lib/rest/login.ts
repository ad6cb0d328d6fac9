/** `POST /login` and `GET /logout`. */
import { InvalidRequest } from "../errors";
import { readCookie } from "../http/request";
import { SESSION_COOKIE } from "../http/guard";
import { checkPassword } from "../services/auth/password-login";
import { endSession, startSession } from "../services/auth/sessions";
import { looksLikeAccessToken } from "../services/oauth/access-tokens";
import { endAccessToken } from "../services/oauth/revoke";
import { endImsToken } from "../services/ims/end-token";
import { looksLikeImsToken } from "../services/ims/access-tokens";
import type { RestCall } from "./call";
import { restData } from "./envelope";

function sessionCookie(call: RestCall, value: string, maxAge?: number): string {
  const secure = call.rt.settings.publicUrl.startsWith("https:") ? "; Secure" : "";
  const age = maxAge === undefined ? "" : `; Max-Age=${maxAge}`;
  return `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/attask; HttpOnly; SameSite=Strict${secure}${age}`;
}

export async function login(call: RestCall): Promise<Response> {
  if (call.method === "DELETE") throw new InvalidRequest("login takes POST or GET");
  const user = await checkPassword(call.ctx, call.params.get("username"), call.params.get("password"), "api", {
    apiCertificate: call.params.getCI("apiCertificate"),
  });
  const sessionID = await startSession(call.ctx, user);
  return restData(
    {
      sessionID,
      userID: user.id,
      versionInformation: { currentAPIVersion: "22.0", product: "Keyward" },
    },
    { headers: { "set-cookie": sessionCookie(call, sessionID) } },
  );
}

export async function logout(call: RestCall): Promise<Response> {
  const authorization = call.req.headers.get("authorization");
  const bearer = authorization?.slice(0, 7).toLowerCase() === "bearer " ? authorization.slice(7).trim() : undefined;
  const sessionID =
    call.req.headers.get("sessionid") ?? call.params.getCI("sessionID") ?? bearer ?? readCookie(call.req, SESSION_COOKIE);
  if (sessionID && looksLikeImsToken(sessionID)) await endImsToken(call.ctx, sessionID);
  else if (sessionID && looksLikeAccessToken(sessionID)) await endAccessToken(call.ctx, sessionID);
  else if (sessionID) await endSession(call.rt, sessionID);
  return restData({ success: true }, { headers: { "set-cookie": sessionCookie(call, "", 0) } });
}
