/**
 * A user's password date and last sign-in time are visible to administrators and to that user only:
 * not in other users' rows, and not through filters, sorting or counts that would reveal them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, createTestRuntime, loginAs, type TestRuntime } from "../../lib/testing/runtime";

type Row = Record<string, unknown> & { ID: string };
type Answer = Awaited<ReturnType<typeof api>>;

// lastUpdateDate moves with every sign-in, so it would reveal lastLoginDate.
const PRIVATE_FIELDS = ["passwordDate", "lastLoginDate", "lastUpdateDate"] as const;
const MINUTE = 60_000;

let rt: TestRuntime;
let admin: string;
let adminId: string;
let alice: { id: string; session: string };
let bob: { id: string; passwordDate: string; lastLoginDate: string };
let carolId: string;

const iso = (ms: number) => new Date(ms).toISOString();

async function createUser(username: string): Promise<string> {
  const r = await api("/user", { headers: { sessionID: admin }, json: { username, name: username, password: `${username}-password` } });
  expect(r.status).toBe(200);
  return r.body.data.ID as string;
}

function withoutPrivateFields(row: Row): Row {
  const copy: Row = { ...row };
  for (const f of PRIVATE_FIELDS) delete copy[f];
  return copy;
}

/** What a non-admin may see of a row the administrator sees in full. */
function visibleTo(viewerId: string, row: Row): Row {
  return row.ID === viewerId ? row : withoutPrivateFields(row);
}

