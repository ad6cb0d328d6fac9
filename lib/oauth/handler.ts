// POST /integrations/oauth2/api/v1/jwt/exchange - the JWT flow's exchange (and, as they come, the
// token, revocation and introspection endpoints). One Web-standard handler for the OAuth2 API,
// served by the Node entry and by the Next route tree; never answered with a redirect.
import { NotFound } from "../errors";
import { endpoint, type EndpointRequest, type Surface } from "../http/endpoint";
import { exchangeJwt } from "../services/oauth/jwt-exchange";
import { oauthError, oauthJson } from "./envelope";
import { InvalidOAuthRequest, OAuthError } from "./errors";
import { singleParam } from "./params";

export const OAUTH_API_PREFIX = "/integrations/oauth2/api/";

/** The OAuth2 surface: its one error renderer is RFC 6749's `{"error","error_description"}`. */
export const oauthSurface: Surface = { name: "oauth2", renderError: oauthError };

type OAuthOperation = (call: EndpointRequest) => Promise<Response>;

const jwtExchange: OAuthOperation = async ({ rt, url, params, meta }) => {
  // Credentials belong in the body, never in a URL that proxies and logs keep (RFC 6749 2.3.1).
  for (const name of ["client_secret", "jwt_token"]) {
    if (url.searchParams.has(name)) throw new InvalidOAuthRequest(`Send ${name} in the request body, not in the URL.`);
  }
  const clientId = singleParam(params, "client_id", true);
  const clientSecret = singleParam(params, "client_secret", false);
  const jwt = singleParam(params, "jwt_token", true);
  const ctx = { rt, actor: null, meta };
  return oauthJson(await exchangeJwt(ctx, { clientId, clientSecret, jwt }));
};

/** Each operation by its path below the prefix, without a trailing slash. */
const OPERATIONS = new Map<string, OAuthOperation>([["v1/jwt/exchange", jwtExchange]]);

class MethodNotAllowed extends OAuthError {
  constructor() {
    super("invalid_request", "invalid_request", 405, "Use POST.");
  }
}

export const handleOAuthRequest = endpoint(oauthSurface, (call) => {
  const rest = call.url.pathname.slice(OAUTH_API_PREFIX.length).replace(/\/$/, "");
  const operation = OPERATIONS.get(rest);
  if (!operation) throw new NotFound(`No OAuth2 endpoint at ${call.url.pathname.slice(0, 200)}`);
  if (call.req.method !== "POST") throw new MethodNotAllowed();
  return operation(call);
});
