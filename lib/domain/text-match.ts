/**
 * Text matching for the API's text filters (contains, starts/ends with, LIKE patterns), with a cost
 * that grows linearly with the text: patterns are compiled once into regular expressions without
 * quantifiers, and a LIKE pattern is matched segment by segment (leftmost placement of each `%`
 * segment is optimal), never by backtracking. SQLite's own LIKE backtracks on `%` and took seconds
 * per query on adversarial descriptions.
 *
 * `%` matches any run of characters, `_` exactly one; case-insensitive variants fold case the way
 * JavaScript regular expressions do (Unicode letters, not only ASCII).
 */

/** Longest filter text accepted for a pattern operator; longer is refused up front. */
export const MAX_PATTERN_LENGTH = 255;
/** Most `%` wildcards in one LIKE pattern. */
export const MAX_LIKE_WILDCARDS = 16;

export type TextMatchKind = "contains" | "startswith" | "endswith" | "equals" | "like";

export type TextMatcher = (text: string) => boolean;

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/** Regular-expression source for literal text in which `_` may stand for any one character. */
function source(literal: string, underscoreIsWildcard: boolean): string {
  const escaped = literal.replace(REGEX_SPECIAL, "\\$&");
  return underscoreIsWildcard ? escaped.replace(/_/g, "[\\s\\S]") : escaped;
}

/** Why a pattern is refused, or null when it is acceptable. */
export function patternProblem(kind: TextMatchKind, pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `takes at most ${MAX_PATTERN_LENGTH} characters`;
  if (kind === "like") {
    let wildcards = 0;
    for (const ch of pattern) if (ch === "%") wildcards++;
    if (wildcards > MAX_LIKE_WILDCARDS) return `takes at most ${MAX_LIKE_WILDCARDS} % wildcards`;
  }
  return null;
}

export function compileMatcher(kind: TextMatchKind, pattern: string, caseInsensitive: boolean): TextMatcher {
  const flags = caseInsensitive ? "i" : "";
  switch (kind) {
    case "contains": {
      const re = new RegExp(source(pattern, false), flags);
      return (text) => re.test(text);
    }
    case "startswith": {
      const re = new RegExp("^" + source(pattern, false), flags);
      return (text) => re.test(text);
    }
    case "endswith": {
      const re = new RegExp(source(pattern, false) + "$", flags);
      return (text) => text.length >= pattern.length && re.test(text.slice(text.length - pattern.length));
    }
    case "equals": {
      const re = new RegExp("^" + source(pattern, false) + "$", flags);
      return (text) => text.length === pattern.length && re.test(text);
    }
    case "like":
      return compileLike(pattern, flags);
  }
}

/**
 * A LIKE pattern as segments between `%`: the first is anchored at the start, the last at the end,
 * and each one between is placed at its leftmost occurrence after the previous one. Every segment
 * has a fixed length (`_` is one character), so the scan never goes back.
 */
function compileLike(pattern: string, flags: string): TextMatcher {
  const parts = pattern.split("%");
  const sticky = (s: string) => new RegExp(source(s, true), flags + "y");
  if (parts.length === 1) {
    const whole = sticky(pattern);
    return (text) => text.length === pattern.length && at(whole, text, 0);
  }
  const first = parts[0] ?? "";
  const last = parts.at(-1) ?? "";
  const head = first ? sticky(first) : null;
  const tail = last ? sticky(last) : null;
  const middle = parts
    .slice(1, -1)
    .filter((s) => s !== "")
    .map((s) => ({ re: new RegExp(source(s, true), flags + "g"), length: s.length }));
  const minLength = first.length + last.length + middle.reduce((n, m) => n + m.length, 0);
  return (text) => {
    if (text.length < minLength) return false;
    if (head && !at(head, text, 0)) return false;
    const end = text.length - last.length;
    if (tail && !at(tail, text, end)) return false;
    let pos = first.length;
    for (const m of middle) {
      m.re.lastIndex = pos;
      const found = m.re.exec(text);
      if (!found || found.index + m.length > end) return false;
      pos = found.index + m.length;
    }
    return true;
  };
}

function at(re: RegExp, text: string, index: number): boolean {
  re.lastIndex = index;
  return re.test(text);
}

/** Compiled matchers by pattern, so a query compiles its pattern once, not once per row. */
export class MatcherCache {
  private readonly map = new Map<string, TextMatcher>();
  constructor(private readonly max = 256) {}

  get(kind: TextMatchKind, pattern: string, caseInsensitive: boolean): TextMatcher {
    const key = `${kind}\u0000${caseInsensitive ? "i" : ""}\u0000${pattern}`;
    let m = this.map.get(key);
    if (!m) {
      if (this.map.size >= this.max) this.map.clear();
      m = compileMatcher(kind, pattern, caseInsensitive);
      this.map.set(key, m);
    }
    return m;
  }
}
