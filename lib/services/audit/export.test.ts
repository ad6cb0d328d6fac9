import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { Forbidden } from "../../errors";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import type { ServiceContext } from "../context";
import { exportAuditCsv, exportFileName } from "./export";
import { listAuditPage } from "./list";

let rt: TestRuntime;
let admin: ServiceContext;
let firstId: number;

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const c of gen) chunks.push(c);
  return chunks;
}

/** The data lines of a CSV (no header); none of the test rows contain line breaks. */
const dataLines = (csv: string) => csv.split("\r\n").slice(1, -1);

beforeEach(async () => {
  rt = await createTestRuntime();
  const user = (await rt.store.users.byUsername(ADMIN.username))!;
  admin = { rt, actor: actorOf({ ...user, accessLevel: "admin" }, "console"), meta: {} };
  firstId = ((await rt.store.audit.list({ limit: 1 }))[0]?.id ?? 0) + 1;
  for (let i = 0; i < 250; i++) {
    await rt.store.audit.append({
      at: Date.UTC(2026, 0, 10 + (i % 5), 8),
      actorId: null,
      actorName: i % 2 ? "odd-actor" : "even-actor",
      action: i % 3 ? "api_key.create" : "user.update",
      details: { i },
    });
  }
});

afterEach(() => rt.cleanup());

describe("exportAuditCsv", () => {
  it("pages through every matching event, newest first, with one chunk per page after the header", async () => {
    const chunks = await collect(exportAuditCsv(admin, {}, { pageSize: 100 }));
    const csv = chunks.join("");
    expect(chunks[0]).toBe("id,time_utc,actor,actor_id,action,subject_type,subject_id,ip,user_agent,details\r\n");
    const ids = dataLines(csv).map((l) => Number(l.split(",")[0]));
    const seeded = ids.filter((id) => id >= firstId);
    expect(seeded).toHaveLength(250);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(chunks.length).toBe(1 + Math.ceil(ids.length / 100));
  });

  it("applies the filter to every page", async () => {
    const csv = (await collect(exportAuditCsv(admin, { action: "api_key.*", actor: "odd", from: Date.UTC(2026, 0, 11) }, { pageSize: 7 }))).join("");
    const lines = dataLines(csv);
    const expected = Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 3 !== 0 && i % 2 === 1 && i % 5 !== 0);
    expect(lines).toHaveLength(expected.length);
    for (const l of lines) expect(l).toMatch(/^\d+,2026-01-1[1-4]T08:00:00\.000Z,odd-actor,,api_key\.create,,,,,/);
  });

  it("stops at the row cap", async () => {
    const csv = (await collect(exportAuditCsv(admin, {}, { pageSize: 40, maxRows: 90 }))).join("");
    expect(dataLines(csv)).toHaveLength(90);
  });

  it("refuses a non-administrator before producing anything", () => {
    const user: ServiceContext = { ...admin, actor: { ...admin.actor!, accessLevel: "user" } };
    expect(() => exportAuditCsv(user, {})).toThrow(Forbidden);
  });

  it("names the file after the export time", () => {
    expect(exportFileName(Date.UTC(2026, 0, 15, 12, 3, 4))).toBe("keyward-audit-20260115-120304.csv");
  });
});

describe("listAuditPage", () => {
  it("walks the log with the keyset cursor without gaps or repeats", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    let pages = 0;
    do {
      const page = await listAuditPage(admin, { actor: "-actor" }, before, 100);
      seen.push(...page.events.map((e) => e.id));
      before = page.olderBefore;
      pages++;
    } while (before !== undefined);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  it("has no older page when the matches fit exactly", async () => {
    const page = await listAuditPage(admin, { actor: "-actor" }, undefined, 250);
    expect(page.events).toHaveLength(250);
    expect(page.olderBefore).toBeUndefined();
  });
});
