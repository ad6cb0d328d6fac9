// ALL /attask/... - the vendor REST API. The same handler serves these paths in the Node entry.
import { handleRestRequest } from "@/lib/rest/handler";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handle = (req: Request) => handleRestRequest(req);
export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as PATCH, handle as HEAD };
