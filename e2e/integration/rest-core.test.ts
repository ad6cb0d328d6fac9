import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let admin: string;
let alice: { id: string; session: string };
let bob: { id: string; session: string };

const NOT_LOGGED_IN = { error: { class: "com.attask.common.AuthenticationException", message: "You are not currently logged in.", title: "You are not currently logged in." } };

async function createUser(username: string, accessLevel = "user") {
  const r = await api("/user", { headers: { sessionID: admin }, json: { username, name: username, password: `${username}-password`, accessLevel } });
  expect(r.status).toBe(200);
  return { id: r.body.data.ID as string, session: await loginAs(username, `${username}-password`) };
}

async function projectCount(): Promise<number> {
  return (await api("/proj/count", { headers: { sessionID: admin } })).body.data.count;
}

/** Moving the clock ends idle sessions: sign everyone in again. */
async function refreshSessions() {
  admin = await loginAs(ADMIN.username, ADMIN.password);
  alice.session = await loginAs("alice", "alice-password");
  bob.session = await loginAs("bob", "bob-password");
}

beforeAll(async () => {
  rt = await createTestRuntime();
  admin = await loginAs(ADMIN.username, ADMIN.password);
  alice = await createUser("alice");
  bob = await createUser("bob");
});
afterAll(() => rt.cleanup());

describe("login and sessions", () => {
  it("returns a sessionID, the userID and an httpOnly cookie", async () => {
    const r = await api("/login", { form: ADMIN });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ sessionID: expect.any(String), userID: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(r.headers.get("set-cookie")).toMatch(/^sessionID=[^;]+; Path=\/attask; HttpOnly; SameSite=Strict/);
  });

  it("refuses a wrong password, an unknown user and a missing username with 401", async () => {
    for (const form of [{ username: "alice", password: "nope-nope" }, { username: "ghost", password: "whatever1" }, { password: "x" }]) {
      const r = await api("/login", { form: form as Record<string, string> });
      expect(r.status).toBe(401);
      expect(r.body.error.class).toBe("com.attask.common.AuthenticationException");
    }
  });

  it("accepts the sessionID as header, parameter and cookie", async () => {
    const s = alice.session;
    expect((await api("/proj/count", { headers: { sessionID: s } })).status).toBe(200);
    expect((await api(`/proj/count?sessionID=${s}`)).status).toBe(200);
    expect((await api("/proj/count", { headers: { cookie: `other=1; sessionID=${s}` } })).status).toBe(200);
  });

  it("answers missing, unknown and expired sessions with the not-logged-in error", async () => {
    expect(await api("/proj/search").then((r) => [r.status, r.body])).toEqual([401, NOT_LOGGED_IN]);
    expect(await api("/proj/search", { headers: { sessionID: "x".repeat(32) } }).then((r) => [r.status, r.body])).toEqual([401, NOT_LOGGED_IN]);
    const s = await loginAs("bob", "bob-password");
    rt.clock.advance(rt.settings.sessionIdleMs + 1000);
    expect(await api("/proj/search", { headers: { sessionID: s } }).then((r) => r.status)).toBe(401);
    await refreshSessions();
  });

  it("keeps an active session alive past the idle limit as long as it is used", async () => {
    const s = await loginAs("alice", "alice-password");
    for (let i = 0; i < 3; i++) {
      rt.clock.advance(rt.settings.sessionIdleMs - 120_000);
      expect((await api("/proj/count", { headers: { sessionID: s } })).status).toBe(200);
    }
    await refreshSessions();
  });

  it("logout ends the session", async () => {
    const s = await loginAs("alice", "alice-password");
    expect((await api("/logout", { headers: { sessionID: s } })).body).toEqual({ data: { success: true } });
    expect((await api("/proj/count", { headers: { sessionID: s } })).status).toBe(401);
  });
});

