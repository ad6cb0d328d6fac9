/**
 * POST /token: authenticates the client, then hands the request to its grant. Confidential apps
 * prove their secret; single-page apps name themselves (PKCE is their proof). Machine-to-machine
 * apps use the JWT exchange instead and are told so.
 */
import { hasPublicKeys } from "../../domain/oauth-app";
import type { Params } from "../../http/params";
import type { ClientCredentials } from "../../oauth/client-credentials";
import { UnauthorizedClient, UnsupportedGrantType } from "../../oauth/errors";
import { singleParam } from "../../oauth/params";
import type { ServiceContext } from "../context";
import { chargeClientFailure } from "./client-auth";
import { authorizationCodeGrant } from "./grant-authorization-code";
import { refreshTokenGrant } from "./grant-refresh-token";
import { authenticateTokenClient } from "./token-client";
import type { TokenGrantResponse } from "./token-response";

const GRANTS = new Map([
  ["authorization_code", authorizationCodeGrant],
  ["refresh_token", refreshTokenGrant],
]);

export async function tokenRequest(ctx: ServiceContext, creds: ClientCredentials, params: Params): Promise<TokenGrantResponse> {
  const grantType = singleParam(params, "grant_type", true);
  const grant = GRANTS.get(grantType);
  if (!grant) {
    throw new UnsupportedGrantType(
      grantType === "client_credentials" || grantType === "urn:ietf:params:oauth:grant-type:jwt-bearer"
        ? "Machine-to-machine applications exchange a signed JWT at /integrations/oauth2/api/v1/jwt/exchange."
        : "grant_type must be authorization_code or refresh_token.",
    );
  }
  const client = await authenticateTokenClient(ctx, creds, { publicAllowed: true });
  if (hasPublicKeys(client.client.app.type)) {
    await chargeClientFailure(ctx, client.client.app.clientId, "wrong_grant");
    throw new UnauthorizedClient("This is a machine-to-machine application: it exchanges a signed JWT at /integrations/oauth2/api/v1/jwt/exchange.");
  }
  return grant(ctx, client, params);
}
