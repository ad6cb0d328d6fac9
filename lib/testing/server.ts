/** Test support: every API route of the route table on a real HTTP port (127.0.0.1, random), as the Node entry serves them. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { toApiRequest, writeWebResponse } from "../http/node-bridge";
import { restError } from "../rest/envelope";
import { apiRouteFor } from "../routes";

export async function startApiServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = apiRouteFor(req.url ?? "/");
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not an API path");
      return;
    }
    void toApiRequest(req)
      .then((r) => route.endpoint(r, { ip: req.socket.remoteAddress }))
      .catch((e) => (route.endpoint.surface.renderError ?? restError)(e))
      .then((r) => writeWebResponse(res, r));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
