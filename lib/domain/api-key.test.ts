import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, apiKeyHint, looksLikeApiKey, newApiKey } from "./api-key";

describe("API key format", () => {
  it("is prefixed, URL-safe and carries 192 random bits", () => {
    const k = newApiKey();
    expect(k).toMatch(/^kwk_[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(k.slice(API_KEY_PREFIX.length), "base64url")).toHaveLength(24);
    expect(new Set(Array.from({ length: 1000 }, newApiKey)).size).toBe(1000);
  });
  it("recognises its own keys and nothing else", () => {
    expect(looksLikeApiKey(newApiKey())).toBe(true);
    for (const bad of ["", "kwk_", "kwk_" + "a".repeat(31), "xyz_" + "a".repeat(32), "kwk_" + "a".repeat(31) + "=", "kwk_" + "a".repeat(33)]) {
      expect(looksLikeApiKey(bad), bad).toBe(false);
    }
  });
  it("hints show only the prefix and the last four characters", () => {
    const k = newApiKey();
    expect(apiKeyHint(k)).toBe(`kwk_…${k.slice(-4)}`);
  });
});
