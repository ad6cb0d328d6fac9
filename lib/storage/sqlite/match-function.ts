/** Registers the linear-time text matcher (lib/domain/text-match.ts) as `kw_match` on a connection. */
import type Database from "better-sqlite3";
import { MatcherCache, type TextMatchKind } from "../../domain/text-match";
import { MATCH_FUNCTION } from "./object-sql";

export function registerMatchFunction(sqlite: Database.Database): void {
  const matchers = new MatcherCache();
  sqlite.function(MATCH_FUNCTION, { deterministic: true }, (text: unknown, kind: unknown, ci: unknown, pattern: unknown) => {
    if (typeof text !== "string" && typeof text !== "number") return null;
    return matchers.get(kind as TextMatchKind, typeof pattern === "string" ? pattern : "", ci === 1)(String(text)) ? 1 : 0;
  });
}
