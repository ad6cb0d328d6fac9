import { createPrivateKey, randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { SignJWT } from "jose";
import { ADMIN, API, BASE_URL } from "../env";
import { createRestUser, searchUsers, signIn, uniqueName, userRow } from "./helpers";

const PAGE = "/developer-console";
const EXCHANGE = `${BASE_URL}/ims/exchange/jwt`;
const TOKEN_V3 = `${BASE_URL}/ims/token/v3`;
const SCOPE = "ent_keyward_api";

interface Bundle {
  ok: true;
  integration: {
    imsEndpoint: string;
    metascopes: string;
    technicalAccount: { clientId: string; clientSecret: string };
    email: string;
    id: string;
    org: string;
    privateKey?: string;
    publicKey?: string;
  };
  statusCode: 200;
}

// --- The API side: sign, exchange, call. ---

/** The vendor's JWT for a service credential, signed with the bundle's PKCS #1 private key. */
async function signAssertion(bundle: Bundle, privateKeyPem = bundle.integration.privateKey!): Promise<string> {
  const { clientId } = bundle.integration.technicalAccount;
  return new SignJWT({ [`${BASE_URL}/s/${SCOPE}`]: true })
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(bundle.integration.org)
    .setSubject(bundle.integration.id)
    .setAudience(`${BASE_URL}/c/${clientId}`)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
    .setJti(randomUUID())
    .sign(createPrivateKey(privateKeyPem));
}

/** POST /ims/exchange/jwt as multipart form data, as the vendor's examples send it. */
async function exchange(bundle: Bundle, privateKeyPem?: string): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append("client_id", bundle.integration.technicalAccount.clientId);
  form.append("client_secret", bundle.integration.technicalAccount.clientSecret);
  form.append("jwt_token", await signAssertion(bundle, privateKeyPem));
  const r = await fetch(EXCHANGE, { method: "POST", body: form });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** Exchanges a fresh JWT; the exchange must succeed. Returns the access token. */
async function jwtToken(bundle: Bundle, privateKeyPem?: string): Promise<string> {
  const r = await exchange(bundle, privateKeyPem);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body).toEqual({ token_type: "bearer", access_token: expect.any(String), expires_in: 86_400_000 });
  return r.body.access_token as string;
}

/** POST /ims/token/v3 (OAuth Server-to-Server), urlencoded. */
async function tokenV3(bundle: Bundle): Promise<{ status: number; body: any }> {
  const r = await fetch(TOKEN_V3, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: bundle.integration.technicalAccount.clientId,
      client_secret: bundle.integration.technicalAccount.clientSecret,
      scope: SCOPE,
    }),
  });
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** `GET /project/search` with `Authorization: Bearer <token>` (plain fetch: no cookies). */
async function searchStatus(token: string): Promise<number> {
  return (await fetch(`${API}/project/search`, { headers: { authorization: `Bearer ${token}` } })).status;
}

async function expectTokenDead(token: string): Promise<void> {
  await expect.poll(() => searchStatus(token), { timeout: 10_000 }).toBe(401);
}

// --- The console side. ---

async function openConsole(page: Page): Promise<void> {
  await page.goto(PAGE);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
}

function expectBundleShape(bundle: unknown, type: "jwt" | "oauth_server_to_server" = "jwt"): asserts bundle is Bundle {
  expect(bundle).toEqual({
    ok: true,
    integration: {
      imsEndpoint: new URL(BASE_URL).host,
      metascopes: SCOPE,
      technicalAccount: { clientId: expect.stringMatching(/^[0-9a-f]{32}$/), clientSecret: expect.stringMatching(/^\S{32,}$/) },
      email: expect.stringMatching(/@techacct\.keyward$/),
      id: expect.stringMatching(/^[0-9A-F]{24}@techacct\.keyward$/),
      org: expect.stringMatching(/^[0-9A-Z]+@KeywardOrg$/),
      ...(type === "jwt"
        ? { privateKey: expect.stringContaining("-----BEGIN RSA PRIVATE KEY-----"), publicKey: expect.stringContaining("-----BEGIN CERTIFICATE-----") }
        : {}),
    },
    statusCode: 200,
  });
}

