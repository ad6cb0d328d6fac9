import { expect, test, type Page } from "@playwright/test";
import { ADMIN, API, BASE_URL } from "../env";
import { createUserInConsole, restLoginStatus, searchUsers, signIn, uniqueName, userRow } from "./helpers";

const LAST_ADMIN = "This is the last active System Administrator; make another user an administrator first";

test.beforeEach(async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
});

async function openRowDialog(page: Page, username: string, button: string, dialogName: string) {
  await userRow(page, username).getByRole("button", { name: button, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: dialogName });
  await expect(dialog).toBeVisible();
  return dialog;
}

test("an administrator creates a user with a chosen password, finds it by search, and the password works for the REST API", async ({ page, request }) => {
  const username = uniqueName("alice");
  await createUserInConsole(page, { username, name: "Alice Example", email: `${username}@example.com`, password: "alice-password-1" });

  await searchUsers(page, username);
  await expect(page.getByTestId("users-total")).toHaveText("Showing 1–1 of 1 user");
  await expect(userRow(page, username).getByRole("cell")).toHaveText([username, "Alice Example", `${username}@example.com`, "User", "Active", "Never", /Edit/]);
  expect(await restLoginStatus(request, username, "alice-password-1")).toBe(200);

  await searchUsers(page, `${username}-nobody`);
  await expect(page.getByTestId("users-total")).toHaveText("No users");
  await expect(page.getByText("No users match this search.")).toBeVisible();
});

test("without a password the generated one is shown once, and it works", async ({ page, request }) => {
  const username = uniqueName("bob");
  const password = await createUserInConsole(page, { username, name: "Bob Generated" });
  expect(await restLoginStatus(request, username, password)).toBe(200);

  await page.reload();
  await expect(page.getByTestId("generated-password")).toHaveCount(0);
  await expect(page.getByText(password)).toHaveCount(0);
});

test("an invalid username is refused with the service's message and nothing is created", async ({ page }) => {
  const username = uniqueName("bad");
  await page.goto("/setup/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill(`${username} with spaces`);
  await form.getByLabel("Name", { exact: true }).fill("Bad Username");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("alert")).toContainText("Username may use letters, digits");
  // The form keeps what was typed so it can be corrected.
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Bad Username");
  await searchUsers(page, username);
  await expect(page.getByTestId("users-total")).toHaveText("No users");
});

test("edit changes username, name, email and access level", async ({ page, request }) => {
  const username = uniqueName("carol");
  const renamed = `${username}-renamed`;
  await createUserInConsole(page, { username, name: "Carol Before", password: "carol-password-1" });
  await searchUsers(page, username);

  const dialog = await openRowDialog(page, username, "Edit", `Edit user ${username}`);
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("Carol Before");
  await dialog.getByLabel("Username").fill(renamed);
  await dialog.getByLabel("Name", { exact: true }).fill("Carol After");
  await dialog.getByLabel("Email").fill("carol.after@example.com");
  await dialog.getByLabel("Access level").selectOption({ label: "System Administrator" });
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();

  await searchUsers(page, renamed);
  const row = userRow(page, renamed);
  await expect(row.getByRole("cell")).toHaveText([renamed, "Carol After", "carol.after@example.com", "System Administrator", "Active", "Never", /Edit/]);
  expect(await restLoginStatus(request, renamed, "carol-password-1")).toBe(200);
  expect(await restLoginStatus(request, username, "carol-password-1")).toBe(401);

  // Back to User, so the seeded administrator stays the only one for the other tests.
  const again = await openRowDialog(page, renamed, "Edit", `Edit user ${renamed}`);
  await again.getByLabel("Access level").selectOption({ label: "User" });
  await again.getByRole("button", { name: "Save changes" }).click();
  await expect(again).toBeHidden();
  await expect(row.getByRole("status")).toHaveText(`Saved changes to ${renamed}.`);
  await expect(row.getByRole("cell").nth(3)).toHaveText("User");
});

