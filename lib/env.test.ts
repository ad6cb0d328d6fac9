import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "./env";

describe("loadSettings", () => {
  it("has working defaults for a first run", () => {
    const s = loadSettings({});
    expect(s.databasePath).toBe(path.resolve("data/keyward.db"));
    expect(s.dataDir).toBe(path.resolve("data"));
    expect(s.port).toBe(3000);
    expect(s.publicUrl).toBe("http://localhost:3000");
    expect(s.sessionIdleMs).toBe(8 * 3600_000);
  });

  it("reads overrides and trims a trailing slash from the public URL", () => {
    const s = loadSettings({ PORT: "8080", HOST: "127.0.0.1", KEYWARD_PUBLIC_URL: "https://kw.example.com/", DATABASE_PATH: "/tmp/x/k.db" });
    expect([s.port, s.host, s.publicUrl, s.dataDir]).toEqual([8080, "127.0.0.1", "https://kw.example.com", "/tmp/x"]);
    expect(loadSettings({ PORT: "9000" }).publicUrl).toBe("http://localhost:9000");
  });

  it("fails with a readable message naming each bad setting", () => {
    let err: unknown;
    try {
      loadSettings({ PORT: "eighty", KEYWARD_PUBLIC_URL: "not a url", KEYWARD_SECRET: "short" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^Invalid Keyward configuration:/);
    expect(msg).toMatch(/PORT/);
    expect(msg).toMatch(/KEYWARD_PUBLIC_URL must be an absolute URL/);
    expect(msg).toMatch(/KEYWARD_SECRET must be at least 32 characters/);
  });
});