/** The bundle a region shows, parsed from its <pre>. */
async function shownBundle(region: Locator): Promise<Bundle> {
  await expect(region).toContainText("It is shown only this once.");
  const bundle: unknown = JSON.parse((await region.getByTestId("bundle-json").textContent()) ?? "");
  expectBundleShape(bundle);
  return bundle;
}

/** Get Service Credentials with the defaults (or the type given); returns the bundle the page shows once. */
async function getServiceCredentials(page: Page, name: string, type?: RegExp): Promise<{ bundle: Bundle; region: Locator }> {
  await openConsole(page);
  const form = page.getByRole("form", { name: "Get Service Credentials" });
  await form.getByLabel("Credential name").fill(name);
  if (type) await form.getByRole("radio", { name: type }).check();
  await form.getByRole("button", { name: "Get Service Credentials" }).click();
  const region = page.getByRole("region", { name: "New service credential" });
  await expect(page.getByTestId("create-result").getByRole("status")).toContainText(`Service credential ${name} was created.`);
  const bundle: unknown = JSON.parse((await region.getByTestId("bundle-json").textContent()) ?? "");
  expectBundleShape(bundle, type ? "oauth_server_to_server" : "jwt");
  return { bundle, region };
}

const credentialRow = (page: Page, clientId: string) => page.locator(`[data-testid="credential-row"][data-client-id="${clientId}"]`);
const certificateRows = (page: Page, clientId: string) => page.locator(`[data-testid="credential-certificates"][data-client-id="${clientId}"]`).getByTestId("certificate-row");

/** The list's fingerprint of a bundle's certificate: SHA-256 of its DER, lowercase hex. */
const fingerprintOf = (bundle: Bundle) => new X509Certificate(bundle.integration.publicKey!).fingerprint256.replace(/:/g, "").toLowerCase();

/** Clicks a row's button and confirms its dialog. */
async function confirmRowAction(page: Page, clientId: string, button: string, dialogTitle: string, confirm: string, says?: string): Promise<void> {
  await credentialRow(page, clientId).getByRole("button", { name: button, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: dialogTitle });
  if (says) await expect(dialog).toContainText(says);
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
}

const credentialsResult = (page: Page) => page.getByTestId("credentials-result").getByRole("status");

/** Get Local Development Token; returns the token read from the JSON the page shows. */
async function getLocalToken(page: Page): Promise<string> {
  const section = page.getByRole("region", { name: "Get Local Development Token" });
  await section.getByRole("button", { name: "Get Local Development Token" }).click();
  const shown = section.getByRole("region", { name: "Local development token" });
  await expect(shown).toContainText("It is shown only this once.");
  await expect(shown.getByRole("button", { name: "Copy access token" })).toBeVisible();
  await expect(shown.getByTestId("local-token-expires")).toHaveText(/^\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} UTC$/);
  const json = JSON.parse((await shown.getByTestId("local-token-json").textContent()) ?? "");
  expect(Object.keys(json)).toEqual(["ok", "statusCode", "accessToken"]);
  expect(json).toEqual({ ok: true, statusCode: 200, accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) });
  return json.accessToken as string;
}

