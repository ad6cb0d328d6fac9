import { scryptSync } from "node:crypto";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ServiceBusy } from "../errors";
import type { ScryptJob } from "./hash-worker";
import { HashGate, hashPassword, passwordProblem, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password only, with parameters kept in the hash", async () => {
    const h = await hashPassword("correct horse", 10);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct horsE", h)).toBe(false);
    expect(await hashPassword("correct horse", 10)).not.toBe(h);
  });
  it("rejects malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "plaintext")).toBe(false);
    expect(await verifyPassword("x", "bcrypt$1$2$3$4$5")).toBe(false);
  });
  it("states password rules", () => {
    expect(passwordProblem("short")).toMatch(/at least 8/);
    expect(passwordProblem("long enough")).toBeNull();
  });
});

describe("HashGate", () => {
  const job = (password: string): ScryptJob => ({ password, salt: Buffer.alloc(16, 1), keylen: 32, N: 2 ** 10, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });

  it("computes the same key as node:crypto on its worker threads", async () => {
    const gate = new HashGate(2, 4);
    const keys = await Promise.all(["a", "b", "a"].map((p) => gate.hash(job(p))));
    expect(keys[0]!.equals(scryptSync("a", Buffer.alloc(16, 1), 32, { N: 1024 }))).toBe(true);
    expect(keys[0]!.equals(keys[2]!)).toBe(true);
    expect(keys[0]!.equals(keys[1]!)).toBe(false);
  });

  it("refuses work beyond its concurrency and queue at once with 503", async () => {
    const gate = new HashGate(1, 2);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => gate.hash(job(`p${i}`))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(3);
    expect(refused[0]!.reason).toBeInstanceOf(ServiceBusy);
    expect((refused[0]!.reason as ServiceBusy).status).toBe(503);
    expect(gate.queued).toBe(0);
    // Capacity comes back once the work is done.
    await expect(gate.hash(job("again"))).resolves.toBeInstanceOf(Buffer);
  });

  it("hashes on threads of the lowest scheduling priority (nice 19)", async () => {
    const niceOf = (tid: string) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const before = new Set(fs.readdirSync("/proc/self/task"));
    await new HashGate(1, 1).hash(job("x"));
    const added = fs.readdirSync("/proc/self/task").filter((t) => !before.has(t));
    expect(added.map(niceOf)).toContain(19);
  });
});
