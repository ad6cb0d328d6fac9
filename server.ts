// The production entry: migrates and seeds, then serves the API paths by calling their Web-standard
// handlers directly and hands every other request to Next.js. Same handlers as the route tree.
import http from "node:http";
import next from "next";
import { apiRouteFor } from "./lib/routes";
import { createRuntime, printAdminLogin, setRuntime } from "./lib/runtime";
import { ConfigError } from "./lib/env";
import { SecretMismatch } from "./lib/services/bootstrap";
import { answerClientError, ClientGone, toApiRequest, writeWebResponse } from "./lib/http/node-bridge";
import { flushLockedAttempts } from "./lib/services/auth/locked-attempts";
import { CLIENT_IP_HEADER, markedClientIp } from "./lib/http/request";

async function main(): Promise<void> {
  let rt;
  try {
    rt = await createRuntime();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SecretMismatch) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  setRuntime(rt);
  // next-auth builds its callback URLs from this; default it to the configured public URL.
  process.env.NEXTAUTH_URL ??= rt.settings.publicUrl;
  const { port, host } = rt.settings;
  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    const api = apiRouteFor(req.url ?? "/");
    if (!api) {
      req.headers[CLIENT_IP_HEADER] = markedClientIp(req.socket.remoteAddress ?? "");
      nextHandler(req, res).catch((e: unknown) => {
        console.error("keyward: console request failed:", e instanceof Error ? e.message : e);
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("Internal Server Error");
      });
      return;
    }
    toApiRequest(req)
      .then((webReq) => api.endpoint(webReq, { ip: req.socket.remoteAddress }))
      .then((webRes) => writeWebResponse(res, webRes))
      .catch((e) => {
        if (res.headersSent || e instanceof ClientGone) res.destroy();
        else void writeWebResponse(res, api.endpoint.surface.renderError(e));
      });
  });
  server.on("clientError", (err: Error & { code?: string; rawPacket?: Buffer }, socket) =>
    answerClientError(err, socket, (path) => apiRouteFor(path)?.endpoint.surface.renderError),
  );
  // Lock periods that ended without a further attempt still get their audit row.
  setInterval(() => {
    flushLockedAttempts({ rt, actor: null, meta: {} }).catch((e: unknown) => console.error("keyward: lock audit failed:", e));
  }, 60_000).unref();
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, () => {
    console.log(`Keyward listening on http://${host}:${port} (public URL ${rt.settings.publicUrl})`);
    printAdminLogin(rt);
  });
  // On a stop: no new connections, the lock periods still open get their audit row, then the store
  // (read worker, connection) is closed.
  const stop = () =>
    server.close(() => {
      void flushLockedAttempts({ rt, actor: null, meta: {} }, true)
        .catch((e: unknown) => console.error("keyward: lock audit failed:", e))
        .then(() => rt.store.close())
        .finally(() => process.exit(0));
    });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
