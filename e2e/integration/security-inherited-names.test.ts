/**
 * Inherited JavaScript property names (`constructor`, `__proto__`, `toString`, ...) sent in every
 * position of every REST route must be treated as the unknown names they are: a 4xx error envelope,
 * never a 5xx, never a success, and never any part of the runtime (settings, keys, store) in the body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";
import { INHERITED_NAMES } from "../../lib/testing/inherited-names";

type Role = "non-admin" | "admin";
type Init = NonNullable<Parameters<typeof api>[1]>;

interface Fixture {
  ninaId: string;
  victorId: string;
  projectId: string;
}

interface Probe {
  /** Shown in the test name, with `<...>` standing for fixture IDs. */
  label: string;
  path: (fx: Fixture) => string;
  init?: (fx: Fixture) => Omit<Init, "headers">;
  /** Acceptable statuses by role. */
  expected: Record<Role, readonly number[]>;
}

interface Case {
  title: string;
  role: Role;
  probe: Probe;
}

const ERROR_CLASS: Record<number, string> = {
  400: "java.lang.IllegalArgumentException",
  401: "com.attask.common.AuthenticationException",
  403: "com.attask.common.SecurityException",
  404: "com.attask.common.NotFoundException",
  409: "com.attask.common.ConflictException",
  429: "com.attask.common.AuthenticationException",
};

