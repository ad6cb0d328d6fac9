import { expect, test } from "@playwright/test";
import { ADMIN, API, DB_PATH } from "../env";
import { createRestUser, searchUsers, signIn, userRow } from "./helpers";

test("the seeded administrator signs in and lands on Customer Info", async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page).toHaveURL(/\/setup\/system\/customer-info$/);
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" })).toBeVisible();
});

test("the console session cookie is httpOnly and SameSite", async ({ page, context }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const cookie = (await context.cookies()).find((c) => c.name.includes("next-auth.session-token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
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

test.describe("password rules at console sign-in", () => {
  // Time cannot be moved on a running server, so the test ages the password in the database itself.
  const DAY = 86_400_000;
  let db: import("better-sqlite3").Database;
  test.beforeAll(async () => {
    const Database = (await import("better-sqlite3")).default;
    db = new Database(DB_PATH);
  });
  test.afterAll(() => {
    db.prepare("UPDATE instance_settings SET password_reset_days = NULL").run();
    db.close();
  });

  test("a user whose password expired must choose a new one, which then works on the API", async ({ page, request }) => {
    const user = await createRestUser(request, "expired", "old-password-1");
    db.prepare("UPDATE instance_settings SET password_reset_days = 30").run();
    db.prepare("UPDATE users SET password_changed_at = ? WHERE username = ?").run(Date.now() - 31 * DAY, user.username);

    await page.goto("/signin");
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    const form = page.getByRole("form", { name: "Sign in" });
    await expect(form.getByRole("alert")).toContainText("Your password has expired");
    await page.getByLabel("New password", { exact: true }).fill("new-password-22");
    await page.getByLabel("Confirm new password").fill("new-password-22");
    await page.getByRole("button", { name: "Change password and sign in" }).click();
    await expect(page.getByTestId("signed-in-as")).toBeVisible();
    await expect(page).toHaveURL(/\/account$/);
    expect((await request.post(`${API}/login`, { form: { username: user.username, password: "new-password-22" } })).status()).toBe(200);
    expect((await request.post(`${API}/login`, { form: { username: user.username, password: user.password } })).status()).toBe(401);
  });

  test("a locked account gets a clear message at console sign-in", async ({ page, request }) => {
    const user = await createRestUser(request, "lockedout", "right-password-1");
    for (let i = 0; i < 5; i++) await request.post(`${API}/login`, { form: { username: user.username, password: "wrong-password" } });
    await page.goto("/signin");
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("locked");
    await expect(page).toHaveURL(/\/signin/);
  });
});

test("a password reset by an administrator ends the user's console session", async ({ page, browser, request }) => {
  const user = await createRestUser(request, "resetme", "first-password-1");
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/account$/);

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, ADMIN.username, ADMIN.password);
  await searchUsers(adminPage, user.username);
  await userRow(adminPage, user.username).getByRole("button", { name: "Reset password", exact: true }).click();
  const dialog = adminPage.getByRole("dialog", { name: `Reset password of ${user.username}` });
  await dialog.getByLabel("New password").fill("second-password-2");
  await dialog.getByRole("button", { name: "Reset password" }).click();
  await expect(dialog.getByRole("status")).toContainText("was reset");
  await adminContext.close();

  await page.reload();
  await expect(page).toHaveURL(/\/signin/);
});
