/**
 * The multipart fast path answers exactly what undici's formData() answers, or steps aside (null):
 * on the bodies real clients write, and on any mutation of them. It never yields a field undici would
 * not, nor misses one it would.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSimpleMultipart } from "./multipart";

const BOUNDARY = "--------------------------515890814546601021194782";

async function undici(body: Buffer, boundary: string): Promise<[string, string][] | "error"> {
  try {
    const form = await new Request("http://localhost/", { method: "POST", headers: { "content-type": `multipart/form-data; boundary="${boundary}"` }, body: new Uint8Array(body) }).formData();
    return [...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `<file ${v.name}>`]);
  } catch {
    return "error";
  }
}

/** As the npm form-data package writes text fields. */
const formDataLayout = (fields: [string, string][], boundary = BOUNDARY) =>
  Buffer.from(fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`);

const name = fc.stringMatching(/^[A-Za-z0-9_.$:[\]-]{1,20}$/);
const value = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom("", "\r\n", "--", `\r\n--${BOUNDARY.slice(0, 10)}`, "a\r\n\r\nb", "\uFEFFbom", "é😀"));
const fields = fc.array(fc.tuple(name, value), { maxLength: 6 });

describe("the multipart fast path", () => {
  it("reads what an @adobe/jwt-auth request carries", async () => {
    const body = formDataLayout([
      ["client_id", "0123456789abcdef0123456789abcdef"],
      ["client_secret", "kwsc_abc"],
      ["jwt_token", "a.b.c"],
    ]);
    expect(readSimpleMultipart(body, BOUNDARY)).toEqual(await undici(body, BOUNDARY));
  });

  it("agrees with undici on bodies laid out as the form-data package and undici's FormData write them", async () => {
    await fc.assert(
      fc.asyncProperty(fields, async (f) => {
        const body = formDataLayout(f);
        expect(readSimpleMultipart(body, BOUNDARY)).toEqual(await undici(body, BOUNDARY));
        const form = new FormData();
        for (const [k, v] of f) form.append(k, v);
        const req = new Request("http://localhost/", { method: "POST", body: form });
        const bytes = Buffer.from(await req.clone().arrayBuffer());
        const boundary = /boundary=(.+)$/.exec(req.headers.get("content-type")!)![1]!;
        expect(readSimpleMultipart(bytes, boundary)).toEqual(await undici(bytes, boundary));
      }),
      { numRuns: 300 },
    );
  });

  it("on any mutation of such a body, either steps aside or answers exactly what undici answers", async () => {
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat({ max: 4 }),
      insert: fc.array(fc.constantFrom("-", "\r", "\n", '"', ":", ";", " ", "a", "Z", "%", "\\", "é", "\r\n", `--${BOUNDARY}`, 'filename="x"', "Content-Type: text/plain"), { maxLength: 3 }),
    });
    let stepped = 0;
    let agreed = 0;
    await fc.assert(
      fc.asyncProperty(fields, fc.array(edit, { minLength: 1, maxLength: 3 }), async (f, edits) => {
        let text = formDataLayout(f).toString("utf8");
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert.join("") + text.slice(at + e.remove);
        }
        const body = Buffer.from(text, "utf8");
        const fast = readSimpleMultipart(body, BOUNDARY);
        if (fast === null) {
          stepped++;
          return;
        }
        agreed++;
        expect(fast).toEqual(await undici(body, BOUNDARY));
      }),
      { numRuns: 1500 },
    );
    // Both branches were exercised.
    expect(stepped).toBeGreaterThan(0);
    expect(agreed).toBeGreaterThan(0);
  });

  it("steps aside for files, other headers, escaped or non-ASCII names, a preamble and bytes after the end", () => {
    const one = (part: string, tail = `--${BOUNDARY}--\r\n`, head = "") => Buffer.from(`${head}--${BOUNDARY}\r\n${part}\r\n${tail}`);
    for (const body of [
      one('Content-Disposition: form-data; name="f"; filename="x"\r\n\r\nabc'),
      one('Content-Disposition: form-data; name="f"\r\nContent-Type: text/plain\r\n\r\nabc'),
      one('Content-Disposition: form-data; name="a%22b"\r\n\r\nv'),
      one('Content-Disposition: form-data; name="é"\r\n\r\nv'),
      one('Content-Disposition: form-data; name=""\r\n\r\nv'),
      one('Content-Disposition: form-data; name="a"\r\n\r\nv', `--${BOUNDARY}--\r\nepilogue`),
      one('Content-Disposition: form-data; name="a"\r\n\r\nv', `--${BOUNDARY}--\r\n`, "preamble\r\n"),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nv`),
    ]) {
      expect(readSimpleMultipart(body, BOUNDARY), body.toString()).toBeNull();
    }
  });
});
