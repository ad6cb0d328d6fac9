/**
 * The authorization code flow with PKCE as a single-page application's user lives it, in Chromium:
 * sign in from the authorize link, the consent page, Allow / Deny, the code redeemed at the token
 * endpoint, remembered consent, revoking under My account, requests that must never redirect, and
 * the consent form's CSRF token. A small local server stands for the application's redirect URL.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, API, BASE_URL } from "../env";
import { createUserInConsole, signIn, uniqueName } from "./helpers";

const AUTHORIZE = "/integrations/oauth2/authorize";
const TOKEN = `${BASE_URL}/integrations/oauth2/api/v1/token`;
const APPS = "/setup/system/oauth2-applications";
const APP_URL = /\/setup\/system\/oauth2-applications\/[0-9a-f]{32}$/;
/** A 1x1 PNG, the app's logo. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

test.describe.configure({ mode: "serial" });

// --- The client's side: its redirect URL, PKCE, the token endpoint. ---

let server: Server;
let clientOrigin: string;
let redirectUri: string;
/** Every request that reached the client's server, as its path and query. */
const hits: string[] = [];

function startClientServer(): Promise<void> {
  server = createServer((req, res) => {
    if (req.url !== "/favicon.ico") hits.push(req.url ?? "");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end('<!doctype html><html lang="en"><head><link rel="icon" href="data:,"><title>Client callback</title></head><body><h1>Back at the client</h1></body></html>');
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      clientOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      redirectUri = `${clientOrigin}/callback`;
      resolve();
    });
  });
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

const newState = () => randomBytes(12).toString("base64url");

function authorizeUrl(params: Record<string, string>): string {
  return `${AUTHORIZE}?${new URLSearchParams(params).toString()}`;
}

/** A complete, valid request for the app; `extra` adds or overrides, a null value leaves one out. */
function codeRequest(challenge: string, extra: Record<string, string | null> = {}): string {
  const params: Record<string, string | null> = {
    client_id: app.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  };
  return authorizeUrl(Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== null)));
}

/** Waits until the browser is on the client's callback; returns that URL. */
async function landOnCallback(page: Page): Promise<URL> {
  await page.waitForURL((u) => u.origin === clientOrigin && u.pathname === "/callback");
  const url = new URL(page.url());
  expect(hits.at(-1)).toBe(url.pathname + url.search);
  return url;
}

const paramNames = (url: URL) => [...url.searchParams.keys()].sort();

async function tokenRequest(fields: Record<string, string>): Promise<{ status: number; cacheControl: string | null; body: any }> {
  const r = await fetch(TOKEN, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  return { status: r.status, cacheControl: r.headers.get("cache-control"), body: await r.json().catch(() => null) };
}

const redeem = (code: string, verifier: string) =>
  tokenRequest({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: app.clientId, code_verifier: verifier });

const refresh = (refreshToken: string) => tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: app.clientId });

async function bearerGet(path: string, token: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.json().catch(() => null) };
}

// --- Shared state: the app, its users, and what test 1 was issued. ---

const app = {
  clientId: "",
  name: uniqueName("PKCE SPA"),
  description: "Plans projects in the browser and keeps them in sync with Keyward.",
  developerName: "Example Planning Ltd",
  developerEmail: "dev@planning.example",
  privacyPath: "/privacy",
};
let privacyUrl: string;
const owner = { username: uniqueName("pkce-user"), password: "pkce-user-password-1" };
const other = { username: uniqueName("pkce-other"), password: "pkce-other-password-1" };
const issued = { accessToken: "", refreshedAccessToken: "", refreshToken: "" };

