/**
 * How a client presents itself at the token, revocation and introspection endpoints (RFC 6749 2.3):
 * `Authorization: Basic` with the form-encoded ID and secret, or `client_id` / `client_secret` in the
 * body, or (a public single-page app) `client_id` alone. Using two methods at once is refused.
 */
import type { Params } from "../http/params";
import { InvalidOAuthRequest } from "./errors";
import { singleParam } from "./params";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface ClientCredentials {
  clientId: string;
  secret?: string;
  method: ClientAuthMethod;
}

export const BASIC_CHALLENGE = 'Basic realm="keyward", charset="UTF-8"';

function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw new InvalidOAuthRequest("The Authorization header's client ID or secret is not valid form encoding.");
  }
}

function readBasic(header: string): { clientId: string; secret: string } {
  const encoded = header.slice(6).trim();
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(encoded) ? Buffer.from(encoded, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw new InvalidOAuthRequest("The Authorization header must be Basic base64(client_id:client_secret).");
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

export function readClientCredentials(authorization: string | null, params: Params, url: URL): ClientCredentials {
  if (url.searchParams.has("client_secret")) throw new InvalidOAuthRequest("Send client_secret in the request body or the Authorization header, not in the URL.");
  const bodyId = singleParam(params, "client_id", false);
  const bodySecret = singleParam(params, "client_secret", false);
  if (authorization && authorization.slice(0, 6).toLowerCase() === "basic ") {
    const basic = readBasic(authorization);
    if (bodySecret !== undefined) throw new InvalidOAuthRequest("Authenticate the client one way: the Authorization header or client_secret in the body, not both.");
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new InvalidOAuthRequest("client_id in the body differs from the one in the Authorization header.");
    return { clientId: basic.clientId, secret: basic.secret, method: "client_secret_basic" };
  }
  if (bodyId === undefined) throw new InvalidOAuthRequest("The client_id parameter is required (or authenticate with Authorization: Basic).");
  return bodySecret === undefined ? { clientId: bodyId, method: "none" } : { clientId: bodyId, secret: bodySecret, method: "client_secret_post" };
}