async function asAdmin(path: string): Promise<Answer> {
  const r = await api(path, { headers: { sessionID: admin } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r;
}

function asAlice(path: string): Promise<Answer> {
  return api(path, { headers: { sessionID: alice.session } });
}

function expectRefusal(r: Answer): void {
  expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
  expect(r.body).toEqual({ error: { class: expect.any(String), message: expect.any(String), title: expect.any(String) } });
}

beforeAll(async () => {
  rt = await createTestRuntime();
  admin = await loginAs(ADMIN.username, ADMIN.password);
  adminId = (await asAdmin("/user/search?username=admin")).body.data[0].ID;
  // Distinct times for every password and sign-in, so any leak of one would be recognisable.
  rt.clock.advance(MINUTE);
  const aliceId = await createUser("alice");
  rt.clock.advance(MINUTE);
  const bobCreatedAt = rt.clock.now();
  const bobId = await createUser("bob");
  rt.clock.advance(MINUTE);
  carolId = await createUser("carol");
  rt.clock.advance(MINUTE);
  alice = { id: aliceId, session: await loginAs("alice", "alice-password") };
  rt.clock.advance(MINUTE);
  const bobLoginAt = rt.clock.now();
  await loginAs("bob", "bob-password");
  rt.clock.advance(MINUTE);
  bob = { id: bobId, passwordDate: iso(bobCreatedAt), lastLoginDate: iso(bobLoginAt) };
});
afterAll(() => rt.cleanup());

describe("an administrator", () => {
  it("sees the password date and last sign-in of every user in a fields=* search", async () => {
    const rows: Row[] = (await asAdmin("/user/search?fields=*&username_Sort=asc")).body.data;
    expect(rows.map((r) => r.username)).toEqual(["admin", "alice", "bob", "carol"]);
    for (const row of rows) expect(Object.keys(row), String(row.username)).toEqual(expect.arrayContaining([...PRIVATE_FIELDS]));
    expect(rows.find((r) => r.ID === bob.id)).toMatchObject({ passwordDate: bob.passwordDate, lastLoginDate: bob.lastLoginDate });
    expect(rows.find((r) => r.ID === carolId)).toMatchObject({ passwordDate: expect.any(String), lastLoginDate: null });
    expect(rows.find((r) => r.ID === adminId)).toMatchObject({ passwordDate: expect.any(String), lastLoginDate: expect.any(String) });
  });

  it("sees them when asking for one other user by ID", async () => {
    const r = await asAdmin(`/user/${bob.id}?fields=passwordDate,lastLoginDate`);
    expect(r.body).toEqual({ data: { ID: bob.id, name: "bob", passwordDate: bob.passwordDate, lastLoginDate: bob.lastLoginDate, objCode: "USER" } });
  });

  it("can filter and sort on them", async () => {
    const r = await asAdmin(`/user/search?lastLoginDate=${encodeURIComponent(bob.lastLoginDate)}&lastLoginDate_Mod=eq`);
    expect(r.body.data.map((u: Row) => u.ID)).toEqual([bob.id]);
    const sorted = await asAdmin("/user/search?lastLoginDate_Mod=notnull&lastLoginDate_Sort=desc");
    expect(sorted.body.data.map((u: Row) => u.ID)).toEqual([bob.id, alice.id, adminId]);
  });
});

describe("a non-admin reading users", () => {
  it("gets a fields=* search with other users' password date and last sign-in left out and their own kept", async () => {
    const all: Row[] = (await asAdmin("/user/search?fields=*&username_Sort=asc")).body.data;
    const r = await asAlice("/user/search?fields=*&username_Sort=asc");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ data: all.map((row) => visibleTo(alice.id, row)) });
    const own = r.body.data.find((row: Row) => row.ID === alice.id);
    expect(own).toMatchObject({ passwordDate: expect.any(String), lastLoginDate: expect.any(String) });
  });

  it("never sees another user's password date or last sign-in when asking for them by name in a search", async () => {
    const all: Row[] = (await asAdmin("/user/search?fields=passwordDate,lastLoginDate&username_Sort=asc")).body.data;
    const r = await asAlice("/user/search?fields=passwordDate,lastLoginDate&username_Sort=asc");
    if (r.status >= 400) {
      expectRefusal(r);
      return;
    }
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: all.map((row) => visibleTo(alice.id, row)) });
  });

  it("gets GET /user/<other ID>?fields=* without the other user's password date and last sign-in", async () => {
    const full: Row = (await asAdmin(`/user/${bob.id}?fields=*`)).body.data;
    const r = await asAlice(`/user/${bob.id}?fields=*`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ data: withoutPrivateFields(full) });
  });

  it.each(["passwordDate", "lastLoginDate", "passwordDate,lastLoginDate", "PASSWORDDATE", "lastlogindate"])(
    "never sees another user's private field through GET /user/<other ID>?fields=%s",
    async (fields) => {
      const r = await asAlice(`/user/${bob.id}?fields=${fields}`);
      if (r.status >= 400) {
        expectRefusal(r);
        return;
      }
      expect(r.body).toEqual({ data: { ID: bob.id, name: "bob", objCode: "USER" } });
    },
  );

  it("gets GET /user?id=<other>,<own>&fields=* with only their own private fields", async () => {
    const both: Row[] = (await asAdmin(`/user?id=${bob.id},${alice.id}&fields=*`)).body.data;
    const r = await asAlice(`/user?id=${bob.id},${alice.id}&fields=*`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ data: both.map((row) => visibleTo(alice.id, row)) });
  });

  it("sees their own password date and last sign-in when asking for their own user", async () => {
    const full: Row = (await asAdmin(`/user/${alice.id}?fields=*`)).body.data;
    expect((await asAlice(`/user/${alice.id}?fields=*`)).body).toEqual({ data: full });
    const r = await asAlice(`/user/${alice.id}?fields=passwordDate,lastLoginDate`);
    expect(r.body).toEqual({
      data: { ID: alice.id, name: "alice", passwordDate: full.passwordDate, lastLoginDate: full.lastLoginDate, objCode: "USER" },
    });
  });
});

