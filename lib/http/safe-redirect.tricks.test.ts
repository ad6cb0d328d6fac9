/**
 * Open-redirect tricks against sameOriginPath: whatever it returns is used as a Location header, so a
 * browser must resolve it to this instance. Dot segments, encoded dots, backslashes, controls and
 * foreign schemes must never produce a scheme-relative (`//host`) or foreign URL.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./safe-redirect";

const BASE = "https://keyward.example.com";

/** C0 controls, DEL and C1 controls. */
const hasControlCharacter = (s: string) => [...s].some((c) => c.charCodeAt(0) <= 0x1f || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

/** The rule every result must follow, whatever the input. */
function expectSafePath(input: string, result: string): void {
  const shown = JSON.stringify({ input, result });
  expect(typeof result, shown).toBe("string");
  if (result === "/") return;
  expect(result.startsWith("/"), `${shown} starts with "/"`).toBe(true);
  expect(result[1], `${shown}: second character`).not.toBe("/");
  expect(result[1], `${shown}: second character`).not.toBe("\\");
  expect(hasControlCharacter(result), `${shown} has no control characters`).toBe(false);
  expect(new URL(result, BASE).origin, shown).toBe(BASE);
}

const TRICKS: string[] = [
  "/.//evil.example/",
  "//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "\t//evil.example",
  "\t/\t/evil.example",
  " //evil.example",
  "/%09/evil.example",
  "/%5c/evil.example",
  "/%5C%5Cevil.example",
  "/%2f/evil.example",
  "%2f%2fevil.example",
  "https://evil.example",
  "https://evil.example/x",
  "http://keyward.example.com.evil.example/",
  "https://keyward.example.com.evil.example/",
  "https://keyward.example.com@evil.example/",
  "https://user@evil.example",
  "http://keyward.example.com/",
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,x",
  "vbscript:msgbox(1)",
  "///evil.example",
  "////evil.example",
  "/./../..//evil.example",
  "/..//evil.example",
  "/a/..//evil.example",
  "/.\\/evil.example",
  "/./\\evil.example",
  "/%2e/%2e%2e//evil.example",
  "https:evil.example",
  "https:/evil.example",
  "https:\\\\evil.example",
  "https://keyward.example.com//evil.example",
  "https://keyward.example.com/.//evil.example",
  "https://keyward.example.com/%2e%2e//evil.example",
  "//keyward.example.com//evil.example",
  "/ /evil",
  "/\u0000/evil.example",
  "/\u007f/evil.example",
  "/\u2028/evil.example",
];

describe("sameOriginPath against redirect tricks", () => {
  it.each(TRICKS)("never sends the browser off the instance for %j", (input) => {
    expectSafePath(input, sameOriginPath(input, BASE));
  });

  it.each(TRICKS)("never sends the browser off the instance for %j given as the first of repeated values", (input) => {
    expectSafePath(input, sameOriginPath([input, "/account"], BASE));
  });

  it.each([
    "/.//evil.example/",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./../..//evil.example",
    "/..//evil.example",
    "/a/..//evil.example",
    "https://keyward.example.com//evil.example",
    "https://keyward.example.com/.//evil.example",
  ])("turns the path-normalising trick %j into nothing that starts with //", (input) => {
    const result = sameOriginPath(input, BASE);
    expect(result.startsWith("//"), result).toBe(false);
    expect(result.startsWith("/\\"), result).toBe(false);
  });

  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "https://evil.example",
    "http://keyward.example.com.evil.example/",
    "https://keyward.example.com@evil.example/",
    "http://keyward.example.com/",
    "javascript:alert(1)",
    "data:text/html,x",
  ])("answers %j, which names another origin, with /", (input) => {
    expect(sameOriginPath(input, BASE)).toBe("/");
  });
});

describe("sameOriginPath keeps this instance's paths", () => {
  it.each([
    ["/setup/users?q=a#top", "/setup/users?q=a#top"],
    ["https://keyward.example.com/audit-log", "/audit-log"],
    ["/account", "/account"],
    ["/api-keys?user=a%2Fb", "/api-keys?user=a%2Fb"],
    ["/", "/"],
  ])("%j -> %j", (input, expected) => {
    expect(sameOriginPath(input, BASE)).toBe(expected);
  });

  it("takes the first of repeated values", () => {
    expect(sameOriginPath(["/account", "//evil.example"], BASE)).toBe("/account");
  });
});

describe("sameOriginPath properties", () => {
  const pieces = fc.constantFrom(
    "/",
    "\\",
    ".",
    "..",
    "%2e",
    "%2E",
    "%2f",
    "%2F",
    "%5c",
    "%5C",
    "%09",
    "\t",
    "\n",
    "\r",
    " ",
    "\u0000",
    "evil.example",
    "keyward.example.com",
    "@",
    ":",
    "?",
    "#",
    "//",
    "https:",
    "http:",
    "javascript:",
    "https://keyward.example.com",
    "https://evil.example",
  );
  const assembled = fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join(""));

  it("always answers a path of this instance for strings built from redirect pieces", () => {
    fc.assert(
      fc.property(assembled, (input) => {
        expectSafePath(input, sameOriginPath(input, BASE));
      }),
      { numRuns: 5000 },
    );
  });

  it("always answers a path of this instance for arbitrary strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string().map((s) => `/${s}`)), (input) => {
        expectSafePath(input, sameOriginPath(input, BASE));
      }),
      { numRuns: 3000 },
    );
  });

  it("always answers a path of this instance for arbitrary strings after a / or the instance's origin", () => {
    fc.assert(
      fc.property(fc.constantFrom("/", "/.", "/..", BASE, `${BASE}/`), assembled, fc.string(), (prefix, middle, tail) => {
        const input = prefix + middle + tail;
        expectSafePath(input, sameOriginPath(input, BASE));
      }),
      { numRuns: 3000 },
    );
  });
});
