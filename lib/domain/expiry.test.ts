import { describe, expect, it } from "vitest";
import { addMonths, apiKeyExpiresAt, isApiKeyExpired, isPasswordExpired, passwordExpiresAt } from "./expiry";

const t = (iso: string) => Date.parse(iso);

describe("addMonths", () => {
  it("adds calendar months and clamps to the end of shorter months", () => {
    expect(addMonths(t("2026-01-15T10:00:00Z"), 1)).toBe(t("2026-02-15T10:00:00Z"));
    expect(addMonths(t("2026-01-31T10:00:00Z"), 1)).toBe(t("2026-02-28T10:00:00Z"));
    expect(addMonths(t("2024-01-31T00:00:00Z"), 1)).toBe(t("2024-02-29T00:00:00Z"));
    expect(addMonths(t("2026-11-30T00:00:00Z"), 3)).toBe(t("2027-02-28T00:00:00Z"));
    expect(addMonths(t("2026-03-10T00:00:00Z"), 12)).toBe(t("2027-03-10T00:00:00Z"));
  });
});

describe("apiKeyExpiresAt", () => {
  it("counts from the key's creation when the setting changed earlier", () => {
    expect(apiKeyExpiresAt(t("2026-05-01T00:00:00Z"), "1m", t("2026-01-01T00:00:00Z"))).toBe(t("2026-06-01T00:00:00Z"));
  });
  it("counts from the setting change when that came later (the clock restarts)", () => {
    expect(apiKeyExpiresAt(t("2026-05-01T00:00:00Z"), "6m", t("2026-05-20T00:00:00Z"))).toBe(t("2026-11-20T00:00:00Z"));
  });
  it("never expires with 'never'", () => {
    expect(apiKeyExpiresAt(0, "never", 0)).toBeNull();
    expect(isApiKeyExpired(0, "never", 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
  it("is expired exactly at the expiry instant", () => {
    const created = t("2026-01-01T00:00:00Z");
    expect(isApiKeyExpired(created, "1y", 0, t("2026-12-31T23:59:59Z"))).toBe(false);
    expect(isApiKeyExpired(created, "1y", 0, t("2027-01-01T00:00:00Z"))).toBe(true);
  });
});

describe("password expiry", () => {
  it("is off without a policy and counts days from the last change", () => {
    expect(passwordExpiresAt(0, null)).toBeNull();
    expect(isPasswordExpired(0, null, 10 ** 13)).toBe(false);
    expect(passwordExpiresAt(0, 30)).toBe(30 * 86_400_000);
    expect(isPasswordExpired(0, 30, 30 * 86_400_000 - 1)).toBe(false);
    expect(isPasswordExpired(0, 30, 30 * 86_400_000)).toBe(true);
  });
});