describe("paths, object codes and method override", () => {
  it("serves every supported version prefix and refuses others", async () => {
    const h = { headers: { sessionID: admin } };
    for (const prefix of ["/attask/api/v2.0", "/attask/api/v22.0", "/attask/api-internal", "/attask/api-unsupported", "/attask/api"]) {
      expect((await api(`http://localhost:3000${prefix}/proj/count`, h)).status, prefix).toBe(200);
    }
    for (const prefix of ["/attask/api/v1.0", "/attask/api/v23.0", "/attask/apix"]) {
      const r = await api(`http://localhost:3000${prefix}/proj/count`, h);
      expect(r.status, prefix).toBe(404);
      expect(r.body.error.class).toBe("com.attask.common.NotFoundException");
    }
  });

  it("accepts object codes in any case and alias", async () => {
    for (const code of ["PROJ", "proj", "project", "Project", "USER", "user"]) {
      expect((await api(`/${code}/count`, { headers: { sessionID: admin } })).status, code).toBe(200);
    }
    expect((await api("/nope/count", { headers: { sessionID: admin } })).status).toBe(404);
  });

  it("honours method= from the query or the body, in any case", async () => {
    const created = await api("/proj?method=post&name=ViaGet", { headers: { sessionID: alice.session } });
    expect(created.status).toBe(200);
    const id = created.body.data.ID;
    const edited = await api(`/proj/${id}`, { headers: { sessionID: alice.session }, form: { method: "PUT", name: "ViaPost" } });
    expect(edited.body.data.name).toBe("ViaPost");
    const removed = await api(`/proj/${id}?method=DELETE`, { headers: { sessionID: alice.session } });
    expect(removed.body).toEqual({ data: { success: true } });
  });

  it("answers with and without a trailing slash", async () => {
    expect((await api("/proj/count/", { headers: { sessionID: admin } })).status).toBe(200);
  });
});

describe("PROJ create, get, edit, delete", () => {
  it("creates from a JSON body, updates= and field parameters", async () => {
    const h = { sessionID: alice.session };
    const a = await api("/proj?fields=priority", { headers: h, json: { name: "Json", priority: 3 } });
    expect(a.body.data).toEqual({ ID: expect.any(String), name: "Json", objCode: "PROJ", priority: 3 });
    const b = await api("/proj", { headers: h, form: { updates: JSON.stringify({ name: "Updates", status: "PLN" }), fields: "status" } });
    expect(b.body.data).toMatchObject({ name: "Updates", status: "PLN" });
    const c = await api("/proj", { headers: h, form: { name: "Fields", description: "d" } });
    expect(c.body.data).toMatchObject({ name: "Fields" });
    const got = await api(`/proj/${c.body.data.ID}?fields=description,ownerID`, { headers: h });
    expect(got.body.data).toEqual({ ID: c.body.data.ID, name: "Fields", description: "d", ownerID: alice.id, objCode: "PROJ" });
  });

  it("gets many by repeated id and by comma list, in the order asked", async () => {
    const h = { sessionID: alice.session };
    const x = (await api("/proj", { headers: h, json: { name: "X" } })).body.data.ID;
    const y = (await api("/proj", { headers: h, json: { name: "Y" } })).body.data.ID;
    expect((await api(`/proj?id=${y}&id=${x}`, { headers: h })).body.data.map((p: { name: string }) => p.name)).toEqual(["Y", "X"]);
    expect((await api(`/proj?id=${x},${y}`, { headers: h })).body.data.map((p: { name: string }) => p.name)).toEqual(["X", "Y"]);
  });

  it("lets a user edit and delete only their own projects; admins may edit any", async () => {
    const mine = (await api("/proj", { headers: { sessionID: alice.session }, json: { name: "Alice's" } })).body.data.ID;
    const edit = await api(`/proj/${mine}`, { method: "PUT", headers: { sessionID: bob.session }, json: { name: "Bob was here" } });
    expect(edit.status).toBe(403);
    expect(edit.body.error.class).toBe("com.attask.common.SecurityException");
    expect((await api(`/proj/${mine}`, { method: "DELETE", headers: { sessionID: bob.session } })).status).toBe(403);
    expect((await api(`/proj/${mine}`, { headers: { sessionID: bob.session } })).body.data.name).toBe("Alice's");
    const byAdmin = await api(`/proj/${mine}`, { method: "PUT", headers: { sessionID: admin }, json: { name: "Admin edit" } });
    expect(byAdmin.body.data.name).toBe("Admin edit");
  });

  it("does not let a non-admin give a project to someone else", async () => {
    const r = await api("/proj", { headers: { sessionID: bob.session }, json: { name: "Gift", ownerID: alice.id } });
    expect(r.status).toBe(403);
  });

  it("answers 404 for an unknown ID on get, edit and delete", async () => {
    const h = { sessionID: admin };
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await api("/proj/0123456789abcdef0123456789abcdef", { method, headers: h, ...(method === "PUT" ? { json: { name: "n" } } : {}) });
      expect(r.status, method).toBe(404);
    }
  });
});

