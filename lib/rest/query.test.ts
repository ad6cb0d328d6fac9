import { describe, expect, it } from "vitest";
import { InvalidRequest } from "../errors";
import { PROJ } from "../domain/objects";
import { addQueryString, Params } from "../http/params";
import { parseDate } from "../domain/field-values";
import { DEFAULT_LIMIT, parseSearch } from "./query";

const params = (q: string) => {
  const p = new Params();
  addQueryString(p, q);
  return p;
};

describe("parseSearch", () => {
  it("uses the default limit, first and fields", () => {
    const q = parseSearch(PROJ, params(""));
    expect(q.limit).toBe(DEFAULT_LIMIT);
    expect(q.first).toBe(0);
    expect(q.fields.map((f) => f.name)).toEqual(["ID", "name"]);
  });

  it("reads unencoded $$LIMIT and $$FIRST", () => {
    const q = parseSearch(PROJ, params("$$LIMIT=20&$$FIRST=40"));
    expect([q.limit, q.first]).toEqual([20, 40]);
  });

  it("refuses a limit above 2000, a negative first and a non-number", () => {
    expect(() => parseSearch(PROJ, params("$$LIMIT=2001"))).toThrow(InvalidRequest);
    expect(() => parseSearch(PROJ, params("$$FIRST=-1"))).toThrow(InvalidRequest);
    expect(() => parseSearch(PROJ, params("$$LIMIT=ten"))).toThrow(InvalidRequest);
  });

  it("builds filters with modifiers, ranges and in-lists", () => {
    const q = parseSearch(PROJ, params("name=al&name_Mod=cicontains&priority=1&priority_Mod=between&priority_Range=3&status=CUR&status=PLN&status_Mod=in"));
    expect(q.filters.map((f) => [f.field.name, f.op, f.values])).toEqual([
      ["name", "cicontains", ["al"]],
      ["priority", "between", [1, 3]],
      ["status", "in", ["CUR", "PLN"]],
    ]);
  });

  it("accepts valueless modifiers", () => {
    const q = parseSearch(PROJ, params("description_Mod=isnull"));
    expect(q.filters.map((f) => [f.field.name, f.op])).toEqual([["description", "isnull"]]);
  });

  it("orders sort keys by their number", () => {
    const q = parseSearch(PROJ, params("priority_2_Sort=desc&name_1_Sort=asc"));
    expect(q.sort.map((s) => [s.field.name, s.dir])).toEqual([
      ["name", "asc"],
      ["priority", "desc"],
    ]);
  });

  it("refuses unknown fields, unknown modifiers and wrongly typed values", () => {
    expect(() => parseSearch(PROJ, params("secret=1"))).toThrow(/Invalid field/);
    expect(() => parseSearch(PROJ, params("name=a&name_Mod=regex"))).toThrow(/Unknown modifier/);
    expect(() => parseSearch(PROJ, params("priority=high"))).toThrow(/expected integer/);
    expect(() => parseSearch(PROJ, params("priority=1&priority_Mod=contains"))).toThrow(/text fields/);
    expect(() => parseSearch(PROJ, params("fields=name,nope"))).toThrow(/Invalid field/);
    expect(() => parseSearch(PROJ, params("name_Sort=sideways"))).toThrow(/asc or desc/);
  });

  it("bounds the cost of text filters: long patterns, many wildcards and repeated fields are refused up front", () => {
    const long = "a".repeat(256);
    for (const mod of ["contains", "cicontains", "notcontains", "startswith", "ciendswith", "like", "cilike", "cinotlike", "cieq", "cine"]) {
      expect(() => parseSearch(PROJ, params(`description=${long}&description_Mod=${mod}`))).toThrow(
        new InvalidRequest(`description_Mod=${mod} takes at most 255 characters, so that one search cannot hold the server`),
      );
      expect(parseSearch(PROJ, params(`description=${long.slice(1)}&description_Mod=${mod}`)).filters).toHaveLength(1);
    }
    expect(() => parseSearch(PROJ, params(`name=${"%25a".repeat(17)}&name_Mod=cilike`))).toThrow(/at most 16 % wildcards/);
    expect(parseSearch(PROJ, params(`description=${long}`)).filters[0]!.op).toBe("eq");
    expect(() => parseSearch(PROJ, params("description=a&Description=b&DESCRIPTION=c"))).toThrow(
      new InvalidRequest("description is filtered more than once"),
    );
  });

  it("expands fields=* and ignores objCode", () => {
    const q = parseSearch(PROJ, params("fields=*,objCode"));
    expect(q.fields.length).toBe(PROJ.fields.length);
  });
});

describe("parseDate", () => {
  it("reads ISO, the vendor format and epoch milliseconds", () => {
    expect(parseDate("2024-01-02T03:04:05.000Z")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseDate("2024-01-02T03:04:05:000-0000")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseDate("1700000000000")).toBe(1700000000000);
    expect(parseDate("not a date")).toBeNull();
  });
});
