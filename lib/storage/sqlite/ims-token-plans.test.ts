/**
 * No statement over IMS tokens scans the table: a credential can mint tokens all day, and revoking
 * it, removing a certificate, a password reset, the local-token cap, the console's usage counts and
 * the purge all run while holding the one write lock (or the gate every other read waits on).
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { IMS_TOKEN_SQL } from "./service-credentials";
import { openSqliteTestStore, type SqliteTestStore } from "./testing";

let t: SqliteTestStore;
beforeEach(async () => {
  t = await openSqliteTestStore();
});
afterEach(() => t.close());

it.each(Object.entries(IMS_TOKEN_SQL))("%s reads ims_tokens through an index", (_name, text) => {
  const plan = (t.sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...Array.from({ length: (text.match(/\?/g) ?? []).length }, () => "x")) as { detail: string }[]).map(
    (r) => r.detail,
  );
  const onTokens = plan.filter((d) => / ims_tokens\b| t\b/.test(d) && !d.includes("service_credentials"));
  expect(onTokens.length, plan.join(" | ")).toBeGreaterThan(0);
  for (const d of onTokens) expect(d, plan.join(" | ")).toMatch(/USING (COVERING )?INDEX ims_tokens_(user|expiry)|USING PRIMARY KEY/);
});