describe("PROJ search", () => {
  beforeAll(async () => {
    const h = { sessionID: admin };
    for (let i = 1; i <= 12; i++) {
      await api("/proj", { headers: h, json: { name: `Search ${String(i).padStart(2, "0")}`, priority: i % 4, status: i % 2 ? "CUR" : "PLN", description: i === 5 ? null : `desc ${i}` } });
    }
  });
  const names = (r: { body: { data: { name: string }[] } }) => r.body.data.map((p) => p.name);
  const h = () => ({ headers: { sessionID: admin } });

  it("filters with _Mod operators", async () => {
    expect(names(await api("/proj/search?name=Search 0&name_Mod=startswith&priority=1&name_Sort=asc", h()))).toEqual(["Search 01", "Search 05", "Search 09"]);
    expect(names(await api("/proj/search?name=search 1&name_Mod=cicontains", h()))).toEqual(["Search 10", "Search 11", "Search 12"]);
    expect(names(await api("/proj/search?name=search 1&name_Mod=contains", h()))).toEqual([]);
    expect((await api("/proj/search?name=Search%&name_Mod=like&priority=2&priority_Mod=gte", h())).body.data).toHaveLength(6);
    expect(names(await api("/proj/search?name=Search%&name_Mod=like&priority=1&priority_Mod=between&priority_Range=2&status=CUR&status_Mod=ne", h()))).toEqual(["Search 02", "Search 06", "Search 10"]);
    expect(names(await api("/proj/search?name=Search 03&name=Search 04&name_Mod=in", h()))).toEqual(["Search 03", "Search 04"]);
    expect(names(await api("/proj/search?name=Search%&name_Mod=like&description_Mod=isnull", h()))).toEqual(["Search 05"]);
    expect((await api("/proj/search?name=Search%&name_Mod=like&priority=0&priority_Mod=notin&priority=1", h())).body.data).toHaveLength(6);
    expect((await api("/proj/search?name=Search&name_Mod=notcontains&priority=2", h())).body.data.map((p: { name: string }) => p.name)).not.toContain("Search 02");
    expect((await api("/proj/search?name=s%25 1_&name_Mod=cilike", h())).body.data).toHaveLength(3);
  });

  it("pages with $$LIMIT and $$FIRST and sorts", async () => {
    const page1 = names(await api("/proj/search?name=Search&name_Mod=startswith&name_Sort=desc&$$LIMIT=5", h()));
    const page2 = names(await api("/proj/search?name=Search&name_Mod=startswith&name_Sort=desc&$$LIMIT=5&$$FIRST=5", h()));
    expect(page1).toEqual(["Search 12", "Search 11", "Search 10", "Search 09", "Search 08"]);
    expect(page2).toEqual(["Search 07", "Search 06", "Search 05", "Search 04", "Search 03"]);
  });

  it("returns the default fields, chosen fields or all fields", async () => {
    const r = await api("/proj/search?name=Search 01", h());
    expect(Object.keys(r.body.data[0])).toEqual(["ID", "name", "objCode"]);
    const all = await api("/proj/search?name=Search 01&fields=*", h());
    expect(Object.keys(all.body.data[0])).toEqual(expect.arrayContaining(["priority", "status", "ownerID", "entryDate", "objCode"]));
  });

  it("counts with the same filters", async () => {
    expect((await api("/proj/count?name=Search&name_Mod=startswith&status=PLN", h())).body).toEqual({ data: { count: 6 } });
  });
});

