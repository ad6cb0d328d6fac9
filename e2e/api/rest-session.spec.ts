import { expect, test } from "@playwright/test";
import { ADMIN, API } from "../env";

test("login, search projects, logout against the running server", async ({ request }) => {
  const login = await request.post(`${API}/login`, { form: ADMIN });
  expect(login.status()).toBe(200);
  const { sessionID, userID } = (await login.json()).data;
  expect(sessionID).toEqual(expect.any(String));
  expect(userID).toMatch(/^[0-9a-f]{32}$/);

  const created = await request.post(`${API}/proj`, { headers: { sessionID }, data: { name: "E2E project" } });
  expect(created.status()).toBe(200);
  const id = (await created.json()).data.ID;

  const found = await request.get(`${API}/proj/search?name=E2E%20project&fields=ownerID`, { headers: { sessionID } });
  expect((await found.json()).data).toEqual([{ ID: id, name: "E2E project", objCode: "PROJ", ownerID: userID }]);

  const out = await request.get(`${API}/logout`, { headers: { sessionID } });
  expect(await out.json()).toEqual({ data: { success: true } });
  const after = await request.get(`${API}/proj/search`, { headers: { sessionID } });
  expect(after.status()).toBe(401);
  expect(await after.json()).toMatchObject({
    error: { class: "com.attask.common.AuthenticationException", message: "You are not currently logged in." },
  });
});

test("API paths answer with a trailing slash and never redirect", async ({ request }) => {
  const r = await request.get(`${API}/proj/search/`, { maxRedirects: 0 });
  expect(r.status()).toBe(401);
  expect(r.headers()["content-type"]).toContain("application/json");
});

test("an unknown API path gets the JSON error envelope, not an HTML page", async ({ request }) => {
  const r = await request.get(`${API}/nothing-here/search`);
  expect(r.status()).toBe(404);
  expect((await r.json()).error.class).toBe("com.attask.common.NotFoundException");
});

test("console pages refuse to be framed by other sites", async ({ request }) => {
  const r = await request.get("/signin");
  expect(r.status()).toBe(200);
  expect(r.headers()["x-frame-options"]).toBe("DENY");
  expect(r.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(r.headers()["referrer-policy"]).toBe("same-origin");
});
