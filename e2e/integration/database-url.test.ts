import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "../../lib/env";
import { createRuntime } from "../../lib/runtime";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-url-"));
  dirs.push(d);
  return d;
}

describe("DATABASE_URL", () => {
  it("unset: SQLite at DATABASE_PATH", () => {
    const s = loadSettings({ DATABASE_PATH: "/srv/k/keyward.db" });
    expect([s.database, s.databasePath, s.dataDir]).toEqual([{ engine: "sqlite" }, "/srv/k/keyward.db", "/srv/k"]);
  });

  it("sqlite:, file: or a plain path: SQLite at that file, which wins over DATABASE_PATH", () => {
    for (const url of ["sqlite:/srv/a/k.db", "sqlite:///srv/a/k.db", "file:/srv/a/k.db", "/srv/a/k.db"]) {
      const s = loadSettings({ DATABASE_URL: url, DATABASE_PATH: "/elsewhere/k.db" });
      expect([s.database, s.databasePath, s.dataDir]).toEqual([{ engine: "sqlite" }, "/srv/a/k.db", "/srv/a"]);
    }
    expect(loadSettings({ DATABASE_URL: "sqlite:data/x.db" }).databasePath).toBe(path.resolve("data/x.db"));
    expect(loadSettings({ DATABASE_URL: "sqlite://./data/x.db" }).databasePath).toBe(path.resolve("data/x.db"));
  });

  it("postgres:// or postgresql://: a PostgreSQL target", () => {
    for (const url of ["postgres://kw:pw@db.example/keyward", "postgresql://db.example/keyward"]) {
      expect(loadSettings({ DATABASE_URL: url }).database).toEqual({ engine: "postgres", url });
    }
  });

  it("another scheme, or no file, is a configuration error", () => {
    expect(() => loadSettings({ DATABASE_URL: "mysql://db.example/keyward" })).toThrow(ConfigError);
    expect(() => loadSettings({ DATABASE_URL: "mysql://db.example/keyward" })).toThrow(/DATABASE_URL/);
    expect(() => loadSettings({ DATABASE_URL: "sqlite:" })).toThrow(ConfigError);
  });

  it("createRuntime opens SQLite at the URL's file", async () => {
    const dir = tempDir();
    const file = path.join(dir, "from-url.db");
    const rt = await createRuntime({ env: { DATABASE_URL: `sqlite:${file}`, KEYWARD_SCRYPT_LOG_N: "10" } });
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(fs.existsSync(path.join(dir, "secret.key"))).toBe(true);
      expect((await rt.store.users.list({ limit: 10, offset: 0 })).total).toBe(1);
    } finally {
      await rt.store.close();
    }
  });

  it("createRuntime refuses PostgreSQL with a clear ConfigError, before writing anything", async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: "postgres://kw:secret-pw@db.example/keyward", KEYWARD_DATA_DIR: dir };
    const attempt = createRuntime({ env });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(createRuntime({ env })).rejects.toThrow(/PostgreSQL is not available yet/);
    await expect(createRuntime({ env })).rejects.not.toThrow(/secret-pw/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
