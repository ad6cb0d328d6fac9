import { describe, expect, it } from "vitest";
import { jsonResponse, knownResponse } from "./json-response";

describe("jsonResponse", () => {
  const make = () => jsonResponse({ data: { ok: true } }, 201, { "content-type": "application/json", "x-a": "1" });

  it("behaves as a standard Response through the public API", async () => {
    const r = make();
    expect(r).toBeInstanceOf(Response);
    expect([r.status, r.ok, r.headers.get("x-a")]).toEqual([201, true, "1"]);
    expect(r.bodyUsed).toBe(false);
    expect(await r.json()).toEqual({ data: { ok: true } });
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow();
  });

  it("streams its body for consumers that read the stream", async () => {
    const r = make();
    const copy = new Response(r.body, r);
    expect(await copy.text()).toBe('{"data":{"ok":true}}');
    expect(copy.headers.get("x-a")).toBe("1");
  });

  it("clones, and offers its serialized form only while the body is untouched", async () => {
    const r = make();
    expect(knownResponse(r)).toEqual({ status: 201, headers: { "content-type": "application/json", "x-a": "1" }, text: '{"data":{"ok":true}}' });
    const c = r.clone();
    expect(await c.text()).toBe('{"data":{"ok":true}}');
    void r.body;
    expect(knownResponse(r)).toBeUndefined();
    expect(await r.text()).toBe('{"data":{"ok":true}}');
    expect(knownResponse(new Response("x"))).toBeUndefined();
  });
});