describe("a non-admin filtering, sorting or counting on private fields", () => {
  /**
   * Each query either is refused or finds at most the caller's own row (`own`: whether that row
   * matches). `<bob...>` stands for another user's actual values.
   */
  const SEARCHES: { label: string; query: () => string; own: boolean; sortOnly?: boolean }[] = [
    { label: "passwordDate_Mod=notnull", query: () => "passwordDate_Mod=notnull", own: true },
    { label: "lastLoginDate_Mod=notnull", query: () => "lastLoginDate_Mod=notnull", own: true },
    { label: "lastlogindate_Mod=notnull", query: () => "lastlogindate_Mod=notnull", own: true },
    { label: "lastLoginDate_Mod=isnull", query: () => "lastLoginDate_Mod=isnull", own: false },
    { label: "lastLoginDate_Sort=desc", query: () => "lastLoginDate_Sort=desc", own: true, sortOnly: true },
    { label: "LASTLOGINDATE_Sort=desc", query: () => "LASTLOGINDATE_Sort=desc", own: true, sortOnly: true },
    { label: "passwordDate_Sort=asc", query: () => "passwordDate_Sort=asc", own: true, sortOnly: true },
    { label: "name_Sort=asc&lastLoginDate_1_Sort=desc", query: () => "name_Sort=asc&lastLoginDate_1_Sort=desc", own: true, sortOnly: true },
    {
      label: "lastLoginDate=<bob's>&lastLoginDate_Mod=eq",
      query: () => `lastLoginDate=${encodeURIComponent(bob.lastLoginDate)}&lastLoginDate_Mod=eq`,
      own: false,
    },
    {
      label: "passwordDate=<bob's>&passwordDate_Mod=eq",
      query: () => `passwordDate=${encodeURIComponent(bob.passwordDate)}&passwordDate_Mod=eq`,
      own: false,
    },
    {
      label: "lastLoginDate=<bob's>&lastLoginDate_Mod=gte",
      query: () => `lastLoginDate=${encodeURIComponent(bob.lastLoginDate)}&lastLoginDate_Mod=gte`,
      own: false,
    },
    {
      label: "lastLoginDate=<bob's - 1s>&lastLoginDate_Mod=between&lastLoginDate_Range=<bob's + 1s>",
      query: () =>
        `lastLoginDate=${encodeURIComponent(iso(Date.parse(bob.lastLoginDate) - 1000))}&lastLoginDate_Mod=between&lastLoginDate_Range=${encodeURIComponent(iso(Date.parse(bob.lastLoginDate) + 1000))}`,
      own: false,
    },
    { label: "username=bob&lastLoginDate_Mod=notnull", query: () => "username=bob&lastLoginDate_Mod=notnull", own: false },
    { label: "username=carol&lastLoginDate_Mod=isnull", query: () => "username=carol&lastLoginDate_Mod=isnull", own: false },
    { label: "ID=<bob's>&passwordDate_Mod=notnull", query: () => `ID=${bob.id}&passwordDate_Mod=notnull`, own: false },
  ];

  it.each(SEARCHES.map((s) => [`user/search?${s.label} is refused or finds only the caller's own row`, s] as const))(
    "%s",
    async (_title, { query, own }) => {
      const q = query();
      const r = await asAlice(`/user/search?${q}`);
      if (r.status >= 400) {
        expectRefusal(r);
        return;
      }
      expect(r.status, q).toBe(200);
      expect(r.body.data.map((u: Row) => u.ID), q).toEqual(own ? [alice.id] : []);
    },
  );

  // A count ignores sorting, so only the filters can reveal anything there.
  it.each(SEARCHES.filter((s) => !s.sortOnly).map((s) => [`user/count?${s.label} is refused or counts only the caller's own row`, s] as const))(
    "%s",
    async (_title, { query, own }) => {
      const q = query();
      const r = await asAlice(`/user/count?${q}`);
      if (r.status >= 400) {
        expectRefusal(r);
        return;
      }
      expect(r.body, q).toEqual({ data: { count: own ? 1 : 0 } });
    },
  );
});