describe("USER", () => {
  it("lets everyone search users and never shows password data", async () => {
    const r = await api("/user/search?fields=*", { headers: { sessionID: bob.session } });
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(r.body)).not.toMatch(/password_hash|passwordHash|scrypt/);
    expect(() => JSON.parse(JSON.stringify(r.body.data[0]))).not.toThrow();
    expect((await api("/user/search?passwordHash=x", { headers: { sessionID: bob.session } })).status).toBe(400);
  });

  it("refuses user writes by non-admins", async () => {
    expect((await api("/user", { headers: { sessionID: bob.session }, json: { username: "mallory", name: "M" } })).status).toBe(403);
    expect((await api(`/user/${alice.id}`, { method: "PUT", headers: { sessionID: bob.session }, json: { accessLevel: "admin" } })).status).toBe(403);
  });

  it("lets an admin create and edit users but not demote the last admin", async () => {
    const r = await api("/user", { headers: { sessionID: admin }, json: { username: "carol", name: "Carol", emailAddr: "carol@example.com" } });
    expect(r.status).toBe(200);
    const e = await api(`/user/${r.body.data.ID}?fields=emailAddr`, { method: "PUT", headers: { sessionID: admin }, json: { name: "Carol C" } });
    expect(e.body.data).toMatchObject({ name: "Carol C", emailAddr: "carol@example.com" });
    const me = (await api("/user/search?username=admin", { headers: { sessionID: admin } })).body.data[0].ID;
    const demote = await api(`/user/${me}`, { method: "PUT", headers: { sessionID: admin }, json: { accessLevel: "user" } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/last active System Administrator/);
    expect((await api("/user", { headers: { sessionID: admin }, json: { username: "carol", name: "Dup" } })).status).toBe(409);
  });

  it("logs user writes to the audit log", async () => {
    const events = await rt.store.audit.list({ action: "user.create", limit: 10 });
    expect(events.map((e) => e.details?.username)).toEqual(expect.arrayContaining(["alice", "bob", "carol"]));
  });
});

