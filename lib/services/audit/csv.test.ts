import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../storage/types";
import { AUDIT_CSV_HEADER, auditEventCells, csvCell, csvRow } from "./csv";

describe("csvCell", () => {
  it("leaves plain text unquoted and writes null and undefined as empty", () => {
    expect(csvCell("user.create")).toBe("user.create");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("quotes commas, quotes and line breaks and doubles embedded quotes (RFC 4180)", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line1\nline2")).toBe('"line1\nline2"');
    expect(csvCell("cr\rlf")).toBe('"cr\rlf"');
  });

  it("defuses text that a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("leaves numbers alone, negative ones included, since they are not text a user typed", () => {
    expect(csvCell(-1)).toBe("-1");
  });

  it("writes objects as compact JSON, quoted because JSON has commas and quotes", () => {
    expect(csvCell({ username: "bob", changed: ["name", "email"] })).toBe('"{""username"":""bob"",""changed"":[""name"",""email""]}"');
  });
});

describe("csvRow", () => {
  it("joins cells with commas and ends with CRLF", () => {
    expect(csvRow(["a", null, "b,c"])).toBe('a,,"b,c"\r\n');
    expect(csvRow(AUDIT_CSV_HEADER)).toBe("id,time_utc,actor,actor_id,action,subject_type,subject_id,ip,user_agent,details\r\n");
  });
});

describe("auditEventCells", () => {
  it("lists an event in header order with an ISO UTC time", () => {
    const e: AuditEvent = {
      id: 7,
      at: Date.UTC(2026, 0, 15, 12, 30),
      actorId: "u1",
      actorName: "admin",
      action: "user.update",
      subjectType: "user",
      subjectId: "u2",
      ip: "10.0.0.1",
      userAgent: "Mozilla/5.0 (X11, Linux)",
      details: { changed: ["name"] },
    };
    const cells = auditEventCells(e);
    expect(cells).toHaveLength(AUDIT_CSV_HEADER.length);
    expect(csvRow(cells)).toBe('7,2026-01-15T12:30:00.000Z,admin,u1,user.update,user,u2,10.0.0.1,"Mozilla/5.0 (X11, Linux)","{""changed"":[""name""]}"\r\n');
  });
});
