/** Local development tokens belong to the Developer Console: losing access to it ends them. */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { issueLocalDevelopmentToken } from "../../lib/services/ims/local-token";
import { createUser, updateUser } from "../../lib/services/users/write";
import type { ServiceContext } from "../../lib/services/context";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let admin: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  admin = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

const search = (token: string) => api("/project/search", { headers: { authorization: `Bearer ${token}` } });

it("unticking Developer ends the user's local development tokens; a name change does not", async () => {
  const u = await createUser(admin, { username: "dev.one", name: "Dev One", password: "dev-password-1", isDeveloper: true }, { apiFieldNames: false });
  const token = (await issueLocalDevelopmentToken(await consoleContext(rt, "dev.one"))).accessToken;
  await updateUser(admin, u.id, { name: "Dev Renamed" }, { apiFieldNames: false });
  expect((await search(token)).status).toBe(200);
  await updateUser(admin, u.id, { isDeveloper: false }, { apiFieldNames: false });
  expect((await search(token)).status).toBe(401);
  const [event] = await rt.store.audit.list({ action: "user.update", limit: 1 });
  expect(event?.details).toMatchObject({ changed: ["isDeveloper"], revokedTokens: 1 });
});

it("an administrator made a plain user (not a developer) loses their local tokens; one who stays a developer keeps them", async () => {
  const a = await createUser(admin, { username: "second.admin", name: "Second", password: "admin-password-2", accessLevel: "admin" }, { apiFieldNames: false });
  const b = await createUser(admin, { username: "third.admin", name: "Third", password: "admin-password-3", accessLevel: "admin", isDeveloper: true }, { apiFieldNames: false });
  const ta = (await issueLocalDevelopmentToken(await consoleContext(rt, "second.admin"))).accessToken;
  const tb = (await issueLocalDevelopmentToken(await consoleContext(rt, "third.admin"))).accessToken;
  await updateUser(admin, a.id, { accessLevel: "user" }, { apiFieldNames: false });
  await updateUser(admin, b.id, { accessLevel: "user" }, { apiFieldNames: false });
  expect((await search(ta)).status).toBe(401);
  expect((await search(tb)).status).toBe(200);
});

it("a token issued while the password changes (the change committing first) is refused, and none is left behind", async () => {
  const u = await createUser(admin, { username: "dev.race", name: "Dev Race", password: "dev-password-1", isDeveloper: true }, { apiFieldNames: false });
  const dev = await consoleContext(rt, "dev.race");
  // The password change lands between the checks and the issuing transaction.
  const original = rt.store.transaction.bind(rt.store);
  const spy = vi.spyOn(rt.store, "transaction").mockImplementationOnce(async (fn) => {
    rt.clock.advance(1);
    await rt.store.users.update(u.id, { passwordChangedAt: rt.clock.now(), updatedAt: rt.clock.now() });
    return original(fn);
  });
  await expect(issueLocalDevelopmentToken(dev)).rejects.toThrow(/changed while the token was being issued/);
  spy.mockRestore();
  expect(await rt.store.imsTokens.listForUser(u.id, "local_development", rt.clock.now())).toEqual([]);
});

it("the API refuses a local token older than the person's last password change, even if its row survived", async () => {
  const u = await createUser(admin, { username: "dev.old", name: "Dev Old", password: "dev-password-1", isDeveloper: true }, { apiFieldNames: false });
  const token = (await issueLocalDevelopmentToken(await consoleContext(rt, "dev.old"))).accessToken;
  expect((await search(token)).status).toBe(200);
  rt.clock.advance(1_000);
  // Behind the services' back: only the password time moves, the token row stays.
  await rt.store.users.update(u.id, { passwordChangedAt: rt.clock.now(), updatedAt: rt.clock.now() });
  expect((await search(token)).status).toBe(401);
  const fresh = (await issueLocalDevelopmentToken(await consoleContext(rt, "dev.old"))).accessToken;
  expect((await search(fresh)).status).toBe(200);
});