/** Keys of the runtime and its parts; none of them belongs in an API answer. */
const RUNTIME_KEYS = /"(rt|keys|settings|store|lookup|encryption|cookie|adminPassword|databasePath|clock|bootstrap|customerId|meta|actor)"\s*:/;
/** Traces of a JavaScript value or failure rendered into a message. */
const INTERNALS = /function |\[native code\]|\[object |TypeError|ReferenceError|is not a function|Cannot read|Cannot convert|undefined|at .*\.[tj]s:\d+|node_modules/;

const both = (...statuses: number[]) => ({ "non-admin": statuses, admin: statuses });
/** A write to USER: refused by permission for a non-admin, refused by validation for an admin. */
const userWrite = { "non-admin": [403], admin: [400] };

let counter = 0;
/** A fresh username, so a create that wrongly succeeds never turns a later case into a 409. */
const freshUsername = () => `probe${++counter}`;

/** A JSON body sent as written, so keys such as `__proto__` reach the server exactly as given. */
const rawJson = (body: string): { body: string } => ({ body });

function probesFor(n: string): Probe[] {
  const q = encodeURIComponent(n);
  const key = JSON.stringify(n);
  return [
    // Object code.
    { label: `GET /${n}/search`, path: () => `/${q}/search`, expected: both(404) },
    { label: `GET /${n}/count`, path: () => `/${q}/count`, expected: both(404) },
    { label: `GET /${n}/metadata`, path: () => `/${q}/metadata`, expected: both(404) },
    { label: `GET /${n}/<projId>`, path: (fx) => `/${q}/${fx.projectId}`, expected: both(404) },
    { label: `GET /${n}?id=<projId>`, path: (fx) => `/${q}?id=${fx.projectId}`, expected: both(404) },
    { label: `POST /${n}`, path: () => `/${q}`, init: () => ({ json: { name: "x" } }), expected: both(404) },
    { label: `PUT /${n}/<projId>`, path: (fx) => `/${q}/${fx.projectId}`, init: () => ({ method: "PUT", json: { name: "x" } }), expected: both(404) },
    { label: `PUT /${n}?action=getApiKey`, path: () => `/${q}?action=getApiKey`, init: () => ({ method: "PUT" }), expected: both(404) },

    // Action, as a path segment and as action=.
    { label: `PUT /user/${n}`, path: () => `/user/${q}`, init: () => ({ method: "PUT" }), expected: { "non-admin": [400, 403], admin: [400, 404] } },
    { label: `POST /user/${n}`, path: () => `/user/${q}`, init: () => ({ method: "POST" }), expected: both(400) },
    { label: `GET /user/${n}`, path: () => `/user/${q}`, expected: both(400, 404) },
    { label: `DELETE /user/${n}`, path: () => `/user/${q}`, init: () => ({ method: "DELETE" }), expected: both(400, 403, 404) },
    { label: `PUT /user?method=PUT&action=${n}`, path: () => `/user?method=PUT&action=${q}`, expected: both(400) },
    { label: `POST /user?action=${n}`, path: () => `/user?action=${q}`, init: () => ({ method: "POST" }), expected: both(400) },
    { label: `PUT /user/<ninaId>/${n}`, path: (fx) => `/user/${fx.ninaId}/${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    { label: `PUT /user/<ninaId>?action=${n}`, path: (fx) => `/user/${fx.ninaId}?action=${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    { label: `PUT /user/search/${n}`, path: () => `/user/search/${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    { label: `PUT /proj?action=${n}`, path: () => `/proj?action=${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    { label: `PUT /proj/${n}`, path: () => `/proj/${q}`, init: () => ({ method: "PUT", json: { name: "x" } }), expected: both(404) },
    { label: `PUT /proj/<projId>/${n}`, path: (fx) => `/proj/${fx.projectId}/${q}`, init: () => ({ method: "PUT" }), expected: both(400) },

    // Object ID.
    { label: `GET /proj/${n}`, path: () => `/proj/${q}`, expected: both(404) },
    { label: `GET /proj?id=${n}`, path: () => `/proj?id=${q}`, expected: both(404) },
    { label: `DELETE /proj/${n}`, path: () => `/proj/${q}`, init: () => ({ method: "DELETE" }), expected: both(404) },

    // Search filters, operators, sorting, paging and fields.
    { label: `GET /proj/search?${n}=x`, path: () => `/proj/search?${q}=x`, expected: both(400) },
    { label: `GET /proj/count?${n}=x`, path: () => `/proj/count?${q}=x`, expected: both(400) },
    { label: `GET /user/search?${n}=x`, path: () => `/user/search?${q}=x`, expected: both(400) },
    { label: `GET /proj/search?name=x&name_Mod=${n}`, path: () => `/proj/search?name=x&name_Mod=${q}`, expected: both(400) },
    { label: `GET /user/count?username=x&username_Mod=${n}`, path: () => `/user/count?username=x&username_Mod=${q}`, expected: both(400) },
    { label: `GET /proj/search?${n}_Mod=eq`, path: () => `/proj/search?${q}_Mod=eq`, expected: both(400) },
    { label: `GET /proj/search?${n}=x&${n}_Mod=eq`, path: () => `/proj/search?${q}=x&${q}_Mod=eq`, expected: both(400) },
    { label: `GET /proj/search?${n}_Mod=isnull`, path: () => `/proj/search?${q}_Mod=isnull`, expected: both(400) },
    { label: `GET /proj/search?${n}_Range=x`, path: () => `/proj/search?${q}_Range=x`, expected: both(400) },
    { label: `GET /proj/search?priority=1&priority_Mod=between&priority_Range=${n}`, path: () => `/proj/search?priority=1&priority_Mod=between&priority_Range=${q}`, expected: both(400) },
    { label: `GET /proj/search?${n}_Sort=asc`, path: () => `/proj/search?${q}_Sort=asc`, expected: both(400) },
    { label: `GET /proj/search?${n}_1_Sort=desc`, path: () => `/proj/search?${q}_1_Sort=desc`, expected: both(400) },
    { label: `GET /proj/search?name_Sort=${n}`, path: () => `/proj/search?name_Sort=${q}`, expected: both(400) },
    { label: `GET /proj/search?$$LIMIT=${n}`, path: () => `/proj/search?$$LIMIT=${q}`, expected: both(400) },
    { label: `GET /proj/search?$$FIRST=${n}`, path: () => `/proj/search?$$FIRST=${q}`, expected: both(400) },
    { label: `GET /proj/search?fields=${n}`, path: () => `/proj/search?fields=${q}`, expected: both(400) },
    { label: `GET /user/search?fields=name,${n}`, path: () => `/user/search?fields=name,${q}`, expected: both(400) },
    { label: `GET /proj/<projId>?fields=${n}`, path: (fx) => `/proj/${fx.projectId}?fields=${q}`, expected: both(400) },
    { label: `GET /user/<ninaId>?fields=${n}`, path: (fx) => `/user/${fx.ninaId}?fields=${q}`, expected: both(400) },
    { label: `GET /proj?id=<projId>&fields=${n}`, path: (fx) => `/proj?id=${fx.projectId}&fields=${q}`, expected: both(400) },
    { label: `GET /proj/search?method=${n}`, path: () => `/proj/search?method=${q}`, expected: both(400) },
    { label: `POST /proj form method=${n}`, path: () => `/proj`, init: () => ({ form: { method: n, name: "x" } }), expected: both(400) },

    // Parameter names and values of creates and edits.
    { label: `POST /proj JSON {"name":"x",${key}:"x"}`, path: () => `/proj`, init: () => rawJson(`{"name":"x",${key}:"x"}`), expected: both(400) },
    { label: `POST /proj JSON {"name":"x",${key}:{"ownerID":<victorId>}}`, path: () => `/proj`, init: (fx) => rawJson(`{"name":"x",${key}:{"ownerID":"${fx.victorId}"}}`), expected: both(400) },
    { label: `PUT /proj/<projId> JSON {${key}:"x"}`, path: (fx) => `/proj/${fx.projectId}`, init: () => ({ method: "PUT", ...rawJson(`{${key}:"x"}`) }), expected: both(400) },
    { label: `POST /proj updates={"name":"x",${key}:1}`, path: () => `/proj`, init: () => ({ form: { updates: `{"name":"x",${key}:1}` } }), expected: both(400) },
    { label: `PUT /proj/<projId> updates={${key}:1}`, path: (fx) => `/proj/${fx.projectId}`, init: () => ({ method: "PUT", form: { updates: `{${key}:1}` } }), expected: both(400) },
    { label: `POST /proj form ${n}=x`, path: () => `/proj`, init: () => ({ form: { name: "x", [n]: "x" } }), expected: both(400) },
    { label: `PUT /proj/<projId>?status=${n}`, path: (fx) => `/proj/${fx.projectId}?status=${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    { label: `PUT /proj/<projId>?priority=${n}`, path: (fx) => `/proj/${fx.projectId}?priority=${q}`, init: () => ({ method: "PUT" }), expected: both(400) },
    {
      label: `POST /user JSON {username,name,password,${key}:"x"}`,
      path: () => `/user`,
      init: () => rawJson(`{"username":"${freshUsername()}","name":"Probe","password":"probe-password-1",${key}:"x"}`),
      expected: userWrite,
    },
    {
      label: `POST /user JSON {username,name,password,${key}:{"accessLevel":"admin"}}`,
      path: () => `/user`,
      init: () => rawJson(`{"username":"${freshUsername()}","name":"Probe","password":"probe-password-1",${key}:{"accessLevel":"admin"}}`),
      expected: userWrite,
    },
    { label: `PUT /user/<victorId> JSON {${key}:"x"}`, path: (fx) => `/user/${fx.victorId}`, init: () => ({ method: "PUT", ...rawJson(`{${key}:"x"}`) }), expected: userWrite },
    {
      label: `PUT /user/<ninaId> JSON {${key}:{"accessLevel":"admin"}}`,
      path: (fx) => `/user/${fx.ninaId}`,
      init: () => ({ method: "PUT", ...rawJson(`{${key}:{"accessLevel":"admin"}}`) }),
      expected: userWrite,
    },
    { label: `PUT /user/<victorId> updates={${key}:1}`, path: (fx) => `/user/${fx.victorId}`, init: () => ({ method: "PUT", form: { updates: `{${key}:1}` } }), expected: userWrite },
    { label: `PUT /user/<victorId> form ${n}=x`, path: (fx) => `/user/${fx.victorId}`, init: () => ({ method: "PUT", form: { [n]: "x" } }), expected: userWrite },
    {
      label: `POST /user form username,name,${n}=x`,
      path: () => `/user`,
      init: () => ({ form: { username: freshUsername(), name: "Probe", password: "probe-password-1", [n]: "x" } }),
      expected: userWrite,
    },
    { label: `PUT /user/<victorId>?isActive=${n}`, path: (fx) => `/user/${fx.victorId}?isActive=${q}`, init: () => ({ method: "PUT" }), expected: userWrite },
    {
      label: `POST /user JSON {username,name,isActive:${key}}`,
      path: () => `/user`,
      init: () => ({ json: { username: freshUsername(), name: "Probe", password: "probe-password-1", isActive: n } }),
      expected: userWrite,
    },
    { label: `PUT /user/<victorId>?accessLevel=${n}`, path: (fx) => `/user/${fx.victorId}?accessLevel=${q}`, init: () => ({ method: "PUT" }), expected: userWrite },
    {
      label: `POST /user JSON {username,name,accessLevel:${key}}`,
      path: () => `/user`,
      init: () => ({ json: { username: freshUsername(), name: "Probe", password: "probe-password-1", accessLevel: n } }),
      expected: userWrite,
    },
  ];
}

const ROLES: Role[] = ["non-admin", "admin"];
const CASES: Case[] = INHERITED_NAMES.flatMap((n) =>
  probesFor(n).flatMap((probe) =>
    ROLES.map((role) => ({ title: `as ${role}: ${probe.label} -> ${probe.expected[role].join(" or ")}`, role, probe })),
  ),
);

let rt: TestRuntime;
let admin: string;
let nina: { id: string; session: string };
let victorId: string;
let fx: Fixture;
let before: { users: unknown; projects: unknown };

async function createUser(username: string): Promise<string> {
  const r = await api("/user", { headers: { sessionID: admin }, json: { username, name: username, password: `${username}-password` } });
  expect(r.status).toBe(200);
  return r.body.data.ID as string;
}

/** Everything the API shows about users and projects, as an administrator sees it. */
async function snapshot(): Promise<{ users: unknown; projects: unknown }> {
  const h = { headers: { sessionID: admin } };
  const users = await api("/user/search?fields=*&ID_Sort=asc&$$LIMIT=2000", h);
  const projects = await api("/proj/search?fields=*&ID_Sort=asc&$$LIMIT=2000", h);
  expect([users.status, projects.status]).toEqual([200, 200]);
  return { users: users.body, projects: projects.body };
}

function sessionFor(role: Role): string {
  return role === "admin" ? admin : nina.session;
}

/** The answer is a 4xx error envelope of the expected kind, with nothing of the runtime in it. */
function expectCleanRefusal(r: Awaited<ReturnType<typeof api>>, allowed: readonly number[]): void {
  const text = JSON.stringify(r.body);
  expect(r.status, text).toBeLessThan(500);
  expect(r.status, text).toBeGreaterThanOrEqual(400);
  expect([...allowed, 429], text).toContain(r.status);
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  expect(r.body).toEqual({ error: { class: ERROR_CLASS[r.status], message: expect.any(String), title: expect.any(String) } });
  expect(r.body.error.message).not.toMatch(INTERNALS);
  expect(text).not.toMatch(RUNTIME_KEYS);
  expect(text).not.toContain(ADMIN.password);
  expect(text).not.toContain(rt.settings.databasePath);
  expect(text).not.toContain(rt.dir);
  expect(text).not.toContain('"type":"Buffer"');
}

beforeAll(async () => {
  rt = await createTestRuntime();
  admin = await loginAs(ADMIN.username, ADMIN.password);
  const ninaId = await createUser("nina");
  nina = { id: ninaId, session: await loginAs("nina", "nina-password") };
  victorId = await createUser("victor");
  const project = await api("/proj", { headers: { sessionID: nina.session }, json: { name: "Nina's project" } });
  expect(project.status).toBe(200);
  fx = { ninaId, victorId, projectId: project.body.data.ID as string };
  before = await snapshot();
});
afterAll(() => rt.cleanup());

describe("the original finding: an inherited name as a user action", () => {
  it("PUT /attask/api/v15.0/user/constructor with a non-admin's sessionID is refused and shows nothing of the runtime", async () => {
    const r = await api("http://localhost:3000/attask/api/v15.0/user/constructor", { method: "PUT", headers: { sessionID: nina.session } });
    expect(r.status).not.toBe(200);
    expect(JSON.stringify(r.body)).not.toContain('"rt"');
    expectCleanRefusal(r, [400, 403]);
  });

  it("PUT /user/<own ID>/constructor with a non-admin's sessionID is refused as an unknown action", async () => {
    const r = await api(`/user/${nina.id}/constructor`, { method: "PUT", headers: { sessionID: nina.session } });
    expect(r.status).toBe(400);
    expectCleanRefusal(r, [400]);
  });
});

describe("inherited property names in every position of every route", () => {
  it.each(CASES.map((c) => [c.title, c] as const))("%s", async (_title, { role, probe }) => {
    const init = probe.init?.(fx) ?? {};
    const headers: Record<string, string> = { sessionID: sessionFor(role) };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const r = await api(probe.path(fx), { ...init, headers });
    expectCleanRefusal(r, probe.expected[role]);
  });
});

describe("nothing changed", () => {
  it("a non-admin's __proto__ JSON edit of their own user leaves them a non-admin", async () => {
    const attempt = await api(`/user/${nina.id}`, { method: "PUT", headers: { sessionID: nina.session, "content-type": "application/json" }, body: '{"__proto__":{"accessLevel":"admin"}}' });
    expectCleanRefusal(attempt, [400, 403]);
    const updates = await api(`/user/${nina.id}`, { method: "PUT", headers: { sessionID: nina.session }, form: { updates: '{"__proto__":{"accessLevel":"admin"}}' } });
    expectCleanRefusal(updates, [400, 403]);
    const r = await api(`/user/${nina.id}?fields=accessLevel`, { headers: { sessionID: admin } });
    expect(r.body).toEqual({ data: { ID: nina.id, name: "nina", accessLevel: "user", objCode: "USER" } });
  });

  it("an admin's __proto__ JSON create is refused and creates no administrator", async () => {
    const attempt = await api("/user", { headers: { sessionID: admin, "content-type": "application/json" }, body: '{"username":"protoadmin","name":"Proto","password":"proto-password-1","__proto__":{"accessLevel":"admin"}}' });
    expectCleanRefusal(attempt, [400]);
    const found = await api("/user/search?username=protoadmin&fields=accessLevel", { headers: { sessionID: admin } });
    expect(found.body).toEqual({ data: [] });
  });

  it("no user or project was created or changed by any of the refused requests", async () => {
    expect(await snapshot()).toEqual(before);
  });
});

describe("an inherited name as an action authenticated by username and password", () => {
  // Runs last: a correct password records a sign-in, which the snapshot above would count as a change.
  it("PUT /user?action=constructor with a non-admin's username and password is refused as an unknown action", async () => {
    const r = await api("/user?action=constructor&method=PUT", { form: { username: "nina", password: "nina-password" } });
    expect(r.status).toBe(400);
    expectCleanRefusal(r, [400]);
  });
});
