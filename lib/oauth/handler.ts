// POST /integrations/oauth2/api/v1/{token,revoke,introspect,jwt/exchange} - the OAuth2 API: the
// token endpoint (authorization_code, refresh_token), revocation (RFC 7009), introspection
// (RFC 7662) and the JWT flow's exchange. One Web-standard handler, served by the Node entry and by
// the Next route tree; never answered with a redirect.
import { NotFound } from "../errors";
import { endpoint, type EndpointRequest, type Surface } from "../http/endpoint";
import { introspectToken } from "../services/oauth/introspect";
import { exchangeJwt } from "../services/oauth/jwt-exchange";
import { revokeToken } from "../services/oauth/revoke";
import { tokenRequest } from "../services/oauth/token";
import { readClientCredentials } from "./client-credentials";
import { oauthError, oauthJson } from "./envelope";
import { InvalidOAuthRequest, MethodNotAllowed } from "./errors";
import { singleParam } from "./params";

export const OAUTH_API_PREFIX = "/integrations/oauth2/api/";

/** The OAuth2 surface: its one error renderer is RFC 6749's `{"error","error_description"}`. */
export const oauthSurface: Surface = { name: "oauth2", renderError: oauthError };

type OAuthOperation = (call: EndpointRequest) => Promise<Response>;

// Credentials and grants belong in the body, never in a URL that proxies and logs keep (RFC 6749 2.3.1).
const refuseSecretsInUrl = (url: URL, names: readonly string[]) => {
  for (const name of names) if (url.searchParams.has(name)) throw new InvalidOAuthRequest(`Send ${name} in the request body, not in the URL.`);
};

const jwtExchange: OAuthOperation = async ({ rt, url, params, meta }) => {
  refuseSecretsInUrl(url, ["client_secret", "jwt_token"]);
  const clientId = singleParam(params, "client_id", true);
  const clientSecret = singleParam(params, "client_secret", false);
  const jwt = singleParam(params, "jwt_token", true);
  const ctx = { rt, actor: null, meta };
  return oauthJson(await exchangeJwt(ctx, { clientId, clientSecret, jwt }));
};

const token: OAuthOperation = async ({ rt, req, url, params, meta }) => {
  refuseSecretsInUrl(url, ["code", "code_verifier", "refresh_token"]);
  const creds = readClientCredentials(req.headers.get("authorization"), params, url);
  return oauthJson(await tokenRequest({ rt, actor: null, meta }, creds, params));
};

const revoke: OAuthOperation = async ({ rt, req, url, params, meta }) => {
  refuseSecretsInUrl(url, ["token"]);
  const creds = readClientCredentials(req.headers.get("authorization"), params, url);
  await revokeToken({ rt, actor: null, meta }, creds, singleParam(params, "token", true));
  return oauthJson({});
};

const introspect: OAuthOperation = async ({ rt, req, url, params, meta }) => {
  refuseSecretsInUrl(url, ["token"]);
  const creds = readClientCredentials(req.headers.get("authorization"), params, url);
  return oauthJson(await introspectToken({ rt, actor: null, meta }, creds, singleParam(params, "token", true)));
};

/** Each operation by its path below the prefix, without a trailing slash. */
const OPERATIONS = new Map<string, OAuthOperation>([
  ["v1/token", token],
  ["v1/revoke", revoke],
  ["v1/introspect", introspect],
  ["v1/jwt/exchange", jwtExchange],
]);

export const handleOAuthRequest = endpoint(oauthSurface, (call) => {
  const rest = call.url.pathname.slice(OAUTH_API_PREFIX.length).replace(/\/$/, "");
  const operation = OPERATIONS.get(rest);
  if (!operation) throw new NotFound(`No OAuth2 endpoint at ${call.url.pathname.slice(0, 200)}`);
  if (call.req.method !== "POST") throw new MethodNotAllowed("POST");
  return operation(call);
});