describe("bad input changes nothing", () => {
  it("malformed JSON, unknown object, huge $$LIMIT, unknown _Mod and wrong types are 400/404 JSON errors", async () => {
    const before = await projectCount();
    const h = { sessionID: admin };
    const cases: [string, Parameters<typeof api>[1], number][] = [
      ["/proj", { headers: { ...h, "content-type": "application/json" }, body: "{not json" }, 400],
      ["/proj", { headers: h, form: { updates: "{oops" } }, 400],
      ["/proj", { headers: h, json: ["array"] }, 400],
      ["/proj", { headers: h, json: { name: "x", nosuchfield: 1 } }, 400],
      ["/proj", { headers: h, json: { name: "x", priority: "high" } }, 400],
      ["/proj", { headers: h, json: { name: "x", status: "WAT" } }, 400],
      ["/proj", { headers: h, json: { priority: 1 } }, 400],
      ["/proj", { headers: h, json: { name: "x", ownerID: "nobody" } }, 400],
      ["/widget", { headers: h, json: { name: "x" } }, 404],
      ["/proj/search?$$LIMIT=100000", { headers: h }, 400],
      ["/proj/search?name=a&name_Mod=drop", { headers: h }, 400],
      ["/proj/search?name_Sort=up", { headers: h }, 400],
      ["/proj/search?priority=1&priority_Mod=between", { headers: h }, 400],
      ["/proj?method=PATCH", { headers: h }, 400],
      ["/proj", { method: "DELETE", headers: h }, 400],
    ];
    for (const [path, init, status] of cases) {
      const r = await api(path, init);
      expect(r.status, path).toBe(status);
      expect(r.body.error, path).toMatchObject({ class: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(r.body), path).not.toMatch(/at .*\.ts:\d+|node_modules/);
    }
    expect(await projectCount()).toBe(before);
  });

  it("refuses oversized queries quickly instead of tying up the server", async () => {
    const h = { sessionID: admin };
    const manyNames = Array.from({ length: 5000 }, (_, i) => `nAmE${i.toString(2).replace(/0/g, "a").replace(/1/g, "A")}=x`).join("&");
    const t = Date.now();
    const r1 = await api("/proj/search", { headers: { ...h, "content-type": "application/x-www-form-urlencoded" }, body: `method=GET&${manyNames}` });
    expect(r1.status).toBe(400);
    expect(r1.body.error.message).toMatch(/Too many parameters/);
    expect(Date.now() - t).toBeLessThan(2000);
    const variants = Array.from({ length: 51 }, (_, i) => [..."description"].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(""));
    const r2 = await api(`/proj/search?${variants.map((v) => `${v}=x`).join("&")}`, { headers: h });
    expect(r2.status).toBe(400);
    expect(r2.body.error.message).toBe("description is filtered more than once");
    const ids = Array.from({ length: 600 }, (_, i) => `id${i}`);
    const r3 = await api(`/proj/search?name=${ids.join("&name=")}&name_Mod=in&description=${ids.join("&description=")}&description_Mod=in`, { headers: h });
    expect(r3.status).toBe(400);
    expect(r3.body.error.message).toMatch(/At most 1000 filter values/);
  });

  it("refuses text patterns that would hold the server, with a 400 that says why, never a 500", async () => {
    const h = { sessionID: admin };
    const why = "description_Mod=cilike takes at most 255 characters, so that one search cannot hold the server";
    for (const n of [4_000, 60_000]) {
      const body = `method=GET&description_Mod=cilike&description=%25${"a".repeat(n)}b`;
      const r = await api("/proj/count", { headers: { ...h, "content-type": "application/x-www-form-urlencoded" }, body });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: { class: "java.lang.IllegalArgumentException", message: why, title: why } });
    }
    const wild = await api(`/proj/count?name=${"%25a".repeat(17)}&name_Mod=like`, { headers: h });
    expect(wild.status).toBe(400);
    expect(wild.body.error.message).toBe("name_Mod=like takes at most 16 % wildcards, so that one search cannot hold the server");
  });

  it("matches text filters exactly, whatever characters the pattern holds", async () => {
    const h = { sessionID: admin };
    const made = await api("/proj", { headers: h, json: { name: "Odd [a-z]* (x|y) 50% ÉTÉ_1", description: "line one\nline two" } });
    expect(made.status).toBe(200);
    const count = async (q: string) => ((await api(`/proj/count?${q}`, { headers: h })).body as { data: { count: number } }).data.count;
    expect(await count(`name=${encodeURIComponent("[a-z]* (x|y)")}&name_Mod=contains`)).toBe(1);
    expect(await count(`name=${encodeURIComponent("été")}&name_Mod=cicontains`)).toBe(1);
    expect(await count(`name=${encodeURIComponent("odd%51%")}&name_Mod=cilike`)).toBe(0);
    expect(await count(`name=${encodeURIComponent("odd%50%%_1")}&name_Mod=cilike`)).toBe(1);
    expect(await count(`name=${encodeURIComponent("Odd%_1")}&name_Mod=like`)).toBe(1);
    expect(await count(`name=${encodeURIComponent("odd%_1")}&name_Mod=like`)).toBe(0);
    expect(await count(`name=${encodeURIComponent("odd [A-Z]* (X|Y) 50% été_1")}&name_Mod=cieq`)).toBe(1);
    expect(await count(`name=${encodeURIComponent("été_1")}&name_Mod=ciendswith`)).toBe(1);
  });

  it("stores SQL-looking strings literally and searches them safely", async () => {
    const h = { sessionID: admin };
    const evil = "x'); DROP TABLE projects; --";
    const r = await api("/proj", { headers: h, json: { name: evil } });
    expect(r.body.data.name).toBe(evil);
    expect((await api(`/proj/search?name=${encodeURIComponent(evil)}`, { headers: h })).body.data).toHaveLength(1);
    expect((await api(`/proj/search?name=${encodeURIComponent("%' OR 1=1 --")}&name_Mod=cicontains`, { headers: h })).body.data).toEqual([]);
    expect((await api(`/proj/search?name=${encodeURIComponent("100%")}&name_Mod=contains`, { headers: h })).body.data).toEqual([]);
    expect(await projectCount()).toBeGreaterThan(0);
  });
});

