// ALL /ims/... - the IMS endpoints (JWT exchange, client credentials, JWKS). The Node entry serves the same endpoint (lib/routes.ts).
import { routeHandler } from "@/lib/http/endpoint";
import { handleImsRequest } from "@/lib/ims/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = routeHandler(handleImsRequest);
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as HEAD };
