import { execFileSync } from "node:child_process";
import { createHash, createPublicKey, randomUUID, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { importPKCS8, SignJWT } from "jose";
import { NodeApi } from "workfront-api";
import { ADMIN, API, BASE_URL } from "../env";
import { createRestUser, signIn, uniqueName } from "./helpers";

const LIST = "/setup/system/oauth2-applications";
const APP_URL = /\/setup\/system\/oauth2-applications\/[0-9a-f]{32}$/;
const EXCHANGE = `${BASE_URL}/integrations/oauth2/api/v1/jwt/exchange`;
const LIMIT = 10;
/** A 1x1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** Apps this file created and has not deleted yet: removed at the end whatever happened. */
const created = new Set<string>();

let dir: string;
let certificatePath: string;
let certificatePrivateKey: string;

test.beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keyward-oauth-"));
  execFileSync(
    "/usr/bin/openssl",
    ["req", "-x509", "-sha256", "-nodes", "-newkey", "rsa:2048", "-keyout", "private.key", "-out", "certificate_pub.crt", "-subj", "/CN=keyward-e2e", "-days", "30"],
    { cwd: dir, stdio: "pipe" },
  );
  certificatePath = path.join(dir, "certificate_pub.crt");
  certificatePrivateKey = readFileSync(path.join(dir, "private.key"), "utf8");
});

test.afterAll(async ({ browser }) => {
  rmSync(dir, { recursive: true, force: true });
  if (created.size === 0) return;
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN.username, ADMIN.password);
    for (const clientId of [...created]) {
      const r = await page.goto(`${LIST}/${clientId}`);
      if (r?.status() === 404) continue;
      await deleteOpenApp(page);
    }
  } finally {
    await page.close();
  }
});

// --- The API side: sign, exchange, call. ---

/** SHA-256 of the SPKI DER as colon-separated uppercase hex, as the page shows fingerprints. */
function fingerprintOf(key: KeyObject): string {
  const der = key.export({ type: "spki", format: "der" });
  return (createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g) ?? []).join(":");
}

async function signJwt(privateKeyPem: string, iss: string, sub: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, "RS256");
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(iss)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
    .setJti(randomUUID())
    .sign(key);
}

async function exchange(clientId: string, clientSecret: string, jwt: string): Promise<{ status: number; cacheControl: string | null; body: any }> {
  const r = await fetch(EXCHANGE, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, jwt_token: jwt }),
  });
  return { status: r.status, cacheControl: r.headers.get("cache-control"), body: await r.json().catch(() => null) };
}

/** Signs a fresh JWT and exchanges it; the exchange must succeed. Returns the access token. */
async function accessToken(app: { clientId: string; customerId: string }, secret: string, privateKeyPem: string, sub: string): Promise<string> {
  const r = await exchange(app.clientId, secret, await signJwt(privateKeyPem, app.customerId, sub));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 });
  expect(r.cacheControl).toContain("no-store");
  return r.body.access_token as string;
}

/** `GET /proj/search` with `Authorization: Bearer <token>` (plain fetch: no cookies). */
async function bearerSearchStatus(token: string): Promise<number> {
  return (await fetch(`${API}/proj/search`, { headers: { authorization: `Bearer ${token}` } })).status;
}

/**
 * The real workfront-api client (its Node build exports NodeApi, the Api subclass for Node), with the
 * access token as its sessionID. Resolves with 200, or the refusal's status.
 */
async function clientSearchStatus(token: string): Promise<number> {
  const api = new NodeApi({ url: BASE_URL, version: "20.0" });
  api.setSessionID(token);
  try {
    const found = await api.search("PROJ", {});
    expect(Array.isArray(found)).toBe(true);
    return 200;
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
}

async function expectTokenWorks(token: string): Promise<void> {
  expect(await clientSearchStatus(token)).toBe(200);
  expect(await bearerSearchStatus(token)).toBe(200);
}

async function expectTokenDead(token: string): Promise<void> {
  await expect.poll(() => bearerSearchStatus(token), { timeout: 10_000 }).toBe(401);
  expect(await clientSearchStatus(token)).toBe(401);
}

// --- The console side. ---

async function openList(page: Page): Promise<void> {
  await page.goto(LIST);
  await expect(page.getByRole("heading", { level: 1, name: "OAuth2 Applications" })).toBeVisible();
}

async function appCount(page: Page): Promise<number> {
  const text = (await page.getByTestId("app-count").textContent()) ?? "";
  const m = /^(\d+) of 10 applications$/.exec(text.trim());
  expect(m, text).not.toBeNull();
  return Number(m![1]);
}

interface CreatedApp {
  clientId: string;
  name: string;
  /** The first client secret, read from the page that shows it once. */
  secret: string | null;
}

/** Create app integration from the list: the type's radio card, then its fields (`fill`). Lands on the new app's page. */
async function createApp(page: Page, type: RegExp, name: string, fill?: (dialog: Locator) => Promise<void>): Promise<CreatedApp> {
  await openList(page);
  await page.getByRole("button", { name: "Create app integration" }).click();
  const dialog = page.getByRole("dialog", { name: "Create app integration" });
  await dialog.getByRole("radio", { name: type }).check();
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  if (fill) await fill(dialog);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await page.waitForURL(APP_URL);
  const clientId = ((await page.getByTestId("client-id").textContent()) ?? "").trim();
  created.add(clientId);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("handed-notice").getByRole("status")).toContainText(`${name} was created.`);
  const shown = page.getByTestId("new-client-secret");
  const secret = (await shown.count()) ? ((await shown.textContent()) ?? "").trim() : null;
  return { clientId, name, secret };
}

