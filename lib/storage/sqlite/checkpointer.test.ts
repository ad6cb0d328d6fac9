import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Checkpointer } from "./checkpointer";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function openWal(): Database.Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-ckpt-"));
  dirs.push(dir);
  const db = new Database(path.join(dir, "db.sqlite"));
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (v TEXT)");
  return db;
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("background WAL checkpoints", () => {
  it("start after enough commits, raise the writer's own threshold to a backstop, and copy the WAL back", async () => {
    const db = openWal();
    const c = new Checkpointer(db);
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 199; i++) {
      insert.run("x".repeat(500));
      c.committed();
    }
    expect(c.running).toBe(false);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    insert.run("last");
    c.committed();
    expect(c.running).toBe(true);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(50_000);
    // The worker's passive checkpoints leave nothing for the writer to copy.
    await until(() => {
      const [r] = db.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
      return r!.log === r!.checkpointed;
    });
    const other = new Database(db.name, { readonly: true });
    expect(other.prepare("SELECT count(*) FROM t").pluck().get()).toBe(200);
    other.close();
    c.close();
    expect(c.running).toBe(false);
    db.close();
  });

  it("never starts for an in-memory database", () => {
    const db = new Database(":memory:");
    const c = new Checkpointer(db);
    for (let i = 0; i < 500; i++) c.committed();
    expect(c.running).toBe(false);
    db.close();
  });
});
