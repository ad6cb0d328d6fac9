/** Test support: the REST API on a real HTTP port (127.0.0.1, random), as the Node entry serves it. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { toApiRequest, writeWebResponse } from "../http/node-bridge";
import { restError } from "../rest/envelope";
import { handleRestRequest } from "../rest/handler";

export async function startApiServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void toApiRequest(req)
      .then((r) => handleRestRequest(r, { ip: req.socket.remoteAddress }))
      .catch((e) => restError(e))
      .then((r) => writeWebResponse(res, r));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
