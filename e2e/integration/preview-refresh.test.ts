import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setRuntime } from "../../lib/runtime";
import { refreshPreviewKeys, SecretsDiffer } from "../../lib/services/api-keys/preview-refresh";
import { ADMIN, api, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

const SECRET = "shared-secret-".repeat(4);
const opened: TestRuntime[] = [];
afterEach(() => Promise.all(opened.splice(0).map((r) => r.cleanup())));

async function instance(secret: string, usernames: string[]) {
  const rt = await createTestRuntime({ KEYWARD_SECRET: secret });
  opened.push(rt);
  const admin = (await api("/login", { form: ADMIN })).body.data.sessionID;
  for (const u of usernames) await api("/user", { headers: { sessionID: admin }, json: { username: u, name: u, password: `${u}-password` } });
  return rt;
}

async function keyFor(rt: TestRuntime, username: string): Promise<string> {
  setRuntime(rt);
  const r = await api("/user?action=generateApiKey&method=PUT", { form: { username, password: `${username}-password` } });
  return r.body.data.result;
}

async function works(rt: TestRuntime, key: string): Promise<boolean> {
  setRuntime(rt);
  return (await api("/proj/count", { headers: { apiKey: key } })).status === 200;
}

describe("preview environment refresh", () => {
  it("copies production keys over the preview's, matching users by username", async () => {
    const prod = await instance(SECRET, ["alice", "bob"]);
    const preview = await instance(SECRET, ["alice", "carol"]);
    const aliceProd = await keyFor(prod, "alice");
    const bobProd = await keyFor(prod, "bob");
    const alicePreview = await keyFor(preview, "alice");
    const carolPreview = await keyFor(preview, "carol");

    const report = await refreshPreviewKeys(prod, preview, Date.now());
    expect(report).toEqual({ matched: 1, overwritten: 1, skipped: 1, removed: 1 });

    expect(await works(preview, aliceProd)).toBe(true);
    expect(await works(preview, alicePreview)).toBe(false);
    expect(await works(preview, carolPreview)).toBe(false);
    expect(await works(preview, bobProd)).toBe(false);
    expect(await works(prod, aliceProd)).toBe(true);
    const audit = await preview.store.audit.list({ action: "api_key.preview_refresh", limit: 1 });
    expect(audit[0]!.details).toEqual(report);

    // Running it again is idempotent.
    expect(await refreshPreviewKeys(prod, preview, Date.now())).toEqual({ matched: 1, overwritten: 1, skipped: 1, removed: 0 });
  });

  it("refuses when the instances use different secrets, and changes nothing", async () => {
    const prod = await instance(SECRET, ["alice"]);
    const preview = await instance("another-secret-".repeat(4), ["alice"]);
    await keyFor(prod, "alice");
    const previewKey = await keyFor(preview, "alice");
    await expect(refreshPreviewKeys(prod, preview, Date.now())).rejects.toThrow(SecretsDiffer);
    expect(await works(preview, previewKey)).toBe(true);
  });

  it("the command prints the report and refuses mismatched secrets with a clear message", async () => {
    const prod = await instance(SECRET, ["alice"]);
    const preview = await instance(SECRET, ["alice"]);
    await keyFor(prod, "alice");
    const db = (rt: TestRuntime) => path.join(rt.dir, "keyward.db");
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/preview-refresh.ts", "--from", db(prod), "--to", db(preview)], {
        env: { ...process.env, ...env },
        encoding: "utf8",
        stdio: "pipe",
      });
    expect(run({ KEYWARD_SECRET: SECRET })).toMatch(/1 matched, 0 overwritten, 0 skipped/);
    let message = "";
    try {
      run({ KEYWARD_SECRET: "wrong-secret-".repeat(4) });
    } catch (e) {
      message = String((e as { stderr: string }).stderr);
    }
    expect(message).toMatch(/not the one it was created with/);
  });
});
