import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { Gate } from "./gate";
import { CommitQueue } from "./group-commit";

function setup() {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (v TEXT UNIQUE)");
  let commits = 0;
  const q = new CommitQueue(db, new Gate(), () => commits++);
  const insert = (v: string) => db.prepare("INSERT INTO t VALUES (?)").run(v);
  const values = () => db.prepare("SELECT v FROM t ORDER BY v").pluck().all();
  return { db, q, insert, values, commits: () => commits };
}

describe("group commit", () => {
  it("commits the transactions of one turn together, each settled only after the commit", async () => {
    const { q, insert, values, commits } = setup();
    const settled: string[] = [];
    const all = ["a", "b", "c"].map((v) =>
      q.run(async () => {
        insert(v);
        return v;
      }).then((r) => {
        settled.push(r);
        return r;
      }),
    );
    expect(await Promise.all(all)).toEqual(["a", "b", "c"]);
    expect(settled).toEqual(["a", "b", "c"]);
    expect(values()).toEqual(["a", "b", "c"]);
    expect(commits()).toBe(1);
  });

  it("rolls back only the transaction that threw, and the others still commit", async () => {
    const { q, insert, values } = setup();
    const ok1 = q.run(async () => insert("a"));
    const bad = q.run(async () => {
      insert("b");
      throw new Error("refused");
    });
    const dup = q.run(async () => insert("a")); // violates UNIQUE against the first, in the same batch
    const ok2 = q.run(async () => insert("c"));
    await expect(bad).rejects.toThrow("refused");
    await expect(dup).rejects.toThrow(/UNIQUE/);
    await ok1;
    await ok2;
    expect(values()).toEqual(["a", "c"]);
  });

  it("lets a transaction read what earlier ones of its batch wrote, in order", async () => {
    const { q, insert, db } = setup();
    const first = q.run(async () => insert("x"));
    const second = q.run(async () => db.prepare("SELECT count(*) FROM t").pluck().get());
    await first;
    expect(await second).toBe(1);
  });

  it("runs later transactions in a new batch", async () => {
    const { q, insert, values, commits } = setup();
    await q.run(async () => insert("a"));
    await q.run(async () => insert("b"));
    expect(values()).toEqual(["a", "b"]);
    expect(commits()).toBe(2);
  });
});
