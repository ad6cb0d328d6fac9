import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_NAMES, describeAuditAction, isAuditAction, matchesSomeAuditAction } from "./audit-actions";

describe("the audit vocabulary", () => {
  it("names every action area.verb in lower case, each described", () => {
    for (const a of AUDIT_ACTION_NAMES) {
      expect(a).toMatch(/^[a-z][a-z0-9_]*\.[a-z_]+$/);
      expect(describeAuditAction(a)).not.toBe("");
    }
  });

  it("knows its own actions only, never inherited property names", () => {
    expect(isAuditAction("user.create")).toBe(true);
    for (const name of ["constructor", "toString", "__proto__", "user.creat", ""]) expect(isAuditAction(name)).toBe(false);
    expect(describeAuditAction("constructor")).toBe("");
  });

  it("matches exact actions and prefixes ending in * that some action starts with", () => {
    expect(matchesSomeAuditAction("*")).toBe(true);
    expect(matchesSomeAuditAction("api_key.*")).toBe(true);
    expect(matchesSomeAuditAction("auth.login_*")).toBe(true);
    expect(matchesSomeAuditAction("nothing.*")).toBe(false);
    expect(matchesSomeAuditAction("user.create")).toBe(true);
    expect(matchesSomeAuditAction("user.creat")).toBe(false);
  });
});
