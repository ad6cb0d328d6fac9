// ALL /integrations/oauth2/api/... - the OAuth2 API (JWT exchange). The Node entry serves the same endpoint (lib/routes.ts).
import { routeHandler } from "@/lib/http/endpoint";
import { handleOAuthRequest } from "@/lib/oauth/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = routeHandler(handleOAuthRequest);
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as HEAD };