async function revokeLocalTokens(page: Page, expected: string | RegExp): Promise<void> {
  const section = page.getByRole("region", { name: "Get Local Development Token" });
  await section.getByRole("button", { name: "Revoke my local development tokens" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke your local development tokens?" });
  await dialog.getByRole("button", { name: "Revoke tokens" }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByTestId("local-token-result").getByRole("status")).toHaveText(expected);
  await expect(section.getByTestId("local-token-count")).toHaveText("You have 0 live local development tokens.");
}

/** A new browser context signed in as someone else. */
async function signedInPage(browser: Browser, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await signIn(page, username, password);
  return page;
}

test.describe("Developer Console > Integrations", () => {
  test("Get Service Credentials: the bundle is shown once and downloads as the same JSON, whose JWT is exchanged for a token that searches projects", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    await openConsole(page);
    const form = page.getByRole("form", { name: "Get Service Credentials" });
    await expect(form.getByLabel("Access level of the technical account")).toHaveValue("user");
    await expect(form.getByRole("radio", { name: /^JWT service credential/ })).toBeChecked();
    await expect(form.getByRole("radio", { name: /^OAuth Server-to-Server/ })).not.toBeChecked();
    await expect(form.getByRole("checkbox", { name: /ent_keyward_api\b/ })).toBeChecked();
    await expect(form.getByRole("checkbox", { name: /ent_keyward_readonly_api/ })).not.toBeChecked();

    // Refusals come back as form errors.
    await form.getByRole("checkbox", { name: /ent_keyward_api\b/ }).uncheck();
    await form.getByLabel("Credential name").fill(uniqueName("No scopes"));
    await form.getByRole("button", { name: "Get Service Credentials" }).click();
    await expect(page.getByTestId("create-result").getByRole("alert")).toHaveText("Choose at least one metascope.");

    const name = uniqueName("Nightly export");
    const { bundle, region } = await getServiceCredentials(page, name);
    await expect(region).toContainText("Keyward does not keep the private key");
    const { clientId } = bundle.integration.technicalAccount;

    const download = page.waitForEvent("download");
    await region.getByRole("button", { name: "Download" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`keyward-service-credential-${clientId}.json`);
    expect(file.url()).toMatch(/^blob:/);
    const saved: unknown = JSON.parse(readFileSync(await file.path(), "utf8"));
    expect(saved).toEqual(bundle);
    expectBundleShape(saved);
    await expect(region.getByRole("button", { name: "Copy credential JSON" })).toBeVisible();

    // The list: one row, with its technical account and no secret.
    const row = credentialRow(page, clientId);
    await expect(row.getByTestId("credential-name")).toHaveText(name);
    await expect(row.getByTestId("technical-account-id")).toHaveText(bundle.integration.id);
    await expect(row.getByTestId("technical-account-email")).toHaveText(bundle.integration.email);
    await expect(row.getByTestId("credential-type")).toHaveText("JWT (service account)");
    await expect(row.getByTestId("credential-status")).toHaveText("Active");
    await expect(row.getByTestId("credential-live-tokens")).toHaveText("0 tokens");
    await expect(row.getByTestId("expiry-badge")).toHaveCount(0);
    await expect(row).not.toContainText(bundle.integration.technicalAccount.clientSecret);
    await expect(certificateRows(page, clientId)).toHaveCount(1);

    const token = await jwtToken(bundle);
    expect(await searchStatus(token)).toBe(200);

    // Shown once: a reload shows neither the bundle nor its secrets.
    await page.reload();
    await expect(page.getByRole("region", { name: "New service credential" })).toHaveCount(0);
    await expect(page.getByText(bundle.integration.technicalAccount.clientSecret)).toHaveCount(0);
    await expect(page.getByText("-----BEGIN RSA PRIVATE KEY-----")).toHaveCount(0);
    await expect(credentialRow(page, clientId).getByTestId("credential-live-tokens")).toHaveText("1 token");
  });

  test("Refresh: a new private key for the same client ID and secret, shown once; old and new keys both exchange, until the old certificate is removed", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const { bundle } = await getServiceCredentials(page, uniqueName("Rotating"));
    const { clientId } = bundle.integration.technicalAccount;

    await credentialRow(page, clientId).getByRole("button", { name: "Refresh", exact: true }).click();
    const refreshedRegion = page.getByRole("region", { name: "Refreshed service credential" });
    const refreshed = await shownBundle(refreshedRegion);
    expect(refreshed.integration.privateKey).not.toBe(bundle.integration.privateKey);
    expect(refreshed.integration.publicKey).not.toBe(bundle.integration.publicKey);
    expect(refreshed.integration.technicalAccount).toEqual(bundle.integration.technicalAccount);
    expect({ ...refreshed.integration, privateKey: "", publicKey: "" }).toEqual({ ...bundle.integration, privateKey: "", publicKey: "" });
    await expect(credentialsResult(page)).toContainText("A new private key and certificate were made.");

    const download = page.waitForEvent("download");
    await refreshedRegion.getByRole("button", { name: "Download" }).click();
    expect(JSON.parse(readFileSync(await (await download).path(), "utf8"))).toEqual(refreshed);

    await expect(certificateRows(page, clientId)).toHaveCount(2);
    const oldToken = await jwtToken(bundle);
    const newToken = await jwtToken(refreshed);
    expect(await searchStatus(oldToken)).toBe(200);
    expect(await searchStatus(newToken)).toBe(200);

    // Removing the first certificate: its JWTs are refused and its token dies; the new key stays.
    await page.reload();
    const first = certificateRows(page, clientId).filter({ has: page.getByTestId("certificate-fingerprint").getByText(fingerprintOf(bundle), { exact: true }) });
    await expect(first).toHaveCount(1);
    await first.getByRole("button", { name: /^Remove certificate/ }).click();
    const dialog = page.getByRole("dialog", { name: "Remove this certificate?" });
    await expect(dialog).toContainText("every access token they bought stops working at once");
    await dialog.getByRole("button", { name: "Remove", exact: true }).click();
    await expect(credentialsResult(page)).toHaveText("The certificate was removed; 1 token minted with it was revoked.");
    await expect(certificateRows(page, clientId)).toHaveCount(1);
    await expect(certificateRows(page, clientId).getByTestId("certificate-fingerprint")).toHaveText(fingerprintOf(refreshed));
    // The only certificate left cannot be removed here.
    await expect(certificateRows(page, clientId).getByRole("button", { name: /^Remove certificate/ })).toHaveCount(0);
    await expectTokenDead(oldToken);
    const refused = await exchange(bundle);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error).toBe("invalid_signature");
    expect(await searchStatus(newToken)).toBe(200);
    expect(await searchStatus(await jwtToken(refreshed))).toBe(200);
  });

  test("Migrate to OAuth Server-to-Server: /ims/token/v3 works beside the JWT; Revoke JWT side ends the JWT exchange and its tokens only", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const { bundle } = await getServiceCredentials(page, uniqueName("Migrating"));
    const { clientId } = bundle.integration.technicalAccount;
    const row = credentialRow(page, clientId);

    // Before: a JWT credential refuses the client-credentials grant, and offers no "Revoke JWT side".
    const before = await tokenV3(bundle);
    expect(before.status, JSON.stringify(before.body)).toBe(401);
    expect(before.body.error).toBe("invalid_client");
    await expect(row.getByRole("button", { name: "Revoke JWT side" })).toHaveCount(0);
    const jwtTokenBefore = await jwtToken(bundle);

    await confirmRowAction(page, clientId, "Migrate to OAuth Server-to-Server", `Migrate ${await row.getByTestId("credential-name").textContent()} to OAuth Server-to-Server?`, "Migrate", "/ims/token/v3");
    await expect(credentialsResult(page)).toContainText("The credential now also accepts OAuth Server-to-Server");
    await expect(row.getByTestId("credential-type")).toHaveText("JWT + OAuth Server-to-Server (migrating)");
    await expect(row.getByRole("button", { name: "Migrate to OAuth Server-to-Server" })).toHaveCount(0);

    const v3 = await tokenV3(bundle);
    expect(v3.status, JSON.stringify(v3.body)).toBe(200);
    expect(v3.body).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 86399 });
    expect(await searchStatus(v3.body.access_token)).toBe(200);
    expect(await searchStatus(jwtTokenBefore)).toBe(200);
    expect(await searchStatus(await jwtToken(bundle))).toBe(200);

    const name = (await row.getByTestId("credential-name").textContent()) ?? "";
    await confirmRowAction(page, clientId, "Revoke JWT side", `Revoke the JWT side of ${name}?`, "Revoke JWT side", "OAuth Server-to-Server tokens keep working.");
    await expect(credentialsResult(page)).toContainText("The JWT side was revoked; 2 tokens from JWT exchanges were revoked.");
    await expect(row.getByTestId("credential-type")).toHaveText("OAuth Server-to-Server");
    await expect(row.getByRole("button", { name: "Refresh", exact: true })).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Revoke JWT side" })).toHaveCount(0);
    await expect(certificateRows(page, clientId)).toHaveCount(0);

    const refused = await exchange(bundle);
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
    await expectTokenDead(jwtTokenBefore);
    expect(await searchStatus(v3.body.access_token)).toBe(200);
    const again = await tokenV3(bundle);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await searchStatus(again.body.access_token)).toBe(200);
  });

  test("an OAuth Server-to-Server credential: its bundle has no key pair, and its client ID and secret get a token at /ims/token/v3", async ({ page }) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    const { bundle, region } = await getServiceCredentials(page, uniqueName("S2S"), /^OAuth Server-to-Server/);
    expect(bundle.integration).not.toHaveProperty("privateKey");
    await expect(region).toContainText("The list never shows the client secret.");
    const row = credentialRow(page, bundle.integration.technicalAccount.clientId);
    await expect(row.getByTestId("credential-type")).toHaveText("OAuth Server-to-Server");
    await expect(row.getByTestId("certificate-expiry")).toHaveText("—");
    await expect(row.getByRole("button", { name: "Refresh", exact: true })).toHaveCount(0);
    const v3 = await tokenV3(bundle);
    expect(v3.status, JSON.stringify(v3.body)).toBe(200);
    expect(await searchStatus(v3.body.access_token)).toBe(200);
  });

  test("Revoke: a token obtained before stops working at once, the exchange fails with invalid_client, and the list says Revoked", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const name = uniqueName("Retiring");
    const { bundle } = await getServiceCredentials(page, name);
    const { clientId } = bundle.integration.technicalAccount;
    const token = await jwtToken(bundle);
    expect(await searchStatus(token)).toBe(200);

    await page.reload();
    const row = credentialRow(page, clientId);
    await expect(row.getByTestId("credential-live-tokens")).toHaveText("1 token");
    // Cancelling changes nothing.
    await row.getByRole("button", { name: "Revoke", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke ${name}?` });
    await expect(dialog).toContainText("Every token minted from this credential stops working at once (1 live token now)");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await searchStatus(token)).toBe(200);

    await confirmRowAction(page, clientId, "Revoke", `Revoke ${name}?`, "Revoke credential");
    await expect(credentialsResult(page)).toHaveText("The credential was revoked; 1 token minted from it was revoked.");
    await expectTokenDead(token);
    const refused = await exchange(bundle);
    expect(refused.status, JSON.stringify(refused.body)).toBe(401);
    expect(refused.body.error).toBe("invalid_client");

    await page.reload();
    await expect(row.getByTestId("credential-status")).toHaveText("Revoked");
    await expect(row.getByRole("button")).toHaveCount(1); // only "Copy client ID" is left
    await expect(row.getByTestId("credential-live-tokens")).toHaveText("0 tokens");
    await expect(page.locator(`[data-testid="credential-certificates"][data-client-id="${clientId}"]`)).toHaveCount(0);
  });

  test("Get Local Development Token: the JSON has ok, statusCode and accessToken; the token searches projects as the admin until revoked", async ({ page }) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await openConsole(page);
    const section = page.getByRole("region", { name: "Get Local Development Token" });
    if (await section.getByRole("button", { name: "Revoke my local development tokens" }).isEnabled()) await revokeLocalTokens(page, /revoked\.$/);
    await expect(section.getByTestId("local-token-count")).toHaveText("You have 0 live local development tokens.");
    await expect(section.getByRole("button", { name: "Revoke my local development tokens" })).toBeDisabled();

    const token = await getLocalToken(page);
    expect(await searchStatus(token)).toBe(200);
    await expect(section.getByTestId("local-token-count")).toHaveText("You have 1 live local development token.");
    await expect(section.getByTestId("local-token-row")).toHaveCount(1);

    const second = await getLocalToken(page);
    expect(second).not.toBe(token);
    await expect(section.getByTestId("local-token-count")).toHaveText("You have 2 live local development tokens.");

    await revokeLocalTokens(page, "2 tokens were revoked.");
    await expect(section.getByRole("region", { name: "Local development token" })).toHaveCount(0);
    await expectTokenDead(token);
    await expectTokenDead(second);
  });

  test("Token signing keys: Rotate makes a new current key; tokens signed by the old one keep working", async ({ page }) => {
    await signIn(page, ADMIN.username, ADMIN.password);
    await openConsole(page);
    const token = await getLocalToken(page);
    const keys = page.getByTestId("signing-keys");
    const current = keys.getByTestId("signing-key-row").filter({ has: page.getByTestId("signing-key-current").getByText("Current") });
    await expect(current).toHaveCount(1);
    const before = ((await current.getByTestId("signing-key-kid").textContent()) ?? "").trim();
    const rows = await keys.getByTestId("signing-key-row").count();

    await keys.getByRole("button", { name: "Rotate signing key" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the token signing key?" });
    await dialog.getByRole("button", { name: "Rotate", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(keys.getByTestId("signing-keys-result").getByRole("status")).toContainText("now signs new tokens");
    await expect(keys.getByTestId("signing-key-row")).toHaveCount(rows + 1);
    const after = ((await current.getByTestId("signing-key-kid").textContent()) ?? "").trim();
    expect(after).not.toBe(before);
    await expect(keys.getByTestId("signing-key-row").filter({ hasText: before })).not.toContainText("While current");

    const jwks = (await (await fetch(`${BASE_URL}/ims/keys`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([before, after]));
    expect(await searchStatus(token)).toBe(200);
    expect(await searchStatus(await getLocalToken(page))).toBe(200);
  });

  test("a developer (ticked in Setup > Users) sees only local development tokens and gets one that works", async ({ page, browser }) => {
    test.setTimeout(60_000);
    await signIn(page, ADMIN.username, ADMIN.password);
    const username = uniqueName("developer");
    const password = "developer-password-1";
    await page.goto("/setup/users");
    const form = page.getByRole("form", { name: "Create user" });
    await form.getByLabel("Username").fill(username);
    await form.getByLabel("Name", { exact: true }).fill("Dana Developer");
    await form.getByLabel("Access level").selectOption({ label: "User" });
    await form.getByRole("checkbox", { name: /^Developer \(may use the Developer Console\)/ }).check();
    await form.getByLabel("Initial password").fill(password);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByRole("status")).toHaveText(`User ${username} was created.`);
    await expect(form.getByRole("checkbox", { name: /^Developer/ })).not.toBeChecked();

    const dev = await signedInPage(browser, username, password);
    try {
      await expect(dev.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Integrations" })).toBeVisible();
      await expect(dev.getByRole("link", { name: "OAuth2 Applications" })).toHaveCount(0);
      await dev.getByRole("link", { name: "Integrations" }).click();
      await expect(dev.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
      await expect(dev.getByRole("region", { name: "Get Local Development Token" })).toBeVisible();
      await expect(dev.getByRole("region", { name: "Get Service Credentials" })).toHaveCount(0);
      await expect(dev.getByRole("region", { name: "Service credentials" })).toHaveCount(0);
      await expect(dev.getByRole("region", { name: "Token signing keys" })).toHaveCount(0);
      await expect(dev.getByRole("button", { name: "Get Service Credentials" })).toHaveCount(0);

      const token = await getLocalToken(dev);
      expect(await searchStatus(token)).toBe(200);
      await revokeLocalTokens(dev, "1 token was revoked.");
      await expectTokenDead(token);
    } finally {
      await dev.context().close();
    }
  });

  test("a user who is not a developer is sent away, until an administrator ticks Developer in Edit user", async ({ page, browser, request }) => {
    test.setTimeout(60_000);
    const user = await createRestUser(request, "not-developer");
    const other = await signedInPage(browser, user.username, user.password);
    try {
      await expect(other.getByRole("link", { name: "Integrations" })).toHaveCount(0);
      await other.goto(PAGE);
      await expect(other).toHaveURL(/\/account\?denied=developer$/);
      await expect(other.getByText(/^The Developer Console is for System Administrators and for users an administrator has marked as developers/)).toBeVisible();

      await signIn(page, ADMIN.username, ADMIN.password);
      await searchUsers(page, user.username);
      await userRow(page, user.username).getByRole("button", { name: "Edit" }).click();
      const edit = page.getByRole("dialog", { name: `Edit user ${user.username}` });
      const box = edit.getByRole("checkbox", { name: /^Developer \(may use the Developer Console\)/ });
      await expect(box).not.toBeChecked();
      await box.check();
      await edit.getByRole("button", { name: "Save changes" }).click();
      await expect(edit).toBeHidden();
      await expect(userRow(page, user.username)).toContainText(`Saved changes to ${user.username}.`);

      await other.goto(PAGE);
      await expect(other.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
      await expect(other.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Integrations" })).toBeVisible();
      expect(await searchStatus(await getLocalToken(other))).toBe(200);

      // Unticked again: the page is closed at once (the guard re-reads the user on every request).
      await page.reload();
      await userRow(page, user.username).getByRole("button", { name: "Edit" }).click();
      const again = page.getByRole("dialog", { name: `Edit user ${user.username}` });
      await expect(again.getByRole("checkbox", { name: /^Developer/ })).toBeChecked();
      await again.getByRole("checkbox", { name: /^Developer/ }).uncheck();
      await again.getByRole("button", { name: "Save changes" }).click();
      await expect(again).toBeHidden();
      await other.goto(PAGE);
      await expect(other).toHaveURL(/\/account\?denied=developer$/);
    } finally {
      await other.context().close();
    }
  });
});