test("reset password sets a chosen password or a generated one, and ends the user's API sessions", async ({ page, request }) => {
  const username = uniqueName("dave");
  await createUserInConsole(page, { username, name: "Dave Reset", password: "dave-password-1" });
  const login = await request.post(`${API}/login`, { form: { username, password: "dave-password-1" } });
  const { sessionID } = (await login.json()).data;

  await searchUsers(page, username);
  const dialog = await openRowDialog(page, username, "Reset password", `Reset password of ${username}`);
  await dialog.getByLabel("New password").fill("dave-password-2");
  await dialog.getByRole("button", { name: "Reset password" }).click();
  await expect(dialog.getByRole("status")).toHaveText(`The password of ${username} was reset; their API sessions were ended.`);
  await expect(dialog.getByTestId("generated-password")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // Checked before any new login, whose session cookie the request context would keep.
  expect((await request.get(`${API}/proj/search`, { headers: { sessionID } })).status()).toBe(401);
  expect(await restLoginStatus(request, username, "dave-password-2")).toBe(200);
  expect(await restLoginStatus(request, username, "dave-password-1")).toBe(401);

  const second = await openRowDialog(page, username, "Reset password", `Reset password of ${username}`);
  await second.getByRole("button", { name: "Reset password" }).click();
  const generated = (await second.getByTestId("generated-password").textContent())?.trim() ?? "";
  expect(generated).toMatch(/^\S{12,}$/);
  expect(await restLoginStatus(request, username, generated)).toBe(200);
  expect(await restLoginStatus(request, username, "dave-password-2")).toBe(401);
});

test("deactivate asks for confirmation and blocks REST login; reactivate restores it", async ({ page, request }) => {
  const username = uniqueName("erin");
  await createUserInConsole(page, { username, name: "Erin Toggle", password: "erin-password-1" });
  await searchUsers(page, username);
  const row = userRow(page, username);

  // Cancelling the confirmation changes nothing.
  const cancel = await openRowDialog(page, username, "Deactivate", `Deactivate ${username}?`);
  await cancel.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByRole("cell").nth(4)).toHaveText("Active");

  const confirm = await openRowDialog(page, username, "Deactivate", `Deactivate ${username}?`);
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByRole("status")).toHaveText(`${username} was deactivated.`);
  await expect(row.getByRole("cell").nth(4)).toHaveText("Deactivated");
  const refused = await request.post(`${API}/login`, { form: { username, password: "erin-password-1" } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.message).toBe("This account is deactivated.");

  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row.getByRole("status")).toHaveText(`${username} was reactivated.`);
  await expect(row.getByRole("cell").nth(4)).toHaveText("Active");
  expect(await restLoginStatus(request, username, "erin-password-1")).toBe(200);
});

test("the only active administrator can be neither demoted nor deactivated", async ({ page }) => {
  await searchUsers(page, ADMIN.username);
  const row = userRow(page, ADMIN.username);

  const edit = await openRowDialog(page, ADMIN.username, "Edit", `Edit user ${ADMIN.username}`);
  await edit.getByLabel("Access level").selectOption({ label: "User" });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("alert")).toHaveText(LAST_ADMIN);
  await edit.getByRole("button", { name: "Cancel" }).click();

  const confirm = await openRowDialog(page, ADMIN.username, "Deactivate", `Deactivate ${ADMIN.username}?`);
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByRole("alert")).toHaveText(LAST_ADMIN);

  await page.reload();
  await expect(row.getByRole("cell").nth(3)).toHaveText("System Administrator");
  await expect(row.getByRole("cell").nth(4)).toHaveText("Active");
});

test("the list shows 50 users a page with the total, and pages keep the search", async ({ page, request }) => {
  const prefix = uniqueName("page");
  const login = await request.post(`${API}/login`, { form: ADMIN });
  const { sessionID } = (await login.json()).data;
  for (let i = 0; i < 52; i++) {
    const r = await request.post(`${API}/user`, { headers: { sessionID }, data: { username: `${prefix}-${String(i).padStart(2, "0")}`, name: `Paged ${i}` } });
    expect(r.status()).toBe(200);
  }
  const bodyRows = page.getByRole("table", { name: "Users" }).locator("tbody tr");

  await searchUsers(page, prefix);
  await expect(page.getByTestId("users-total")).toHaveText("Showing 1–50 of 52 users");
  await expect(bodyRows).toHaveCount(50);
  await expect(bodyRows.first().getByRole("cell").first()).toHaveText(`${prefix}-00`);
  await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page.getByTestId("users-total")).toHaveText("Showing 51–52 of 52 users");
  await expect(bodyRows.getByRole("cell").first()).toHaveText(`${prefix}-50`);
  await expect(bodyRows).toHaveCount(2);
  expect(new URL(page.url()).searchParams.get("q")).toBe(prefix);
  await expect(page.getByRole("link", { name: "Next" })).toHaveCount(0);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(page.getByTestId("users-total")).toHaveText("Showing 1–50 of 52 users");
});

test("a user who is not an administrator is sent to My account and cannot export the audit log", async ({ page, request }) => {
  const username = uniqueName("frank");
  await createUserInConsole(page, { username, name: "Frank Regular", password: "frank-password-1" });
  await page.context().clearCookies();

  await signIn(page, username, "frank-password-1");
  await expect(page).toHaveURL(/\/account(\?|$)/);
  await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/setup/users");
  await expect(page).toHaveURL(/\/account(\?|$)/);
  await page.goto("/audit-log");
  await expect(page).toHaveURL(/\/account(\?|$)/);

  const asUser = await page.context().request.get(`${BASE_URL}/audit-log/export`);
  expect(asUser.status()).toBe(403);
  expect(await asUser.text()).toContain("Only a System Administrator");
  const signedOut = await request.get(`${BASE_URL}/audit-log/export`);
  expect(signedOut.status()).toBe(401);
});