async function createMachineApp(page: Page, name: string): Promise<CreatedApp & { secret: string; customerId: string }> {
  const app = await createApp(page, /^Machine to machine/, name);
  expect(app.secret).toMatch(/^\S{32,}$/);
  await expect(page.getByTestId("new-client-secret")).toContainText(app.secret!);
  await expect(page.getByRole("region", { name: "New client secret" })).toContainText("It will not be shown again.");
  const customerId = ((await page.getByTestId("customer-id").textContent()) ?? "").trim();
  expect(customerId).not.toBe("");
  return { ...app, secret: app.secret!, customerId };
}

const keyRow = (page: Page, fingerprint: string) => page.getByTestId("key-row").filter({ has: page.getByTestId("key-fingerprint").getByText(fingerprint, { exact: true }) });

async function uploadCertificate(page: Page): Promise<void> {
  await page.getByTestId("public-keys").getByRole("button", { name: "Add public key" }).click();
  const dialog = page.getByRole("dialog", { name: "Add public key" });
  await dialog.getByLabel("Certificate or public key file").setInputFiles(certificatePath);
  await dialog.getByRole("button", { name: "Add key" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("keys-result").getByRole("status")).toContainText("Public key added.");
}

/** Generate public/private key pair, then the one download of private.key. Returns its PEM. */
async function generatePair(page: Page): Promise<string> {
  await page.getByTestId("public-keys").getByRole("button", { name: "Generate public/private key pair" }).click();
  const offer = page.getByRole("region", { name: "New private key" });
  await expect(offer).toContainText("It is offered only this once.");
  const download = page.waitForEvent("download");
  await offer.getByRole("button", { name: "Download private.key" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("private.key");
  expect(file.url()).toMatch(/^blob:/);
  const pem = readFileSync(await file.path(), "utf8");
  expect(pem).toContain("-----BEGIN PRIVATE KEY-----");
  await expect(offer).toContainText("private.key was downloaded. It is not available here any more.");
  await expect(offer.getByRole("button", { name: "Download private.key" })).toHaveCount(0);
  return pem;
}

/** The `sub` a key's JWTs must carry, as its row shows it, after checking who added it. */
async function subOf(row: Locator): Promise<string> {
  await expect(row.getByTestId("key-sub-username")).toHaveText(ADMIN.username);
  const sub = ((await row.getByTestId("key-sub").textContent()) ?? "").trim();
  expect(sub).toMatch(/^\S+$/);
  return sub;
}

/** Deletes the app whose page is open, through the danger zone, and checks the list says so. */
async function deleteOpenApp(page: Page, name?: string): Promise<void> {
  const clientId = ((await page.getByTestId("client-id").textContent()) ?? "").trim();
  await page.getByRole("region", { name: "Delete application" }).getByRole("button", { name: "Delete application" }).click();
  const dialog = page.getByRole("dialog", name ? { name: `Delete ${name}?` } : undefined);
  await expect(dialog).toContainText("Every token it issued is revoked at once");
  await dialog.getByRole("button", { name: "Delete application" }).click();
  await page.waitForURL((url) => url.pathname === LIST);
  await expect(page.getByTestId("handed-notice").getByRole("status")).toContainText(name ? `${name} was deleted` : "was deleted");
  created.delete(clientId);
}

test.describe("Setup > System > OAuth2 Applications", () => {
  test("openssl's certificate_pub.crt: a machine-to-machine app exchanges a JWT, and the workfront-api client and a Bearer header search projects", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    await openList(page);
    await page.getByRole("button", { name: "Create app integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Create app integration" });
    await expect(dialog.getByRole("radio")).toHaveCount(3);
    await expect(dialog.getByRole("radio", { name: /^Web application/ })).toBeVisible();
    await expect(dialog.getByRole("radio", { name: /^Single-page web application/ })).toBeVisible();
    await dialog.getByRole("radio", { name: /^Machine to machine/ }).check();
    await expect(dialog.getByLabel("Token type in responses")).toHaveValue("Bearer");
    await expect(dialog.getByLabel("Redirect URLs")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();

    const app = await createMachineApp(page, uniqueName("JWT upload"));
    await expect(page.getByTestId("app-type")).toHaveText("Machine to machine (server authentication, JWT flow)");
    await expect(page.getByTestId("live-tokens")).toHaveText("0 access tokens");

    await uploadCertificate(page);
    const fingerprint = fingerprintOf(new X509Certificate(readFileSync(certificatePath)).publicKey);
    const row = keyRow(page, fingerprint);
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("key-source")).toHaveText("Certificate");
    await expect(row.getByTestId("key-expiry")).not.toContainText("Expired");
    const sub = await subOf(row);

    const token = await accessToken(app, app.secret, certificatePrivateKey, sub);
    await expectTokenWorks(token);
    await page.reload();
    await expect(page.getByTestId("live-tokens")).toHaveText("1 access token");
    // The first secret was shown once, on arrival.
    await expect(page.getByTestId("new-client-secret")).toHaveCount(0);

    // Removing the key: its tokens die at once.
    await row.getByRole("button", { name: /^Remove public key/ }).click();
    const confirm = page.getByRole("dialog", { name: "Remove this public key?" });
    await expect(confirm).toContainText("every access token minted with it stops working");
    await confirm.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(page.getByTestId("keys-result").getByRole("status")).toHaveText("The public key was removed; 1 token minted with it was revoked.");
    await expect(keyRow(page, fingerprint)).toHaveCount(0);
    await expectTokenDead(token);
    const refused = await exchange(app.clientId, app.secret, await signJwt(certificatePrivateKey, app.customerId, sub));
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error).toBe("invalid_grant");

    // The same key pasted as a PEM public key; a pasted private key is refused.
    await page.getByTestId("public-keys").getByRole("button", { name: "Add public key" }).click();
    const add = page.getByRole("dialog", { name: "Add public key" });
    await expect(add.getByLabel("Certificate or public key file")).toHaveAttribute("accept", ".crt,.cer,.pem,.pub");
    await add.getByLabel("Paste a PEM public key").fill(certificatePrivateKey);
    await add.getByRole("button", { name: "Add key" }).click();
    await expect(add.getByRole("alert")).toContainText("This file contains a private key.");
    const publicPem = new X509Certificate(readFileSync(certificatePath)).publicKey.export({ type: "spki", format: "pem" }).toString();
    await add.getByLabel("Paste a PEM public key").fill(publicPem);
    await add.getByRole("button", { name: "Add key" }).click();
    await expect(add).toBeHidden();
    await expect(keyRow(page, fingerprint).getByTestId("key-source")).toHaveText("Public key");
    await expect(keyRow(page, fingerprint).getByTestId("key-expiry")).toHaveText("—");
    expect(await bearerSearchStatus(await accessToken(app, app.secret, certificatePrivateKey, sub))).toBe(200);

    await deleteOpenApp(page, app.name);
  });

  test("a generated key pair: private.key downloads once, its JWT is exchanged; deleting the app revokes its tokens and its client", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const app = await createMachineApp(page, uniqueName("JWT generated"));
    const pem = await generatePair(page);
    const row = keyRow(page, fingerprintOf(createPublicKey(pem)));
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("key-source")).toHaveText("Generated key pair");
    await expect(row.getByTestId("key-expiry")).toHaveText("—");
    const sub = await subOf(row);

    const token = await accessToken(app, app.secret, pem, sub);
    expect(await bearerSearchStatus(token)).toBe(200);

    // Not offered again.
    await page.reload();
    await expect(page.getByRole("region", { name: "New private key" })).toHaveCount(0);
    await expect(page.getByText("-----BEGIN PRIVATE KEY-----")).toHaveCount(0);
    await expect(keyRow(page, fingerprintOf(createPublicKey(pem)))).toHaveCount(1);

    await deleteOpenApp(page, app.name);
    await expect(page.getByRole("table", { name: "OAuth2 applications" }).getByText(app.name)).toHaveCount(0);
    await expectTokenDead(token);
    const refused = await exchange(app.clientId, app.secret, await signJwt(pem, app.customerId, sub));
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    expect((await page.goto(`${LIST}/${app.clientId}`))?.status()).toBe(404);
  });

  test("client secrets: a new one is shown once, both work, deleting one refuses it and kills its tokens", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const app = await createMachineApp(page, uniqueName("Secrets"));
    const first = app.secret;
    const pem = await generatePair(page);
    const sub = await subOf(keyRow(page, fingerprintOf(createPublicKey(pem))));
    const section = page.getByTestId("client-secrets");
    await expect(section.getByTestId("secret-row")).toHaveCount(1);
    await expect(section.getByTestId("secret-hint")).toHaveText(`••••${first.slice(-4)}`);

    await section.getByRole("button", { name: "Add client secret" }).click();
    const shown = section.getByRole("region", { name: "New client secret" });
    await expect(shown).toContainText("Copy this client secret now. It will not be shown again.");
    await expect(shown.getByRole("button", { name: "Copy client secret" })).toBeVisible();
    const second = ((await shown.getByTestId("new-client-secret").textContent()) ?? "").trim();
    expect(second).toMatch(/^\S{32,}$/);
    expect(second).not.toBe(first);
    await expect(section.getByTestId("secrets-result").getByRole("status")).toHaveText(`Client secret ••••${second.slice(-4)} was added.`);
    await expect(section.getByTestId("secret-row")).toHaveCount(2);

    await page.reload();
    await expect(page.getByTestId("new-client-secret")).toHaveCount(0);
    await expect(page.getByText(second)).toHaveCount(0);

    // Notes, in a small dialog.
    const secondRow = section.getByTestId("secret-row").filter({ has: page.getByText(`••••${second.slice(-4)}`, { exact: true }) });
    await secondRow.getByRole("button", { name: /^Edit notes/ }).click();
    const notes = page.getByRole("dialog", { name: `Notes for secret ••••${second.slice(-4)}` });
    await notes.getByLabel("Notes", { exact: true }).fill("Build server, since the rotation");
    await notes.getByRole("button", { name: "Save notes" }).click();
    await expect(notes).toBeHidden();
    await expect(secondRow.getByTestId("secret-notes")).toHaveText("Build server, since the rotation");

    const withFirst = await accessToken(app, first, pem, sub);
    const withSecond = await accessToken(app, second, pem, sub);
    await expectTokenWorks(withFirst);

    const firstRow = section.getByTestId("secret-row").filter({ has: page.getByText(`••••${first.slice(-4)}`, { exact: true }) });
    await firstRow.getByRole("button", { name: /^Delete secret/ }).click();
    const confirm = page.getByRole("dialog", { name: `Delete client secret ••••${first.slice(-4)}?` });
    await expect(confirm).toContainText("every access token minted with it stops working");
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(section.getByTestId("secrets-result").getByRole("status")).toHaveText("The client secret was deleted; 1 token minted with it was revoked.");
    await expect(section.getByTestId("secret-row")).toHaveCount(1);

    const refused = await exchange(app.clientId, first, await signJwt(pem, app.customerId, sub));
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    await expectTokenDead(withFirst);
    expect(await bearerSearchStatus(withSecond)).toBe(200);
    await expectTokenWorks(await accessToken(app, second, pem, sub));

    await deleteOpenApp(page, app.name);
  });

  test("a web app: its settings in the create dialog and on its page, with refusals shown in the form", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    await openList(page);
    const name = uniqueName("Web app");

    await page.getByRole("button", { name: "Create app integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Create app integration" });
    await dialog.getByRole("radio", { name: /^Web application/ }).check();
    await expect(dialog.getByLabel("Token type in responses")).toHaveValue("sessionID");
    await dialog.getByLabel("Name", { exact: true }).fill(name);
    await dialog.getByLabel("Redirect URLs").fill("http://app.example.com/callback");
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await expect(dialog.getByRole("alert")).toContainText("A redirect URL must use https");

    const app = await createApp(page, /^Web application/, name, async (d) => {
      await d.getByLabel("Redirect URLs").fill("  https://app.example.com/callback \n\n http://127.0.0.1:8080/cb\n");
      await d.getByLabel("Developer name").fill("Example Ltd");
      await d.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
      await expect(d.getByTestId("logo-preview")).toBeVisible();
    });
    expect(app.secret).toMatch(/^\S{32,}$/);
    await expect(page.getByTestId("customer-id")).toHaveCount(0);
    await expect(page.getByTestId("public-keys")).toHaveCount(0);
    await expect(page.getByTestId("live-tokens")).toHaveText("0 access tokens, 0 refresh tokens");

    const form = page.getByRole("form", { name: "Application settings" });
    await expect(form.getByLabel("Redirect URLs")).toHaveValue("https://app.example.com/callback\nhttp://127.0.0.1:8080/cb");
    await expect(form.getByLabel("Developer name")).toHaveValue("Example Ltd");
    await expect(form.getByTestId("logo-preview")).toBeVisible();
    await expect(form.getByLabel("Rotate refresh tokens")).toBeChecked();

    await form.getByLabel("Developer email").fill("dev@example.com");
    await form.getByLabel("Privacy policy URL").fill("ftp://example.com/privacy");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("alert")).toContainText("The privacy policy URL must use https");

    await form.getByLabel("Privacy policy URL").fill("https://example.com/privacy");
    await form.getByLabel("Rotate refresh tokens").uncheck();
    await form.getByLabel("Refresh tokens expire after").selectOption({ label: "30 days" });
    await form.getByLabel("Refresh tokens expire when unused for").selectOption({ label: "7 days" });
    await form.getByLabel("Reuse interval (seconds)").fill("15");
    await form.getByLabel("Token type in responses").selectOption("Bearer");
    await form.getByLabel("Remove the logo").check();
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toHaveText(`Settings of ${name} saved.`);

    await page.reload();
    await expect(form.getByLabel("Privacy policy URL")).toHaveValue("https://example.com/privacy");
    await expect(form.getByLabel("Developer email")).toHaveValue("dev@example.com");
    await expect(form.getByLabel("Rotate refresh tokens")).not.toBeChecked();
    await expect(form.getByLabel("Refresh tokens expire after")).toHaveValue("30d");
    await expect(form.getByLabel("Refresh tokens expire when unused for")).toHaveValue("7d");
    await expect(form.getByLabel("Reuse interval (seconds)")).toHaveValue("15");
    await expect(form.getByLabel("Token type in responses")).toHaveValue("Bearer");
    await expect(form.getByTestId("logo-preview")).toHaveCount(0);

    await deleteOpenApp(page, name);
  });

  test("at 10 applications the create button is disabled and says why", async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    await openList(page);
    const before = await appCount(page);
    expect(before).toBeLessThan(LIMIT);
    await expect(page.getByRole("button", { name: "Create app integration" })).toBeEnabled();
    await expect(page.getByTestId("app-limit-reason")).toHaveCount(0);

    const mine: CreatedApp[] = [];
    for (let i = before; i < LIMIT; i++) mine.push(await createApp(page, /^Machine to machine/, uniqueName(`Limit ${i + 1}`)));

    await openList(page);
    await expect(page.getByTestId("app-count")).toHaveText("10 of 10 applications");
    const button = page.getByRole("button", { name: "Create app integration" });
    await expect(button).toBeDisabled();
    const reason = page.getByTestId("app-limit-reason");
    await expect(reason).toBeVisible();
    await expect(reason).toHaveText("You have 10 of 10 applications, the most allowed. Delete one before creating another.");
    await expect(button).toHaveAccessibleDescription(/You have 10 of 10 applications/);
    await expect(page.getByTestId("app-row")).toHaveCount(LIMIT);
    for (const app of mine) await expect(page.getByRole("link", { name: app.name })).toBeVisible();

    for (const app of mine) {
      await page.goto(`${LIST}/${app.clientId}`);
      await deleteOpenApp(page, app.name);
    }
    await expect(page.getByTestId("app-count")).toHaveText(`${before} of 10 applications`);
    await expect(page.getByRole("button", { name: "Create app integration" })).toBeEnabled();
  });

  test("an unknown client ID is a 404", async ({ page }) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    const r = await page.goto(`${LIST}/0123456789abcdef0123456789abcdef`);
    expect(r?.status()).toBe(404);
  });

  test("a user who is not an administrator is sent away from the pages", async ({ page, request }) => {
    const user = await createRestUser(request, "oauth-nonadmin");
    await signIn(page, user.username, user.password);
    await page.goto(LIST);
    await expect(page).toHaveURL(/\/account\?denied=1$/);
    await expect(page.getByText("That page is for System Administrators.")).toBeVisible();
    await page.goto(`${LIST}/0123456789abcdef0123456789abcdef`);
    await expect(page).toHaveURL(/\/account\?denied=1$/);
    await expect(page.getByRole("link", { name: "OAuth2 Applications" })).toHaveCount(0);
  });
});