describe("input handling details", () => {
  it("reads isActive as a strict boolean and refuses a password change by edit", async () => {
    const h = { sessionID: admin };
    const u = (await api("/user", { headers: h, json: { username: "dora", name: "Dora", password: "dora-password" } })).body.data.ID;
    expect((await api(`/user/${u}?isActive=1&fields=isActive`, { method: "PUT", headers: h })).body.data.isActive).toBe(true);
    expect((await api(`/user/${u}?isActive=TRUE&fields=isActive`, { method: "PUT", headers: h })).body.data.isActive).toBe(true);
    expect((await api(`/user/${u}?isActive=yes`, { method: "PUT", headers: h })).status).toBe(400);
    const pw = await api(`/user/${u}`, { method: "PUT", headers: h, json: { password: "another-password" } });
    expect(pw.status).toBe(400);
    expect((await api("/login", { form: { username: "dora", password: "dora-password" } })).status).toBe(200);
  });

  it("filters searches by ID and username", async () => {
    const h = { sessionID: admin };
    const id = (await api("/proj", { headers: h, json: { name: "ById" } })).body.data.ID;
    expect((await api(`/proj/search?ID=${id}`, { headers: h })).body.data.map((p: { ID: string }) => p.ID)).toEqual([id]);
    expect((await api(`/proj/count?ID=${id}&ID=nope&ID_Mod=in`, { headers: h })).body.data.count).toBe(1);
    expect((await api("/user/search?username=bob", { headers: h })).body.data.map((u: { name: string }) => u.name)).toEqual(["bob"]);
  });

  it("runs action= on an object ID", async () => {
    const key = (await api("/user?action=generateApiKey&method=PUT", { form: { username: "bob", password: "bob-password" } })).body.data.result;
    const r = await api(`/user/${bob.id}?action=clearApiKey`, { method: "PUT", headers: { sessionID: admin } });
    expect(r.body).toEqual({ data: { result: true } });
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(401);
  });

  it("accepts the credential inside a JSON body", async () => {
    const r = await api("/proj", { json: { name: "Body credential", sessionID: alice.session } });
    expect(r.status).toBe(200);
    expect(r.body.data.name).toBe("Body credential");
  });

  it("refuses dates outside what a date can hold, so stored rows always render", async () => {
    const h = { sessionID: admin };
    const r = await api("/proj", { headers: h, json: { name: "Far future", plannedStartDate: 1e17 } });
    expect(r.status).toBe(400);
    expect((await api("/proj/search?fields=*", { headers: h })).status).toBe(200);
  });

  it("needs X-Requested-With for a change authenticated only by the session cookie", async () => {
    const cookie = { cookie: `sessionID=${alice.session}` };
    expect((await api("/proj/count", { headers: cookie })).status).toBe(200);
    const refused = await api("/proj?method=POST&name=CSRF", { headers: cookie });
    expect(refused.status).toBe(403);
    expect((await api("/proj/count?name=CSRF", { headers: { sessionID: admin } })).body.data.count).toBe(0);
    const allowed = await api("/proj", { headers: { ...cookie, "x-requested-with": "XMLHttpRequest" }, json: { name: "Scripted" } });
    expect(allowed.status).toBe(200);
  });
});
