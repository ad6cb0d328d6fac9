// The real `workfront-api` npm client, unmodified, pointed at Keyward over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeApi } from "workfront-api";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { startApiServer } from "../../lib/testing/server";

let rt: TestRuntime;
let server: Awaited<ReturnType<typeof startApiServer>>;
const client = (extra: Record<string, unknown> = {}) => new NodeApi({ url: server.url, version: "20.0", ...extra });

beforeAll(async () => {
  rt = await createTestRuntime();
  server = await startApiServer();
  const admin = client();
  await admin.login(ADMIN.username, ADMIN.password);
  await admin.create("USER", { username: "wendy", name: "Wendy", password: "wendy-password" });
});
afterAll(async () => {
  await server.close();
  await rt.cleanup();
});

describe("workfront-api client with a session", () => {
  it("logs in, creates, searches, gets, edits, counts, removes and logs out", async () => {
    const api = client();
    const login = await api.login("wendy", "wendy-password");
    expect(login).toMatchObject({ sessionID: expect.any(String), userID: expect.any(String) });

    const created = await api.create("PROJ", { name: "Client project", priority: 2 }, ["priority"]);
    expect(created).toMatchObject({ name: "Client project", priority: 2, objCode: "PROJ" });

    const found = await api.search("PROJ", { name: "Client", name_Mod: "startswith", $$LIMIT: 5 }, ["ownerID"]);
    expect(found).toEqual([{ ID: created.ID, name: "Client project", objCode: "PROJ", ownerID: login.userID }]);

    expect(await api.get("PROJ", created.ID)).toEqual({ ID: created.ID, name: "Client project", objCode: "PROJ" });
    const second = await api.create("PROJ", { name: "Second" });
    expect((await api.get("PROJ", [created.ID, second.ID])).map((p: { name: string }) => p.name)).toEqual(["Client project", "Second"]);

    const edited = await api.edit("PROJ", created.ID, { name: "Renamed", status: "PLN" }, ["status"]);
    expect(edited).toMatchObject({ name: "Renamed", status: "PLN" });

    expect(await api.count("PROJ", { name: "Renamed" })).toBe(1);
    await api.remove("PROJ", second.ID);
    expect(await api.count("PROJ", { ownerID: login.userID })).toBe(1);

    await api.logout();
    api.setSessionID(login.sessionID);
    await expect(api.search("PROJ", {})).rejects.toMatchObject({ status: 401, message: "You are not currently logged in." });
  });

  it("surfaces errors with their HTTP status and message", async () => {
    const api = client();
    await expect(api.login("wendy", "wrong-password")).rejects.toMatchObject({ status: 401 });
    await api.login("wendy", "wendy-password");
    await expect(api.search("PROJ", { $$LIMIT: 5000 })).rejects.toMatchObject({ status: 400 });
    await expect(api.get("PROJ", "0123456789abcdef0123456789abcdef")).rejects.toMatchObject({ status: 404 });
  });

  it("works with the default api-internal path", async () => {
    const api = new NodeApi({ url: server.url });
    await api.login("wendy", "wendy-password");
    expect(await api.count("USER", {})).toBeGreaterThanOrEqual(2);
  });
});

describe("workfront-api client with an API key", () => {
  it("getApiKey generates a key when there is none, the key searches, clearApiKey removes it", async () => {
    const api = client();
    const key = await api.getApiKey("wendy", "wendy-password");
    expect(key).toMatch(/^kwk_[A-Za-z0-9_-]{32}$/);

    // Asking again returns the same key instead of generating a new one.
    expect(await client().getApiKey("wendy", "wendy-password")).toBe(key);

    const withKey = client({ apiKey: key });
    expect(Array.isArray(await withKey.search("PROJ", { $$LIMIT: 20 }))).toBe(true);

    await withKey.clearApiKey();
    const stale = client({ apiKey: key });
    await expect(stale.search("PROJ", {})).rejects.toMatchObject({ status: 401, message: "You are not currently logged in." });

    // And with no key, getApiKey makes a fresh one.
    const fresh = await client().getApiKey("wendy", "wendy-password");
    expect(fresh).not.toBe(key);
  });
});
