/**
 * The one route table of the API: each path prefix, the endpoint that serves it, and the App Router
 * file that serves the same endpoint under `next dev`/`next start`. The Node entry serves exactly
 * this list; e2e/integration/route-table.test.ts proves the route files agree with it.
 */
import type { Endpoint } from "./http/endpoint";
import { normalizedPath } from "./http/node-bridge";
import { handleImsRequest, IMS_PREFIX } from "./ims/handler";
import { handleOAuthRequest, OAUTH_API_PREFIX } from "./oauth/handler";
import { handleMetadataRequest } from "./oauth/metadata-endpoint";
import { handleRestRequest } from "./rest/handler";

export interface ApiRoute {
  /** Matched against the normalised request path. */
  prefix: string;
  endpoint: Endpoint;
  /** The route file under app/ that exports this endpoint's handlers. */
  routeFile: string;
}

export const API_ROUTES: readonly ApiRoute[] = [
  { prefix: "/attask/", endpoint: handleRestRequest, routeFile: "app/attask/[...path]/route.ts" },
  { prefix: OAUTH_API_PREFIX, endpoint: handleOAuthRequest, routeFile: "app/integrations/oauth2/api/[...path]/route.ts" },
  { prefix: IMS_PREFIX, endpoint: handleImsRequest, routeFile: "app/ims/[...path]/route.ts" },
  { prefix: "/.well-known/oauth-authorization-server", endpoint: handleMetadataRequest, routeFile: "app/.well-known/oauth-authorization-server/route.ts" },
  { prefix: "/.well-known/openid-configuration", endpoint: handleMetadataRequest, routeFile: "app/.well-known/openid-configuration/route.ts" },
];

/** The route for a request target, matched on its normalised path (`/x/../attask/` is `/attask/`). */
export function apiRouteFor(target: string): ApiRoute | undefined {
  const path = normalizedPath(target);
  return API_ROUTES.find((r) => path.startsWith(r.prefix));
}
