import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { formatDateTime } from "../../components/api-keys/format";
import { addMonths } from "../../lib/domain/expiry";
import { ADMIN, API } from "../env";
import { apiKeyStatus, createRestUser, restKeyAction, restSession, signIn } from "./helpers";

const PAGE = "/setup/system/customer-info";

async function adminKeyAction(request: APIRequestContext, action: "generateApiKey" | "clearApiKey"): Promise<unknown> {
  const sessionID = await restSession(request, ADMIN.username, ADMIN.password);
  const r = await request.put(`${API}/user?action=${action}`, { headers: { sessionID } });
  expect(r.status()).toBe(200);
  return (await r.json()).data.result;
}

async function openAsAdmin(page: Page): Promise<void> {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { name: "API Key Settings" })).toBeVisible();
}

const ownKey = (page: Page) => page.getByTestId("own-api-key");
const settingsForm = (page: Page) => page.getByRole("form", { name: "API key expiry" });

test.describe("Customer Info > API Key Settings", () => {
  test.afterEach(async ({ page }) => {
    // Settings are shared by every test of the run: put the defaults back.
    await page.goto(PAGE);
    await page.getByLabel("API keys expire in", { exact: true }).selectOption("1m");
    await page.getByLabel("Remove API key when a user's password expires").setChecked(false);
    await settingsForm(page).getByRole("button", { name: "Save" }).click();
    await expect(settingsForm(page).getByRole("status")).toContainText("Settings saved");
  });

  test("generate, reset and remove the administrator's key, each checked on the REST API", async ({ page, request }) => {
    await adminKeyAction(request, "clearApiKey");
    await openAsAdmin(page);
    await expect(page.getByTestId("customer-id")).toHaveText(/^[0-9a-f]{32}$/);

    await ownKey(page).getByRole("button", { name: "Generate API Key" }).click();
    const first = (await page.getByTestId("new-api-key").textContent())!;
    await expect(page.getByRole("region", { name: "New API key" })).toContainText("will not be shown again");
    expect(await apiKeyStatus(first)).toBe(200);
    await expect(page.getByTestId("api-key-hint")).toHaveText(`kwk_…${first.slice(-4)}`);
    await page.reload();
    await expect(page.getByTestId("api-key-hint")).toBeVisible();
    expect(await page.content()).not.toContain(first);

    await ownKey(page).getByRole("button", { name: "Reset", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("reconfigured");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await apiKeyStatus(first)).toBe(200);

    await ownKey(page).getByRole("button", { name: "Reset", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Reset", exact: true }).click();
    await expect(page.getByTestId("new-api-key")).not.toHaveText(first);
    const second = (await page.getByTestId("new-api-key").textContent())!;
    expect(await apiKeyStatus(first)).toBe(401);
    expect(await apiKeyStatus(second)).toBe(200);

    await ownKey(page).getByRole("button", { name: "Remove", exact: true }).click();
    await expect(page.getByRole("dialog")).toContainText("reconfigured");
    await page.getByRole("dialog").getByRole("button", { name: "Remove", exact: true }).click();
    await expect(ownKey(page)).toContainText("You have no API key.");
    await expect(page.getByTestId("new-api-key")).toHaveCount(0);
    expect(await apiKeyStatus(second)).toBe(401);
  });

  test("the expiry dropdown changes the shown expiry, persists, and keeps the key working", async ({ page, request }) => {
    const key = (await adminKeyAction(request, "generateApiKey")) as string;
    await openAsAdmin(page);
    const select = page.getByLabel("API keys expire in", { exact: true });
    await expect(select).toHaveValue("1m");
    expect(await select.locator("option").allTextContents()).toEqual(["1 month", "2 months", "3 months", "6 months", "1 year", "Never"]);

    await select.selectOption({ label: "1 year" });
    const before = Date.now();
    await settingsForm(page).getByRole("button", { name: "Save" }).click();
    await expect(settingsForm(page).getByRole("status")).toContainText("Settings saved");
    const after = Date.now();
    const expected = [formatDateTime(addMonths(before, 12)), formatDateTime(addMonths(after, 12))];
    await expect(page.getByTestId("api-key-expires")).toHaveText(new RegExp(`^(${expected.join("|")})$`));

    await page.reload();
    await expect(select).toHaveValue("1y");
    await expect(page.getByTestId("api-key-expires")).toHaveText(new RegExp(`^(${expected.join("|")})$`));

    await select.selectOption({ label: "Never" });
    await settingsForm(page).getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("api-key-expires")).toHaveText("Never");
    await page.reload();
    await expect(select).toHaveValue("never");
    expect(await apiKeyStatus(key)).toBe(200);
  });

  test("the password-expiry removal checkbox saves and persists", async ({ page }) => {
    await openAsAdmin(page);
    const box = page.getByLabel("Remove API key when a user's password expires");
    await expect(box).not.toBeChecked();
    await expect(page.getByTestId("password-policy-off-hint")).toContainText("only once");
    await box.check();
    await settingsForm(page).getByRole("button", { name: "Save" }).click();
    await expect(settingsForm(page).getByRole("status")).toHaveText("Settings saved.");
    await page.reload();
    await expect(box).toBeChecked();
  });

  test("Remove all API keys invalidates every user's key after confirmation", async ({ page, request }) => {
    const other = await createRestUser(request, "keys-other");
    const generated = await restKeyAction(request, "generateApiKey", other.username, other.password);
    const otherKey = (await generated.json()).data.result as string;
    const adminKey = (await adminKeyAction(request, "generateApiKey")) as string;
    expect(await apiKeyStatus(otherKey)).toBe(200);
    await openAsAdmin(page);

    await page.getByRole("button", { name: "Remove all API keys" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(await apiKeyStatus(otherKey)).toBe(200);

    await page.getByRole("button", { name: "Remove all API keys" }).click();
    await expect(page.getByRole("dialog")).toContainText("reconfigured");
    await page.getByRole("dialog").getByRole("button", { name: "Remove All" }).click();
    const status = page.getByRole("status").filter({ hasText: /^Removed \d+ API keys?\.$/ });
    await expect(status).toBeVisible();
    expect(Number((await status.textContent())!.match(/\d+/)![0])).toBeGreaterThanOrEqual(2);
    expect(await apiKeyStatus(otherKey)).toBe(401);
    expect(await apiKeyStatus(adminKey)).toBe(401);
    await expect(ownKey(page)).toContainText("You have no API key.");
    const empty = await restKeyAction(request, "getApiKey", other.username, other.password);
    expect((await empty.json()).data.result).toBe("");
  });
});
