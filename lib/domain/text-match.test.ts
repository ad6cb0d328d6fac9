import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMatcher, MAX_LIKE_WILDCARDS, MAX_PATTERN_LENGTH, MatcherCache, patternProblem } from "./text-match";

/** LIKE by dynamic programming: slow, obviously right, for comparison on small inputs. */
function likeReference(text: string, pattern: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (p === "%") {
      let any = false;
      for (let i = 0; i <= text.length; i++) next[i] = any ||= row[i]!;
    } else {
      for (let i = 1; i <= text.length; i++) next[i] = row[i - 1]! && (p === "_" || p === text[i - 1]);
    }
    row = next;
  }
  return row[text.length]!;
}

const SPECIALS = ".*+?()[]{}|\\/^$";
const textOf = (chars: string, max: number) => fc.string({ unit: fc.constantFrom(...chars), maxLength: max });

describe("compileMatcher", () => {
  it("matches LIKE patterns exactly as the definition says", () => {
    fc.assert(
      fc.property(textOf("ab.", 12), textOf("ab.%_", 8), (text, pattern) => {
        expect(compileMatcher("like", pattern, false)(text)).toBe(likeReference(text, pattern));
      }),
      { numRuns: 3000 },
    );
  });

  it("folds case for the case-insensitive LIKE", () => {
    fc.assert(
      fc.property(textOf("aAbB", 10), textOf("aAbB%_", 8), (text, pattern) => {
        expect(compileMatcher("like", pattern, true)(text)).toBe(likeReference(text.toLowerCase(), pattern.toLowerCase()));
      }),
      { numRuns: 2000 },
    );
  });

  it("treats regular-expression characters as literal text", () => {
    fc.assert(
      fc.property(textOf("a" + SPECIALS, 10), textOf("a" + SPECIALS, 4), (text, needle) => {
        expect(compileMatcher("contains", needle, false)(text)).toBe(text.includes(needle));
        expect(compileMatcher("startswith", needle, false)(text)).toBe(text.startsWith(needle));
        expect(compileMatcher("endswith", needle, false)(text)).toBe(text.endsWith(needle));
        expect(compileMatcher("equals", needle, false)(text)).toBe(text === needle);
        expect(compileMatcher("like", needle, false)(text)).toBe(text === needle);
      }),
      { numRuns: 2000 },
    );
  });

  it("matches across line breaks and non-ASCII letters", () => {
    expect(compileMatcher("like", "a%b", false)("a\n\nb")).toBe(true);
    expect(compileMatcher("like", "a_b", false)("a\nb")).toBe(true);
    expect(compileMatcher("contains", "ÉTÉ", true)("un été chaud")).toBe(true);
    expect(compileMatcher("equals", "straße", true)("STRAßE")).toBe(true);
  });

  it("stays linear on adversarial text: 4,000 a's against the worst accepted patterns", () => {
    const text = "a".repeat(4000);
    const worst = ["%" + "a".repeat(MAX_PATTERN_LENGTH - 3) + "b%", "%a".repeat(MAX_LIKE_WILDCARDS) + "b", "%" + "a_".repeat(120) + "b%"];
    for (const p of worst) expect(compileMatcher("like", p, true)(text)).toBe(false);
    expect(compileMatcher("contains", "a".repeat(MAX_PATTERN_LENGTH - 1) + "b", true)(text)).toBe(false);
  });
});

describe("patternProblem", () => {
  it("refuses patterns longer than the cap and LIKE patterns with too many wildcards", () => {
    expect(patternProblem("contains", "x".repeat(MAX_PATTERN_LENGTH))).toBeNull();
    expect(patternProblem("contains", "x".repeat(MAX_PATTERN_LENGTH + 1))).toBe(`takes at most ${MAX_PATTERN_LENGTH} characters`);
    expect(patternProblem("like", "%a".repeat(MAX_LIKE_WILDCARDS))).toBeNull();
    expect(patternProblem("like", "%a".repeat(MAX_LIKE_WILDCARDS + 1))).toBe(`takes at most ${MAX_LIKE_WILDCARDS} % wildcards`);
    expect(patternProblem("contains", "%".repeat(100))).toBeNull();
  });
});

describe("MatcherCache", () => {
  it("compiles a pattern once and keeps case-sensitive and insensitive apart", () => {
    const cache = new MatcherCache(2);
    const m = cache.get("contains", "Ab", false);
    expect(cache.get("contains", "Ab", false)).toBe(m);
    expect(cache.get("contains", "Ab", true)("xaBx")).toBe(true);
    expect(m("xaBx")).toBe(false);
    cache.get("like", "a%", false); // past the cap: starts over
    expect(cache.get("contains", "Ab", false)).not.toBe(m);
  });
});
