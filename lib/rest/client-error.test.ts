import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restError } from "./envelope";
import { answerClientError, requestLinePath } from "../http/node-bridge";

/** A node:http server wired like the Node entry: API paths answer their surface's JSON error. */
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => res.end("ok"));
  server.on("clientError", (err: Error & { code?: string; rawPacket?: Buffer }, socket) =>
    answerClientError(err, socket, (path) => (path.startsWith("/attask/") ? restError : undefined)),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.end(text));
    let out = "";
    socket.on("data", (d: Buffer) => (out += d.toString("utf8")));
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
}

function parse(raw: string): { status: number; headers: string; body: string } {
  const [head = "", body = ""] = raw.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body };
}

describe("requests node:http cannot parse", () => {
  it("answers an oversized request line on an API path with 431 and the REST envelope", async () => {
    const r = parse(await rawRequest(`GET /attask/api/v20.0/proj/search?name=${"x".repeat(70_000)} HTTP/1.1\r\nHost: a\r\n\r\n`));
    expect(r.status).toBe(431);
    expect(r.headers).toContain("content-type: application/json");
    expect(JSON.parse(r.body)).toEqual({
      error: {
        class: "java.lang.IllegalArgumentException",
        message: "The request line and headers are too large.",
        title: "The request line and headers are too large.",
      },
    });
  });

  it("answers oversized headers and malformed HTTP on an API path with the envelope", async () => {
    const big = parse(await rawRequest(`GET /attask/api/v20.0/proj/search HTTP/1.1\r\nHost: a\r\nX-Big: ${"y".repeat(20_000)}\r\n\r\n`));
    expect(big.status).toBe(431);
    expect(JSON.parse(big.body).error.class).toBe("java.lang.IllegalArgumentException");
    const bad = parse(await rawRequest("GET /attask/api/v20.0/proj/search HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toBe("The request is not valid HTTP.");
  });

  it("answers other paths in plain text", async () => {
    const r = parse(await rawRequest(`GET /signin?x=${"x".repeat(70_000)} HTTP/1.1\r\nHost: a\r\n\r\n`));
    expect(r.status).toBe(431);
    expect(r.headers).toContain("content-type: text/plain");
  });

  it("reads the path only from a well-formed request line", () => {
    expect(requestLinePath(Buffer.from("POST /attask/api/login HTTP/1.1\r\n"))).toBe("/attask/api/login");
    expect(requestLinePath(Buffer.from("garbage"))).toBeUndefined();
    expect(requestLinePath(undefined)).toBeUndefined();
  });
});