async function signInFromPrompt(page: Page, user: { username: string; password: string }): Promise<void> {
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const consentPage = (page: Page) => page.getByTestId("consent-page");

async function expectConsentPage(page: Page, username: string): Promise<void> {
  const card = consentPage(page);
  await expect(card.getByRole("heading", { level: 1 })).toHaveText(`Allow ${app.name} to use your account?`);
  await expect(card.getByRole("img", { name: `${app.name} logo` })).toBeVisible();
  await expect(card.getByTestId("consent-developer")).toHaveText(`Developed by ${app.developerName} · ${app.developerEmail}`);
  await expect(card.getByRole("link", { name: app.developerEmail })).toHaveAttribute("href", `mailto:${app.developerEmail}`);
  await expect(card.getByTestId("consent-description")).toHaveText(app.description);
  await expect(card.getByTestId("consent-username")).toHaveText(username);
  const privacy = card.getByRole("link", { name: /^privacy policy/ });
  await expect(privacy).toHaveAttribute("href", privacyUrl);
  await expect(privacy).toHaveAttribute("target", "_blank");
  await expect(card.getByRole("list", { name: `If you allow it, ${app.name} can:` }).getByRole("listitem")).toHaveCount(2);
  await expect(card).toContainText(`you will be sent back to ${clientOrigin}`);
  const form = card.getByRole("form", { name: `Authorize ${app.name}` });
  await expect(form.getByRole("button", { name: "Allow" })).toBeEnabled();
  await expect(form.getByRole("button", { name: "Deny" })).toBeEnabled();
}

/** My account > Authorized applications > Revoke, confirmed. Returns the confirmation shown. */
async function revokeFromAccount(page: Page): Promise<string> {
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Authorized applications" });
  const row = section.getByRole("table", { name: "Authorized applications" }).getByTestId(`authorized-app-${app.clientId}`);
  await row.getByRole("button", { name: `Revoke ${app.name}` }).click();
  const confirm = page.getByRole("dialog", { name: `Revoke ${app.name}?` });
  await expect(confirm).toContainText("every token it holds for your account is revoked");
  await confirm.getByRole("button", { name: "Revoke access" }).click();
  const status = section.getByRole("status");
  await expect(status).toHaveText(/^Access revoked( \(\d+ tokens? ended\))?\.$/);
  await expect(section.getByTestId(`authorized-app-${app.clientId}`)).toHaveCount(0);
  return (await status.textContent()) ?? "";
}

test.beforeAll(async ({ browser }) => {
  await startClientServer();
  privacyUrl = `${clientOrigin}${app.privacyPath}`;
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN.username, ADMIN.password);
    for (const u of [owner, other]) await createUserInConsole(page, { username: u.username, name: u.username, password: u.password });

    await page.goto(APPS);
    await page.getByRole("button", { name: "Create app integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Create app integration" });
    await dialog.getByRole("radio", { name: /^Single-page web application/ }).check();
    await dialog.getByLabel("Name", { exact: true }).fill(app.name);
    await dialog.getByLabel("Description").fill(app.description);
    await dialog.getByLabel("Redirect URLs").fill(redirectUri);
    await dialog.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    await dialog.getByLabel("Developer name").fill(app.developerName);
    await dialog.getByLabel("Developer email").fill(app.developerEmail);
    await dialog.getByLabel("Privacy policy URL").fill(privacyUrl);
    await dialog.getByRole("button", { name: "Create", exact: true }).click();
    await page.waitForURL(APP_URL);
    app.clientId = ((await page.getByTestId("client-id").textContent()) ?? "").trim();
    expect(app.clientId).toMatch(/^[0-9a-f]{32}$/);
    // A public client: no secret to show.
    await expect(page.getByTestId("new-client-secret")).toHaveCount(0);
  } finally {
    await page.close();
  }
});

test.afterAll(async ({ browser }) => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!app.clientId) return;
  const page = await browser.newPage();
  try {
    await signIn(page, ADMIN.username, ADMIN.password);
    const r = await page.goto(`${APPS}/${app.clientId}`);
    if (r?.status() === 404) return;
    await page.getByRole("region", { name: "Delete application" }).getByRole("button", { name: "Delete application" }).click();
    await page.getByRole("dialog", { name: `Delete ${app.name}?` }).getByRole("button", { name: "Delete application" }).click();
    await page.waitForURL((url) => url.pathname === APPS);
  } finally {
    await page.close();
  }
});

