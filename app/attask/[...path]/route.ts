// ALL /attask/... - the vendor REST API. The Node entry serves the same endpoint (lib/routes.ts).
import { routeHandler } from "@/lib/http/endpoint";
import { handleRestRequest } from "@/lib/rest/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = routeHandler(handleRestRequest);
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as HEAD };
