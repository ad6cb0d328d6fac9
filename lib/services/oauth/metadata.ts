/**
 * Authorization server metadata (RFC 8414), served at /.well-known/oauth-authorization-server and,
 * for clients that only discover the OpenID Connect way, at /.well-known/openid-configuration. The
 * issuer is the configured public URL, exactly as the `iss` of authorization responses.
 */
import type { Runtime } from "../../runtime";

export const AUTHORIZE_PATH = "/integrations/oauth2/authorize";

export function authorizationServerMetadata(rt: Runtime): Record<string, unknown> {
  const issuer = rt.settings.publicUrl;
  const api = `${issuer}/integrations/oauth2/api/v1`;
  return {
    issuer,
    authorization_endpoint: `${issuer}${AUTHORIZE_PATH}`,
    token_endpoint: `${api}/token`,
    revocation_endpoint: `${api}/revoke`,
    introspection_endpoint: `${api}/introspect`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/`,
  };
}
