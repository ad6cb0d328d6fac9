import { request as apiRequest, expect, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { ADMIN, API } from "../env";

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

/** REST `POST /login`; returns the response so callers can check refusals too. */
export async function restLogin(request: APIRequestContext, username: string, password: string): Promise<APIResponse> {
  return request.post(`${API}/login`, { form: { username, password } });
}

/** A REST session for a user whose login must succeed. */
export async function restSession(request: APIRequestContext, username: string, password: string): Promise<string> {
  const r = await restLogin(request, username, password);
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()).data.sessionID as string;
}

/** Creates a non-admin user through the REST API as the e2e administrator; the username is made unique. */
export async function createRestUser(request: APIRequestContext, prefix: string, password = "user-password-1"): Promise<{ username: string; password: string; id: string }> {
  const sessionID = await restSession(request, ADMIN.username, ADMIN.password);
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1000)}`;
  const r = await request.post(`${API}/user`, { headers: { sessionID }, data: { username, name: username, password } });
  expect(r.status(), await r.text()).toBe(200);
  return { username, password, id: (await r.json()).data.ID as string };
}

/**
 * Status of an API call made with only the given API key (200 when the key works, 401 when not). It
 * uses its own request context: the `request` fixture keeps the sessionID cookie of earlier REST
 * logins, and a session credential would decide before the apiKey header.
 */
export async function apiKeyStatus(apiKey: string): Promise<number> {
  const ctx = await apiRequest.newContext();
  try {
    return (await ctx.get(`${API}/proj/search`, { headers: { apiKey } })).status();
  } finally {
    await ctx.dispose();
  }
}

/** REST `PUT /user?action=<action>` with username + password (generateApiKey, getApiKey). */
export async function restKeyAction(request: APIRequestContext, action: string, username: string, password: string): Promise<APIResponse> {
  return request.put(`${API}/user?action=${action}`, { form: { username, password } });
}

/** A username no other test of this run uses (the database is shared across the run). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface NewConsoleUser {
  username: string;
  name: string;
  email?: string;
  accessLevel?: "User" | "System Administrator";
  password?: string;
}

/**
 * Creates a user through Setup > Users as the signed-in administrator. Returns the password the
 * user can sign in with: the one given, or the generated one the page shows once.
 */
export async function createUserInConsole(page: Page, user: NewConsoleUser): Promise<string> {
  await page.goto("/setup/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Username").fill(user.username);
  await form.getByLabel("Name", { exact: true }).fill(user.name);
  if (user.email) await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Access level").selectOption({ label: user.accessLevel ?? "User" });
  if (user.password) await form.getByLabel("Initial password").fill(user.password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText(`User ${user.username} was created.`);
  if (user.password) return user.password;
  const generated = (await form.getByTestId("generated-password").textContent())?.trim() ?? "";
  expect(generated).toMatch(/^\S{12,}$/);
  return generated;
}

/** The row of a user in the Users table (the current administrator's is marked "(you)"). */
export function userRow(page: Page, username: string) {
  const exact = new RegExp(`^${username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\(you\\))?$`);
  return page.getByRole("table", { name: "Users" }).getByRole("row").filter({ has: page.getByRole("cell", { name: exact }) });
}

/** Searches Setup > Users for a term and waits for the result page. */
export async function searchUsers(page: Page, term: string): Promise<void> {
  await page.goto("/setup/users");
  await page.getByRole("searchbox", { name: "Search users" }).fill(term);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === term);
}

/** Status of a REST API password login (200 on success, 401 when refused). */
export async function restLoginStatus(request: APIRequestContext, username: string, password: string): Promise<number> {
  const r = await request.post(`${API}/login`, { form: { username, password } });
  return r.status();
}

/**
 * REST `POST /login` with the given form fields, from a fresh request context (no cookies from
 * earlier logins). Returns the status and the parsed body.
 */
export async function restLoginFresh(fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const ctx = await apiRequest.newContext();
  try {
    const r = await ctx.post(`${API}/login`, { form: fields });
    return { status: r.status(), body: await r.json().catch(() => null) };
  } finally {
    await ctx.dispose();
  }
}
