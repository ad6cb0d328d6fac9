// GET /.well-known/openid-configuration - the authorization server metadata. The Node entry serves the same endpoint (lib/routes.ts).
import { routeHandler } from "@/lib/http/endpoint";
import { handleMetadataRequest } from "@/lib/oauth/metadata-endpoint";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = routeHandler(handleMetadataRequest);
export { handle as GET, handle as HEAD };
