import { describe, expect, it } from "vitest";
import { InvalidRequest } from "../errors";
import { checkJsonDepth, checkMultipartParts, MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_PARTS, readBodyBytes } from "./body";
import { normalizedPath } from "./node-bridge";
import { MAX_PARAM_VALUES } from "./params";
import { readParams } from "./request";

const chunked = (total: number, chunk = 64 * 1024) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let sent = 0; sent < total; sent += chunk) c.enqueue(new Uint8Array(Math.min(chunk, total - sent)).fill(97));
      c.close();
    },
  });

function multipart(parts: number): { body: string; type: string } {
  const lines = Array.from({ length: parts }, (_, i) => `--X\r\nContent-Disposition: form-data; name="p${i}"\r\n\r\nv\r\n`);
  return { body: lines.join("") + "--X--\r\n", type: "multipart/form-data; boundary=X" };
}

describe("request bodies", () => {
  it("stops reading a body without Content-Length at the limit", async () => {
    await expect(readBodyBytes({ body: chunked(MAX_BODY_BYTES + 1), text: () => Promise.resolve("") })).rejects.toThrow(
      new InvalidRequest("Request body is too large"),
    );
    expect((await readBodyBytes({ body: chunked(1000), text: () => Promise.resolve("") })).byteLength).toBe(1000);
  });

  it("refuses too many multipart parts before parsing, and reads a normal form", async () => {
    const ok = multipart(3);
    expect(() => checkMultipartParts(Buffer.from(ok.body), ok.type)).not.toThrow();
    const many = multipart(MAX_PARTS + 1);
    expect(() => checkMultipartParts(Buffer.from(many.body), many.type)).toThrow(`Too many multipart parts (at most ${MAX_PARTS})`);
    const req = new Request("http://localhost/attask/api/proj", { method: "POST", headers: { "content-type": ok.type }, body: ok.body });
    const params = await readParams(req, new URL(req.url));
    expect(params.entries()).toEqual([["p0", ["v"]], ["p1", ["v"]], ["p2", ["v"]]]);
  });

  it("counts parts with the one boundary parameter and parses with that same boundary (a decoy parameter cannot redirect it)", async () => {
    const many = multipart(MAX_PARTS + 1);
    for (const type of ["multipart/form-data; xboundary=z; boundary=X", "multipart/form-data; boundary=X; xboundary=z", 'multipart/form-data; BOUNDARY="X"']) {
      expect(() => checkMultipartParts(Buffer.from(many.body), type), type).toThrow(`Too many multipart parts (at most ${MAX_PARTS})`);
    }
    for (const type of ["multipart/form-data; xboundary=X", "multipart/form-data; boundary=X; boundary=Y", "multipart/form-data; boundary=", "multipart/form-data; boundary=" + "a".repeat(71), "multipart/form-data"]) {
      expect(() => checkMultipartParts(Buffer.from(many.body), type), type).toThrow("Malformed multipart body");
    }
    const ok = multipart(2);
    const req = new Request("http://localhost/ims/exchange/jwt", { method: "POST", headers: { "content-type": "multipart/form-data; xboundary=z; boundary=X" }, body: ok.body });
    expect((await readParams(req, new URL(req.url))).entries()).toEqual([["p0", ["v"]], ["p1", ["v"]]]);
  });

  it("settles every malformed multipart body with a 400: a file part cut short, a part whose header end is the next delimiter, a nameless part", async () => {
    const bodies = [
      '--X\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\nabc',
      '--X\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n--X\r\n--',
      '--X\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name="f"\r\n\r\n--X\r\n--',
      '--X\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--X\r\nContent-Disposition: form-data; name="b"\r\n\r\n--X--',
      "--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
    ];
    for (const body of bodies) {
      const req = new Request("http://localhost/ims/exchange/jwt", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=X" }, body });
      const settled = await Promise.race([
        readParams(req, new URL(req.url)).then(
          (p) => ({ ok: true as const, entries: p.entries() }),
          (e: unknown) => ({ ok: false as const, error: e }),
        ),
        new Promise<"hang">((resolve) => setTimeout(() => resolve("hang"), 2000)),
      ]);
      expect(settled, body).not.toBe("hang");
      if (settled !== "hang" && !settled.ok) expect(settled.error, body).toBeInstanceOf(InvalidRequest);
      if (settled !== "hang" && settled.ok) for (const [name, values] of settled.entries) for (const v of values) expect(typeof name === "string" && typeof v === "string", body).toBe(true);
    }
  });

  it("reads fields as UTF-8 whatever charset a part claims, and never yields a value that is not a string", async () => {
    const body = '--X\r\nContent-Disposition: form-data; name="g"\r\nContent-Type: text/plain; charset=base64\r\n\r\nhello\r\n--X\r\nContent-Disposition: form-data; name="h"\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\nv\r\n--X--\r\n';
    const req = new Request("http://localhost/ims/token/v3", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=X" }, body });
    expect((await readParams(req, new URL(req.url))).entries()).toEqual([["g", ["hello"]], ["h", ["v"]]]);
  });

  it("refuses a body repeating one parameter name more often than any call needs", async () => {
    const body = "a=1&".repeat(MAX_PARAM_VALUES + 1);
    const req = new Request("http://localhost/ims/token/v3", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    await expect(readParams(req, new URL(req.url))).rejects.toThrow(`Too many parameter values (at most ${MAX_PARAM_VALUES})`);
    const fine = new Request("http://localhost/ims/token/v3", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1&".repeat(50) });
    expect((await readParams(fine, new URL(fine.url))).all("a")).toHaveLength(50);
  });

  it("refuses JSON nested deeper than any call needs, ignoring brackets inside strings", () => {
    expect(() => checkJsonDepth("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJsonDepth("[".repeat(MAX_JSON_DEPTH + 1))).toThrow(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(() => checkJsonDepth(JSON.stringify({ a: "[".repeat(1000) + '\\"[' }))).not.toThrow();
  });

  it("answers a chunked 2 MB body through a Web Request (the route-handler door) with 400", async () => {
    const req = new Request("http://localhost/attask/api/v20.0/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: chunked(2 * MAX_BODY_BYTES),
      duplex: "half",
    } as RequestInit);
    await expect(readParams(req, new URL(req.url))).rejects.toThrow(new InvalidRequest("Request body is too large"));
  });
});

describe("normalizedPath", () => {
  it("resolves dot segments the way the URL parser does, so API prefixes match whatever the spelling", () => {
    for (const p of ["/x/../attask/api/login", "/./attask/api/login", "/%2e/attask/api/login", "/signin/../attask/api/login"]) {
      expect(normalizedPath(p)).toBe("/attask/api/login");
    }
    expect(normalizedPath("/attask/api/proj/search?$$LIMIT=1")).toBe("/attask/api/proj/search");
  });
});
