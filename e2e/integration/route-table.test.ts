/**
 * The two doors cannot drift: every entry of the one route table (lib/routes.ts) has its route file
 * under app/ exporting handlers for that very endpoint, and every route file under app/ that is not
 * part of the console is in the table.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVES, type Endpoint } from "../../lib/http/endpoint";
import { API_ROUTES, apiRouteFor } from "../../lib/routes";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Route files that belong to the console (served by Next only, behind the console guard). */
const CONSOLE_ROUTES = new Set(["app/(console)/audit-log/export/route.ts", "app/api/auth/[...nextauth]/route.ts"]);
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"] as const;

function routeFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(rel);
    return /^route\.(ts|tsx|js)$/.test(e.name) ? [rel] : [];
  });
}

describe("the API route table", () => {
  it.each(API_ROUTES.map((r) => [r.prefix, r] as const))("%s: its route file exports handlers of the same endpoint", async (_prefix, route) => {
    const mod = (await import(path.join(ROOT, route.routeFile))) as Record<string, unknown>;
    const served = METHODS.filter((m) => m in mod).map((m) => (mod[m] as { [SERVES]?: Endpoint })[SERVES]);
    expect(served.length).toBeGreaterThan(0);
    for (const s of served) expect(s).toBe(route.endpoint);
  });

  it("lists every API route file under app/", () => {
    const api = routeFiles("app").filter((f) => !CONSOLE_ROUTES.has(f));
    expect(api.sort()).toEqual(API_ROUTES.map((r) => r.routeFile).sort());
  });

  it("routes each prefix to its endpoint on the normalised path, and nothing else", () => {
    expect(apiRouteFor("/attask/api/v20.0/proj/search?x=1")?.prefix).toBe("/attask/");
    expect(apiRouteFor("/x/../attask/api/v20.0/login")?.prefix).toBe("/attask/");
    expect(apiRouteFor("/signin")).toBeUndefined();
    expect(apiRouteFor("/attaskx/")).toBeUndefined();
  });
});
