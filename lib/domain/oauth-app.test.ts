import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailProblem, linkProblem, logoDataUrl, MAX_LOGO_BYTES, redirectUriProblem } from "./oauth-app";

describe("redirect URLs", () => {
  it("accepts https anywhere and http only on a loopback host, each kept exactly as typed", () => {
    for (const ok of [
      "https://app.example.com/callback",
      "https://app.example.com:8443/cb?x=1",
      "http://127.0.0.1:8080/callback",
      "http://[::1]/cb",
      "http://localhost:3000/cb",
    ]) {
      expect(redirectUriProblem(ok), ok).toBeNull();
    }
  });

  it("refuses what RFC 9700 rules out, each with its reason", () => {
    const cases: [string, RegExp][] = [
      ["/callback", /not an absolute URL/],
      ["app.example.com/cb", /not an absolute URL/],
      ["https://app.example.com/cb#frag", /fragment/],
      ["https://app.example.com/cb#", /fragment/],
      ["http://app.example.com/cb", /must use https/],
      ["http://127.0.0.2.nip.io/cb", /must use https/],
      ["https://*.example.com/cb", /wildcards|not an absolute URL/],
      ["https://app.example.com/*", /wildcards/],
      ["https://user:pw@app.example.com/cb", /user name or password/],
      ["javascript:alert(1)", /must use https, not javascript/],
      ["data:text/html,x", /must use https, not data/],
      ["https://app.example.com/c b", /spaces or control/],
      ["https://app.example.com/\ncb", /spaces or control/],
      ["", /empty/],
      [`https://a.example/${"x".repeat(2000)}`, /2,000/],
    ];
    for (const [uri, reason] of cases) expect(redirectUriProblem(uri), uri).toMatch(reason);
  });

  it("never throws, whatever the text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => typeof (redirectUriProblem(s) ?? "") === "string"));
  });
});

describe("links and emails", () => {
  it("treats an empty privacy policy URL as none and checks any other like a redirect URL", () => {
    expect(linkProblem("", "The privacy policy URL")).toBeNull();
    expect(linkProblem("https://example.com/privacy", "The privacy policy URL")).toBeNull();
    expect(linkProblem("ftp://example.com/privacy", "The privacy policy URL")).toBe("The privacy policy URL must use https, not ftp.");
  });

  it("accepts ordinary addresses and refuses what is not one", () => {
    expect(emailProblem("")).toBeNull();
    expect(emailProblem("dev@example.com")).toBeNull();
    for (const bad of ["dev", "dev@", "@example.com", "dev@example", "a b@example.com"]) expect(emailProblem(bad), bad).not.toBeNull();
  });
});

describe("logos", () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  it("types an image by its bytes and returns it as a data URL", () => {
    expect(logoDataUrl(png)).toEqual({ dataUrl: `data:image/png;base64,${Buffer.from(png).toString("base64")}` });
    expect(logoDataUrl(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ dataUrl: expect.stringMatching(/^data:image\/jpeg;base64,/) });
  });

  it("refuses SVG (it can carry script), unknown bytes, empty and oversized files", () => {
    expect(logoDataUrl(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toEqual({
      problem: "The logo must be a PNG, JPEG, GIF or WebP image.",
    });
    expect(logoDataUrl(new Uint8Array(0))).toEqual({ problem: "The logo file is empty." });
    const big = new Uint8Array(MAX_LOGO_BYTES + 1);
    big.set(png.subarray(0, 8));
    expect(logoDataUrl(big)).toEqual({ problem: expect.stringMatching(/at most 100 KiB/) });
  });
});
