// POST /ims/exchange/jwt (the JWT bearer exchange of service credentials), POST /ims/token/v3 (OAuth
// Server-to-Server, client_credentials) and GET /ims/keys (the JWKS of the tokens this server
// signs). One Web-standard handler, served by the Node entry and by the Next route tree; with or
// without a trailing slash, never answered with a redirect.
import { endpoint, type EndpointRequest, type Surface } from "../http/endpoint";
import { singleValue, type Params } from "../http/params";
import { clientCredentialsToken } from "../services/ims/client-credentials";
import { exchangeImsJwt } from "../services/ims/exchange-jwt";
import { jwks } from "../services/ims/signing-keys";
import { imsError, imsJson } from "./envelope";
import { ImsBadRequest, ImsError, ImsMethodNotAllowed, ImsUnsupportedGrantType } from "./errors";

export const IMS_PREFIX = "/ims/";

/** The IMS surface: its one error renderer is `{"error","error_description"}`. */
export const imsSurface: Surface = { name: "ims", renderError: imsError };

type ImsOperation = (call: EndpointRequest) => Promise<Response>;

/** A parameter sent at most once; empty counts as absent. */
function single(params: Params, name: string, required: true): string;
function single(params: Params, name: string, required: false): string | undefined;
function single(params: Params, name: string, required: boolean): string | undefined {
  return singleValue(params, name, required, (message) => new ImsBadRequest(message));
}

// Secrets and assertions belong in the body, never in a URL that proxies and logs keep.
const refuseSecretsInUrl = (url: URL, names: readonly string[]) => {
  for (const name of names) if (url.searchParams.has(name)) throw new ImsBadRequest(`Send ${name} in the request body, not in the URL.`);
};

const exchangeJwt: ImsOperation = async ({ rt, url, params, meta }) => {
  refuseSecretsInUrl(url, ["client_secret", "jwt_token"]);
  const clientId = single(params, "client_id", true);
  const clientSecret = single(params, "client_secret", false);
  const jwt = single(params, "jwt_token", true);
  return imsJson(await exchangeImsJwt({ rt, actor: null, meta }, { clientId, clientSecret, jwt }));
};

const tokenV3: ImsOperation = async ({ rt, url, params, meta }) => {
  refuseSecretsInUrl(url, ["client_secret"]);
  const grant = single(params, "grant_type", true);
  if (grant !== "client_credentials") throw new ImsUnsupportedGrantType("grant_type must be client_credentials.");
  const clientId = single(params, "client_id", true);
  const clientSecret = single(params, "client_secret", false);
  const scope = single(params, "scope", false);
  return imsJson(await clientCredentialsToken({ rt, actor: null, meta }, { clientId, clientSecret, scope }));
};

// A minute: a rotation signs with the new key at once, and verifiers refetch on an unknown kid anyway.
const keys: ImsOperation = async ({ rt }) => imsJson(await jwks(rt), 200, { "cache-control": "public, max-age=60" });

/** Each operation by its path below the prefix (without a trailing slash), with its one method. */
const OPERATIONS = new Map<string, { method: "GET" | "POST"; run: ImsOperation }>([
  ["exchange/jwt", { method: "POST", run: exchangeJwt }],
  ["token/v3", { method: "POST", run: tokenV3 }],
  ["keys", { method: "GET", run: keys }],
]);

export const handleImsRequest = endpoint(imsSurface, (call) => {
  const rest = call.url.pathname.slice(IMS_PREFIX.length).replace(/\/$/, "");
  const operation = OPERATIONS.get(rest);
  if (!operation) throw new ImsError("not_found", "not_found", 404, `No IMS endpoint at ${call.url.pathname.slice(0, 200)}`);
  const method = call.req.method === "HEAD" ? "GET" : call.req.method;
  if (method !== operation.method) throw new ImsMethodNotAllowed(operation.method);
  return operation.run(call);
});
