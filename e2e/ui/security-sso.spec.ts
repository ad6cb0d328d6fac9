import { expect, test, type Page } from "@playwright/test";
import { ADMIN, API } from "../env";
import { createRestUser, restKeyAction, restLogin, restSession, signIn } from "./helpers";

const SSO = "/setup/system/sso";
const SECURITY = "/setup/system/security";
const save = (page: Page, form: string) => page.getByRole("form", { name: form }).getByRole("button", { name: "Save" }).click();
const saved = (page: Page, form: string) => expect(page.getByRole("form", { name: form }).getByRole("status")).toHaveText("Settings saved.");

test.describe("Setup > System > Single Sign-On (SSO)", () => {
  test.afterEach(async ({ page }) => {
    await page.goto(SSO);
    await page.getByLabel("Type").selectOption("none");
    await save(page, "Single sign-on settings");
    await saved(page, "Single sign-on settings");
  });

  test("SAML-only refuses non-admin password API calls until it is turned off again", async ({ page, request }) => {
    const user = await createRestUser(request, "sso-user");
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(SSO);
    const only = page.getByLabel("Only allow SAML 2.0 authentication");
    await expect(page.getByLabel("Type")).toHaveValue("none");
    await expect(only).toBeDisabled();
    await expect(page.getByText("administrators keep password access", { exact: false })).toBeVisible();

    await page.getByLabel("Type").selectOption({ label: "SAML 2.0" });
    await expect(only).toBeEnabled();
    await only.check();
    await save(page, "Single sign-on settings");
    await saved(page, "Single sign-on settings");

    const refused = await restLogin(request, user.username, user.password);
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.message).toContain("only allows SAML 2.0");
    expect((await restKeyAction(request, "generateApiKey", user.username, user.password)).status()).toBe(401);
    expect((await restLogin(request, ADMIN.username, ADMIN.password)).status()).toBe(200);

    await page.reload();
    await expect(page.getByLabel("Type")).toHaveValue("saml2");
    await expect(only).toBeChecked();

    await only.uncheck();
    await save(page, "Single sign-on settings");
    await saved(page, "Single sign-on settings");
    expect((await restLogin(request, user.username, user.password)).status()).toBe(200);

    await only.check();
    await page.getByLabel("Type").selectOption("none");
    await expect(only).toBeDisabled();
    await expect(only).not.toBeChecked();
  });
});

test.describe("Setup > System > Single Sign-On (SSO): ending password sessions", () => {
  test.afterEach(async ({ page }) => {
    await page.goto(SSO);
    await page.getByLabel("Type").selectOption("none");
    await save(page, "Single sign-on settings");
    await saved(page, "Single sign-on settings");
  });

  test("turning on SAML-only ends a non-admin's console and REST sessions, and keeps the admin's", async ({ browser, page, request }) => {
    const user = await createRestUser(request, "sso-session");
    const sessionID = await restSession(request, user.username, user.password);
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    await signIn(member, user.username, user.password);
    await member.goto("/account");
    await expect(member).toHaveURL(/\/account/);

    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(SSO);
    await page.getByLabel("Type").selectOption({ label: "SAML 2.0" });
    await page.getByLabel("Only allow SAML 2.0 authentication").check();
    await save(page, "Single sign-on settings");
    await saved(page, "Single sign-on settings");

    await member.goto("/account");
    await expect(member).toHaveURL(/\/signin/);
    const rest = await request.get(`${API}/proj/search`, { headers: { sessionID } });
    expect(rest.status()).toBe(401);
    await page.goto("/setup/system/sso");
    await expect(page.getByLabel("Only allow SAML 2.0 authentication")).toBeChecked();
    await memberContext.close();
  });
});

test.describe("Setup > System > Security", () => {
  test.afterEach(async ({ page }) => {
    await page.goto(SECURITY);
    await page.getByLabel("Force users to reset their password every").setChecked(false);
    await page.getByLabel("Lock an account after 5 failed sign-in attempts").setChecked(true);
    await page.getByLabel("Lockout duration").selectOption("10");
    await save(page, "Security settings");
    await saved(page, "Security settings");
  });

  test("the lockout duration applies to REST logins: 5 wrong passwords lock the account", async ({ page, request }) => {
    const user = await createRestUser(request, "lockout-user");
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(SECURITY);
    await expect(page.getByLabel("Lock an account after 5 failed sign-in attempts")).toBeChecked();
    await expect(page.getByLabel("Lockout duration")).toHaveValue("10");
    expect(await page.getByLabel("Lockout duration").locator("option").allTextContents()).toEqual(["10 minutes", "30 minutes", "1 hour", "8 hours", "24 hours"]);
    await page.getByLabel("Lockout duration").selectOption({ label: "1 hour" });
    await save(page, "Security settings");
    await saved(page, "Security settings");
    await page.reload();
    await expect(page.getByLabel("Lockout duration")).toHaveValue("60");

    for (let i = 0; i < 4; i++) expect((await restLogin(request, user.username, "wrong-password")).status()).toBe(401);
    const fifth = await restLogin(request, user.username, "wrong-password");
    expect((await fifth.json()).error.message).toContain("locked");
    const started = Date.now();
    const sixth = await restLogin(request, user.username, user.password);
    expect(sixth.status()).not.toBe(200);
    const message: string = (await sixth.json()).error.message;
    expect(message).toContain("locked");
    const until = Date.parse(message.match(/after (\S+Z)/)![1]!);
    expect(Math.abs(until - started - 60 * 60_000)).toBeLessThan(2 * 60_000);
  });

  test("with lockout off, wrong passwords never lock the account", async ({ page, request }) => {
    const user = await createRestUser(request, "no-lockout-user");
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(SECURITY);
    await page.getByLabel("Lock an account after 5 failed sign-in attempts").uncheck();
    await expect(page.getByLabel("Lockout duration")).toBeDisabled();
    await save(page, "Security settings");
    await saved(page, "Security settings");
    await page.reload();
    await expect(page.getByLabel("Lock an account after 5 failed sign-in attempts")).not.toBeChecked();

    for (let i = 0; i < 6; i++) expect((await restLogin(request, user.username, "wrong-password")).status()).toBe(401);
    expect((await restLogin(request, user.username, user.password)).status()).toBe(200);
  });

  test("forcing password resets every 30 days saves, persists and is turned off again", async ({ page }) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto(SECURITY);
    const box = page.getByLabel("Force users to reset their password every");
    const days = page.getByLabel("Password reset days");
    await expect(box).not.toBeChecked();
    await expect(days).toBeDisabled();
    await box.check();
    await expect(days).toBeEnabled();
    await expect(days).toHaveValue("30");
    expect(await days.locator("option").allTextContents()).toEqual(["30", "60", "90", "120", "180"]);
    await save(page, "Security settings");
    await saved(page, "Security settings");
    await page.reload();
    await expect(box).toBeChecked();
    await expect(days).toHaveValue("30");

    await page.goto("/setup/system/customer-info");
    await expect(page.getByLabel("Remove API key when a user's password expires")).toBeVisible();
    await expect(page.getByTestId("password-policy-off-hint")).toHaveCount(0);

    await page.goto(SECURITY);
    await box.uncheck();
    await save(page, "Security settings");
    await saved(page, "Security settings");
    await page.reload();
    await expect(box).not.toBeChecked();
  });
});
