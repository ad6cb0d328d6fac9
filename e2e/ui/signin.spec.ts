import { expect, test } from "@playwright/test";
import { ADMIN } from "../env";
import { signIn } from "./helpers";

test("the seeded administrator signs in and lands on Customer Info", async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL(/\/setup\/system\/customer-info$/);
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" })).toBeVisible();
});

test("a wrong password shows an error and stays on the sign-in page", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("Invalid username or password");
  await expect(page).toHaveURL(/\/signin/);
});

test("console pages send visitors who are not signed in to sign-in", async ({ page }) => {
  await page.goto("/setup/users");
  await expect(page).toHaveURL(/\/signin/);
});