test.describe("OAuth2 authorization code flow with PKCE (single-page application)", () => {
  test("signed out: sign in, allow, redeem the code with the verifier, call the API as the user; consent is remembered", async ({ page }, testInfo) => {
    test.setTimeout(60_000);
    const { verifier, challenge } = pkcePair();
    const state = newState();
    const request = codeRequest(challenge, { state });

    await page.goto(request);
    await page.waitForURL((u) => u.pathname === "/signin");
    expect(Object.fromEntries(new URL(new URL(page.url()).searchParams.get("callbackUrl") ?? "", BASE_URL).searchParams)).toEqual(
      Object.fromEntries(new URL(request, BASE_URL).searchParams),
    );
    await signInFromPrompt(page, owner);

    await page.waitForURL((u) => u.pathname === AUTHORIZE);
    await expectConsentPage(page, owner.username);
    await page.screenshot({ path: testInfo.outputPath("consent.png"), fullPage: true });
    const before = hits.length;
    await consentPage(page).getByRole("button", { name: "Allow" }).click();

    const callback = await landOnCallback(page);
    expect(hits.length).toBe(before + 1);
    expect(paramNames(callback)).toEqual(["code", "iss", "state"]);
    expect(callback.hash).toBe("");
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(BASE_URL);
    const code = callback.searchParams.get("code")!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // The code is worth nothing without the verifier; with it, tokens.
    const wrong = await redeem(code, pkcePair().verifier);
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
    // A wrong verifier does not use the code up.
    const tokens = await redeem(code, verifier);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String) });
    expect(tokens.cacheControl).toContain("no-store");
    issued.accessToken = tokens.body.access_token;

    // The token acts as the user: it sees its own sign-in time, not the administrator's.
    expect((await bearerGet("/proj/search", issued.accessToken)).status).toBe(200);
    const self = await bearerGet(`/user/search?username=${encodeURIComponent(owner.username)}&fields=username,lastLoginDate`, issued.accessToken);
    expect(self.status, JSON.stringify(self.body)).toBe(200);
    expect(self.body.data).toHaveLength(1);
    expect(self.body.data[0]).toHaveProperty("lastLoginDate");
    const admin = await bearerGet(`/user/search?username=${encodeURIComponent(ADMIN.username)}&fields=username,lastLoginDate`, issued.accessToken);
    expect(admin.body.data[0].username).toBe(ADMIN.username);
    expect(admin.body.data[0]).not.toHaveProperty("lastLoginDate");

    // The refresh token works (and, with rotation, hands over a new one).
    const refreshed = await refresh(tokens.body.refresh_token);
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, refresh_token: expect.any(String) });
    issued.refreshedAccessToken = refreshed.body.access_token;
    issued.refreshToken = refreshed.body.refresh_token;
    expect((await bearerGet("/proj/search", issued.refreshedAccessToken)).status).toBe(200);

    // Consent is remembered: the next request goes straight back with a new code.
    const second = pkcePair();
    const secondState = newState();
    const response = await page.goto(codeRequest(second.challenge, { state: secondState }));
    const direct = await landOnCallback(page);
    expect(response?.request().redirectedFrom()?.url()).toBe(new URL(codeRequest(second.challenge, { state: secondState }), BASE_URL).toString());
    expect(paramNames(direct)).toEqual(["code", "iss", "state"]);
    expect(direct.searchParams.get("state")).toBe(secondState);
    const secondCode = direct.searchParams.get("code")!;
    expect(secondCode).not.toBe(code);
    const secondTokens = await redeem(secondCode, second.verifier);
    expect(secondTokens.status, JSON.stringify(secondTokens.body)).toBe(200);
    expect((await bearerGet("/proj/search", secondTokens.body.access_token)).status).toBe(200);
    // A code is single-use: presented again it is refused, and what it was exchanged for is revoked.
    const replay = await redeem(secondCode, second.verifier);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
    await expect.poll(async () => (await bearerGet("/proj/search", secondTokens.body.access_token)).status, { timeout: 10_000 }).toBe(401);
    expect((await refresh(secondTokens.body.refresh_token)).body.error).toBe("invalid_grant");
    // The first authorization is untouched.
    expect((await bearerGet("/proj/search", issued.refreshedAccessToken)).status).toBe(200);

    // Without a state, the callback has none.
    const third = pkcePair();
    await page.goto(codeRequest(third.challenge));
    const stateless = await landOnCallback(page);
    expect(paramNames(stateless)).toEqual(["code", "iss"]);
    expect(stateless.searchParams.get("iss")).toBe(BASE_URL);
    expect((await redeem(stateless.searchParams.get("code")!, third.verifier)).status).toBe(200);
  });

  test("switching account keeps the request; Deny sends access_denied back with the state and iss, and no code", async ({ page }) => {
    const { challenge } = pkcePair();
    const state = newState();
    const request = codeRequest(challenge, { state, prompt: "consent" });
    await page.goto(request);
    await signInFromPrompt(page, owner);
    await page.waitForURL((u) => u.pathname === AUTHORIZE);
    await expectConsentPage(page, owner.username);

    // "Not you?": signed out, then back to the same request as the other user.
    await consentPage(page).getByRole("button", { name: "Not you? Switch account" }).click();
    await page.waitForURL((u) => u.pathname === "/signin");
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(request);
    await signInFromPrompt(page, other);
    await page.waitForURL((u) => u.pathname === AUTHORIZE);
    await expectConsentPage(page, other.username);
    await consentPage(page).getByRole("button", { name: "Deny" }).click();

    const callback = await landOnCallback(page);
    expect(paramNames(callback)).toEqual(["error", "error_description", "iss", "state"]);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(BASE_URL);
    expect(callback.searchParams.has("code")).toBe(false);
  });

  test("My account lists the app; Revoke ends its tokens and the next request asks for consent again", async ({ page }, testInfo) => {
    test.setTimeout(60_000);
    expect(issued.accessToken, "set by the first test").not.toBe("");
    await signIn(page, owner.username, owner.password);
    await page.goto("/account");
    const section = page.getByRole("region", { name: "Authorized applications" });
    const row = section.getByRole("table", { name: "Authorized applications" }).getByTestId(`authorized-app-${app.clientId}`);
    await expect(row.getByRole("rowheader")).toContainText(app.name);
    await expect(row).toContainText(`by ${app.developerName}`);
    await expect(row.getByRole("link", { name: `Privacy policy of ${app.name} (opens in a new tab)` })).toHaveAttribute("href", privacyUrl);
    await section.screenshot({ path: testInfo.outputPath("authorized-apps.png") });

    // What the first test was issued ends with it (the refreshed family alone holds four tokens).
    expect(Number(/\((\d+) tokens ended\)/.exec(await revokeFromAccount(page))?.[1])).toBeGreaterThanOrEqual(4);
    await expect(section).toContainText("You have not authorized any application.");

    await expect.poll(async () => (await bearerGet("/proj/search", issued.accessToken)).status, { timeout: 10_000 }).toBe(401);
    expect((await bearerGet("/proj/search", issued.refreshedAccessToken)).status).toBe(401);
    const refused = await refresh(issued.refreshToken);
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error).toBe("invalid_grant");

    // Consent is no longer remembered: the consent page again, no code sent.
    const before = hits.length;
    await page.goto(codeRequest(pkcePair().challenge, { state: newState() }));
    await expectConsentPage(page, owner.username);
    expect(hits.length).toBe(before);
  });

  test("a code issued before Revoke and not yet redeemed is refused after it", async ({ page }) => {
    // Revoking ends the app's outstanding codes too: a code from just before would otherwise buy
    // tokens that no longer show under My account.
    await signIn(page, owner.username, owner.password);
    const { verifier, challenge } = pkcePair();
    await page.goto(codeRequest(challenge, { prompt: "consent" }));
    await expectConsentPage(page, owner.username);
    await consentPage(page).getByRole("button", { name: "Allow" }).click();
    const code = (await landOnCallback(page)).searchParams.get("code")!;

    await revokeFromAccount(page);
    const late = await redeem(code, verifier);
    expect(late.status, JSON.stringify(late.body)).toBe(400);
    expect(late.body.error).toBe("invalid_grant");
  });

  test("a bad client or redirect URL is an error page, never a redirect; other problems go back with an error", async ({ page }, testInfo) => {
    const { challenge } = pkcePair();
    const state = newState();
    const before = hits.length;
    const errorPages: { params: Record<string, string | null>; message: string }[] = [
      { params: { redirect_uri: `${clientOrigin}/elsewhere` }, message: `The return address is not registered for ${app.name}.` },
      { params: { redirect_uri: `${redirectUri}/extra` }, message: `The return address is not registered for ${app.name}.` },
      { params: { redirect_uri: `${redirectUri}?next=1` }, message: `The return address is not registered for ${app.name}.` },
      { params: { redirect_uri: `${redirectUri}/` }, message: `The return address is not registered for ${app.name}.` },
      { params: { client_id: "0123456789abcdef0123456789abcdef" }, message: "There is no application with this client ID." },
      { params: { client_id: null }, message: "client_id is missing" },
      { params: { redirect_uri: null }, message: "redirect_uri is missing" },
    ];
    for (const [i, { params, message }] of errorPages.entries()) {
      const url = codeRequest(challenge, { state, ...params });
      const r = await page.goto(url);
      expect(r?.status(), url).toBe(200);
      expect(r?.request().redirectedFrom(), url).toBeNull();
      const alert = page.getByRole("alert").filter({ has: page.getByRole("heading", { level: 1, name: "This authorization link cannot be used" }) });
      await expect(alert).toBeVisible();
      await expect(alert.getByTestId("authorize-error-message")).toContainText(message);
      await expect(page.getByRole("button", { name: "Allow" })).toHaveCount(0);
      expect(new URL(page.url()).pathname).toBe(AUTHORIZE);
      if (i === 0) await page.screenshot({ path: testInfo.outputPath("error.png"), fullPage: true });
    }
    expect(hits.length).toBe(before);

    const redirected: { params: Record<string, string | null>; error: string }[] = [
      { params: { response_type: "token" }, error: "unsupported_response_type" },
      { params: { code_challenge: null, code_challenge_method: null }, error: "invalid_request" },
      { params: { code_challenge: null }, error: "invalid_request" },
      { params: { code_challenge_method: "plain" }, error: "invalid_request" },
      { params: { code_challenge: pkcePair().verifier.slice(0, 20) }, error: "invalid_request" },
      { params: { code_challenge_method: null }, error: "invalid_request" },
    ];
    for (const { params, error } of redirected) {
      await page.goto(codeRequest(challenge, { state, ...params }));
      const callback = await landOnCallback(page);
      expect(callback.searchParams.get("error"), JSON.stringify(params)).toBe(error);
      expect(callback.searchParams.get("state")).toBe(state);
      expect(callback.searchParams.get("iss")).toBe(BASE_URL);
      expect(callback.searchParams.has("code")).toBe(false);
    }
    expect(hits.length).toBe(before + redirected.length);

    // Without a state, the error carries none either.
    await page.goto(codeRequest(challenge, { response_type: "token" }));
    const stateless = await landOnCallback(page);
    expect(paramNames(stateless)).toEqual(["error", "error_description", "iss"]);
  });

  test("a tampered consent token issues nothing and asks again; the page cannot be framed", async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, other.username, other.password);
    const { verifier, challenge } = pkcePair();
    const state = newState();
    const r = await page.goto(codeRequest(challenge, { state }));
    expect(r?.status()).toBe(200);
    expect(r?.headers()["x-frame-options"]).toBe("DENY");
    expect(r?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await expectConsentPage(page, other.username);

    const token = page.locator('input[type="hidden"][name="consent_token"]');
    const original = await token.inputValue();
    expect(original).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    const tampered = await token.evaluate((el: HTMLInputElement) => {
      const last = el.value.slice(-1);
      el.value = el.value.slice(0, -1) + (last === "A" ? "B" : "A");
      return el.value;
    });
    expect(tampered).not.toBe(original);
    const before = hits.length;
    await consentPage(page).getByRole("button", { name: "Allow" }).click();

    // Back to the consent page, asked again with a fresh token; nothing reached the client.
    await page.waitForURL((u) => u.pathname === AUTHORIZE && u.searchParams.get("prompt") === "consent");
    await expectConsentPage(page, other.username);
    await expect(token).not.toHaveValue(tampered);
    expect(hits.length).toBe(before);

    // The fresh form works.
    await consentPage(page).getByRole("button", { name: "Allow" }).click();
    const callback = await landOnCallback(page);
    expect(paramNames(callback)).toEqual(["code", "iss", "state"]);
    expect(callback.searchParams.get("state")).toBe(state);
    const tokens = await redeem(callback.searchParams.get("code")!, verifier);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);

    // The error page is not frameable either.
    const bad = await page.goto(codeRequest(challenge, { redirect_uri: `${redirectUri}/extra` }));
    expect(bad?.headers()["x-frame-options"]).toBe("DENY");
    expect(bad?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  });
});
