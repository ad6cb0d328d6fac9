import { expect, test } from "@playwright/test";
import { API } from "../env";
import { apiKeyStatus, createRestUser, restLogin, restSession, signIn } from "./helpers";

test("a non-admin manages their own key and password under My account", async ({ page, request }) => {
  const user = await createRestUser(request, "account-user", "first-password");
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/account$/);

  await page.goto("/setup/system/customer-info");
  await expect(page).toHaveURL(/\/account\?denied=1$/);
  await expect(page.getByRole("alert").filter({ hasText: "That page is for System Administrators." })).toBeVisible();

  await page.getByRole("button", { name: "Generate API Key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent())!;
  expect(await apiKeyStatus(key)).toBe(200);
  await expect(page.getByTestId("api-key-expires")).not.toHaveText("Never");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);

  const form = page.getByRole("form", { name: "Change password" });
  const fill = async (current: string, next: string, confirm: string) => {
    await form.getByLabel("Current password").fill(current);
    await form.getByLabel("New password", { exact: true }).fill(next);
    await form.getByLabel("Confirm new password").fill(confirm);
    await form.getByRole("button", { name: "Change password" }).click();
  };
  await fill(user.password, "second-password", "other-password");
  await expect(form.getByRole("alert")).toContainText("do not match");
  await fill("not-my-password", "second-password", "second-password");
  await expect(form.getByRole("alert")).toContainText("current password is not correct");

  const oldSession = await restSession(request, user.username, user.password);
  await fill(user.password, "second-password", "second-password");
  await expect(form.getByRole("status")).toContainText("Your password was changed");
  expect((await restLogin(request, user.username, "second-password")).status()).toBe(200);
  expect((await restLogin(request, user.username, user.password)).status()).toBe(401);
  expect((await request.get(`${API}/proj/search`, { headers: { sessionID: oldSession } })).status()).toBe(401);
  expect(await apiKeyStatus(key)).toBe(200);

  await page.getByRole("button", { name: "Remove", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByTestId("own-api-key")).toContainText("You have no API key.");
  expect(await apiKeyStatus(key)).toBe(401);
});
