import { describe, expect, it } from "vitest";
import { auditQueryString, parseAuditQuery, parseDay } from "./filter";

const JAN_15 = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

describe("parseDay", () => {
  it("reads a calendar day as midnight UTC", () => {
    expect(parseDay("2026-01-15")).toBe(JAN_15);
    expect(parseDay("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });

  it("refuses days that do not exist and other formats", () => {
    for (const bad of ["2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "15/01/2026", "yesterday", "2026-01-15T00:00"]) {
      expect(parseDay(bad), bad).toBeNull();
    }
  });
});

describe("parseAuditQuery", () => {
  it("gives an empty filter for an empty query", () => {
    const q = parseAuditQuery({});
    expect(q).toEqual({ values: { action: "", actor: "", from: "", to: "" }, criteria: {}, before: undefined, errors: [] });
  });

  it("keeps an exact action and a trailing-star prefix as given, and trims text", () => {
    expect(parseAuditQuery({ action: " user.create " }).criteria).toEqual({ action: "user.create" });
    expect(parseAuditQuery(new URLSearchParams("action=api_key.*")).criteria).toEqual({ action: "api_key.*" });
    expect(parseAuditQuery({ action: "*" }).criteria).toEqual({});
  });

  it("refuses actions that are not in the audit vocabulary, and prefixes that match none", () => {
    for (const unknown of ["user.creat", "nothing.*", "users.create"]) {
      expect(parseAuditQuery({ action: unknown }).errors, unknown).toEqual([
        `No audit action is called "${unknown}" (for example user.create, or api_key.* for every API key action).`,
      ]);
    }
    expect(parseAuditQuery({ action: "user.*" }).errors).toEqual([]);
    expect(parseAuditQuery({ action: "auth.login_*" }).errors).toEqual([]);
  });

  it("refuses actions with wildcards in the middle or other characters", () => {
    for (const bad of ["user.*.x", "user%", "a b", "x".repeat(101)]) {
      expect(parseAuditQuery({ action: bad }).errors, bad).toHaveLength(1);
    }
  });

  it("passes the actor on as a substring and limits its length", () => {
    expect(parseAuditQuery({ actor: "admin" }).criteria).toEqual({ actor: "admin" });
    expect(parseAuditQuery({ actor: "a".repeat(101) }).errors[0]).toMatch(/at most 100/);
  });

  it("turns from/to days into an inclusive UTC range", () => {
    const q = parseAuditQuery({ from: "2026-01-15", to: "2026-01-16" });
    expect(q.errors).toEqual([]);
    expect(q.criteria).toEqual({ from: JAN_15, to: JAN_15 + 2 * DAY - 1 });
    const oneDay = parseAuditQuery({ from: "2026-01-15", to: "2026-01-15" }).criteria;
    expect(oneDay).toEqual({ from: JAN_15, to: JAN_15 + DAY - 1 });
  });

  it("explains bad dates and a reversed range instead of throwing", () => {
    expect(parseAuditQuery({ from: "2026-02-30" }).errors).toEqual(['From date "2026-02-30" is not a valid date (use YYYY-MM-DD).']);
    expect(parseAuditQuery({ to: "soon" }).errors).toEqual(['To date "soon" is not a valid date (use YYYY-MM-DD).']);
    expect(parseAuditQuery({ from: "2026-01-16", to: "2026-01-15" }).errors).toEqual(["From date is after To date."]);
  });

  it("reads the keyset cursor and refuses anything but a positive integer", () => {
    expect(parseAuditQuery({ before: "1234" }).before).toBe(1234);
    for (const bad of ["0", "-5", "1.5", "abc", "1e3", "99999999999999999"]) {
      const q = parseAuditQuery({ before: bad });
      expect(q.before, bad).toBeUndefined();
      expect(q.errors, bad).toHaveLength(1);
    }
  });

  it("uses the first value when a parameter repeats", () => {
    expect(parseAuditQuery({ actor: ["first", "second"] }).values.actor).toBe("first");
  });
});

describe("auditQueryString", () => {
  it("leaves out empty fields and adds the cursor", () => {
    expect(auditQueryString({ action: "user.*", actor: "", from: "2026-01-15", to: "" }, 42)).toBe("?action=user.*&from=2026-01-15&before=42");
    expect(auditQueryString({ action: "", actor: "", from: "", to: "" })).toBe("");
  });

  it("round-trips through parseAuditQuery", () => {
    const values = { action: "api_key.*", actor: "a&b=c", from: "2026-01-01", to: "2026-01-31" };
    const again = parseAuditQuery(new URLSearchParams(auditQueryString(values, 7).slice(1)));
    expect(again.values).toEqual(values);
    expect(again.before).toBe(7);
  });
});
