import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./safe-redirect";

const BASE = "https://keyward.example.com";

describe("sameOriginPath", () => {
  it("keeps paths and absolute URLs of this instance", () => {
    expect(sameOriginPath("/setup/users?q=a#top", BASE)).toBe("/setup/users?q=a#top");
    expect(sameOriginPath("https://keyward.example.com/audit-log", BASE)).toBe("/audit-log");
  });
  it("refuses anything that leaves the instance", () => {
    for (const bad of ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/x", "javascript:alert(1)", "http://keyward.example.com/"]) {
      expect(sameOriginPath(bad, BASE), bad).toBe("/");
    }
  });
  it("takes the first of repeated values and defaults to /", () => {
    expect(sameOriginPath(["/account", "//evil"], BASE)).toBe("/account");
    expect(sameOriginPath(undefined, BASE)).toBe("/");
    expect(sameOriginPath("", BASE)).toBe("/");
  });
});

describe("clientIp", () => {
  it("uses the connection address unless a proxy is trusted, then the entry that proxy added", async () => {
    const { clientIp } = await import("./request");
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
    expect(clientIp(headers({ "x-forwarded-for": "6.6.6.6" }), false, "10.0.0.1")).toBe("10.0.0.1");
    expect(clientIp(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), true, "10.0.0.1")).toBe("203.0.113.9");
    expect(clientIp(headers({}), true, "10.0.0.1")).toBe("10.0.0.1");
  });
});
