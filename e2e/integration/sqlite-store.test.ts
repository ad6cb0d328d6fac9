import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(() => rt.cleanup());

const event = (action: string, actorName = "tester") => ({ at: rt.clock.now(), actorId: null, actorName, action });

describe("SQLite store", () => {
  it("treats % and _ in search text literally", async () => {
    expect((await rt.store.users.list({ search: "%", limit: 10, offset: 0 })).total).toBe(0);
    expect((await rt.store.users.list({ search: "_", limit: 10, offset: 0 })).total).toBe(0);
    expect((await rt.store.users.list({ search: "adm", limit: 10, offset: 0 })).total).toBe(1);
  });

  it("filters audit actions exactly or by a literal prefix, and actors by literal substring", async () => {
    for (const a of ["api_key.remove", "apiXkey.remove", "API_KEY.REMOVE"]) await rt.store.audit.append(event(a, "50%_off"));
    expect((await rt.store.audit.list({ action: "api_key.*", limit: 10 })).map((e) => e.action)).toEqual(["api_key.remove"]);
    expect((await rt.store.audit.list({ action: "api_key.remove", limit: 10 })).map((e) => e.action)).toEqual(["api_key.remove"]);
    expect((await rt.store.audit.list({ actor: "0%_", limit: 10 })).length).toBe(3);
    expect((await rt.store.audit.list({ actor: "5_%", limit: 10 })).length).toBe(0);
  });

  it("rolls a failed transaction back completely, audit row included", async () => {
    const before = (await rt.store.audit.list({ limit: 1000 })).length;
    await expect(
      rt.store.transaction(async (tx) => {
        await tx.audit.append(event("test.rollback"));
        await tx.settings.update({ ssoOnly: true, ssoType: "saml2" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await rt.store.audit.list({ limit: 1000 })).length).toBe(before);
    expect((await rt.store.settings.get()).ssoOnly).toBe(false);
  });

  it("keeps other requests' statements out of an open transaction", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = rt.store.transaction(async (t) => {
      await t.audit.append(event("test.inside"));
      await gate; // a transaction that waits (it should not, but must still be isolated)
      throw new Error("abort");
    });
    const outside = rt.store.audit.append(event("test.outside"));
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(tx).rejects.toThrow("abort");
    await outside;
    const actions = (await rt.store.audit.list({ action: "test.*", limit: 10 })).map((e) => e.action);
    expect(actions).toContain("test.outside");
    expect(actions).not.toContain("test.inside");
  });
});

/** A request from a client always starts on a later turn of the event loop than another process's write. */
const nextTurn = () => new Promise((r) => setImmediate(r));

describe("read cache", () => {
  it("sees revocations and deactivations written by another process at once", async () => {
    const key = (await api("/user?action=generateApiKey&method=PUT", { form: ADMIN })).body.data.result;
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(200);
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(200); // now served from memory

    const other = new Database(path.join(rt.dir, "keyward.db"));
    other.prepare("DELETE FROM api_keys").run();
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: key } })).status).toBe(401);

    const again = (await api("/user?action=generateApiKey&method=PUT", { form: ADMIN })).body.data.result;
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(200);
    other.prepare("UPDATE instance_settings SET api_key_expiry = '1m', api_key_expiry_changed_at = ?").run(rt.clock.now() - 40 * 86_400_000);
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(200);
    other.prepare("UPDATE users SET is_active = 0 WHERE username = ?").run(ADMIN.username);
    await nextTurn();
    expect((await api("/proj/count", { headers: { apiKey: again } })).status).toBe(401);
    other.prepare("UPDATE users SET is_active = 1 WHERE username = ?").run(ADMIN.username);
    other.close();
  });

  it("hands out frozen copies that callers cannot change", async () => {
    const s = await rt.store.settings.get();
    expect(Object.isFrozen(s)).toBe(true);
    expect(() => {
      (s as { ssoOnly: boolean }).ssoOnly = true;
    }).toThrow(TypeError);
    expect((await rt.store.settings.get()).ssoOnly).toBe(false);
  });
});
