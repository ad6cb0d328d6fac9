import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, setRuntime } from "../../lib/runtime";
import { SecretMismatch } from "../../lib/services/bootstrap";
import { api } from "../../lib/testing/runtime";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-first-"));
  dirs.push(d);
  return d;
}

describe("first start", () => {
  it("creates the database, a 0600 secret, a customer ID and one admin whose generated password works", async () => {
    const dir = tempDir();
    const env = { DATABASE_PATH: path.join(dir, "keyward.db"), KEYWARD_SCRYPT_LOG_N: "10" };
    const rt = await createRuntime({ env });
    setRuntime(rt);
    expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(rt.customerId).toMatch(/^[0-9a-f]{32}$/);
    const admin = rt.bootstrap.createdAdmin!;
    expect(admin.username).toBe("admin");
    expect(admin.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const login = await api("/login", { form: { username: "admin", password: admin.generatedPassword! } });
    expect(login.status).toBe(200);
    const users = await rt.store.users.list({ limit: 10, offset: 0 });
    expect(users.users.map((u) => [u.username, u.accessLevel])).toEqual([["admin", "admin"]]);
    await rt.store.close();

    // A second start keeps everything and seeds nobody.
    const again = await createRuntime({ env });
    expect(again.bootstrap.createdAdmin).toBeUndefined();
    expect(again.customerId).toBe(rt.customerId);
    expect((await again.store.users.list({ limit: 10, offset: 0 })).total).toBe(1);
    await again.store.close();
  });

  it("uses KEYWARD_ADMIN_USERNAME / KEYWARD_ADMIN_PASSWORD for automated installs", async () => {
    const dir = tempDir();
    const rt = await createRuntime({
      env: { DATABASE_PATH: path.join(dir, "k.db"), KEYWARD_ADMIN_USERNAME: "root", KEYWARD_ADMIN_PASSWORD: "chosen-password", KEYWARD_SCRYPT_LOG_N: "10" },
    });
    setRuntime(rt);
    expect(rt.bootstrap.createdAdmin).toEqual({ username: "root", generatedPassword: undefined });
    expect((await api("/login", { form: { username: "root", password: "chosen-password" } })).status).toBe(200);
    await rt.store.close();
  });

  it("refuses to start on a database created with another secret", async () => {
    const dir = tempDir();
    const db = path.join(dir, "k.db");
    await (await createRuntime({ env: { DATABASE_PATH: db, KEYWARD_SECRET: "a".repeat(40), KEYWARD_SCRYPT_LOG_N: "10" } })).store.close();
    await expect(createRuntime({ env: { DATABASE_PATH: db, KEYWARD_SECRET: "b".repeat(40) } })).rejects.toThrow(SecretMismatch);
  });

  it("opens SQLite in WAL mode with foreign keys enforced", async () => {
    const dir = tempDir();
    const db = path.join(dir, "k.db");
    const rt = await createRuntime({ env: { DATABASE_PATH: db, KEYWARD_SCRYPT_LOG_N: "10" } });
    const Database = (await import("better-sqlite3")).default;
    const raw = new Database(db);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    // Enforced on the application's own connection: a session for a missing user is refused.
    await expect(rt.store.sessions.create({ idHash: "h", userId: "missing", createdAt: 0, lastSeenAt: 0 })).rejects.toThrow(/FOREIGN KEY/);
    await rt.store.close();
  });

  it("keeps the audit log append-only at the database level", async () => {
    const dir = tempDir();
    const rt = await createRuntime({ env: { DATABASE_PATH: path.join(dir, "k.db"), KEYWARD_SCRYPT_LOG_N: "10" } });
    const Database = (await import("better-sqlite3")).default;
    const raw = new Database(path.join(dir, "k.db"));
    expect(() => raw.prepare("DELETE FROM audit_events").run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE audit_events SET action = 'x'").run()).toThrow(/append-only/);
    raw.close();
    await rt.store.close();
  });
});
