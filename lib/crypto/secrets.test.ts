import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, decrypt, deriveKeys, encrypt, loadOrCreateSecret, lookupHash } from "./secrets";

const keys = deriveKeys("s".repeat(48));

describe("server secret", () => {
  it("is generated once with owner-only permissions and then reused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-secret-"));
    const a = loadOrCreateSecret(dir);
    expect(a.length).toBeGreaterThanOrEqual(64);
    expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir)).toBe(a);
    expect(loadOrCreateSecret(dir, "from-env")).toBe("from-env");
    fs.rmSync(dir, { recursive: true });
  });
  it("derives distinct keys, and different secrets give different fingerprints", () => {
    expect(keys.lookup.equals(keys.encryption)).toBe(false);
    expect(deriveKeys("t".repeat(48)).fingerprint).not.toBe(keys.fingerprint);
  });
});

describe("sealing", () => {
  it("round-trips and binds the ciphertext to its context", () => {
    const sealed = encrypt(keys, "kwk_secret", "api_key:u1");
    expect(sealed).not.toContain("kwk_secret");
    expect(decrypt(keys, sealed, "api_key:u1")).toBe("kwk_secret");
    expect(() => decrypt(keys, sealed, "api_key:u2")).toThrow();
    expect(() => decrypt(deriveKeys("t".repeat(48)), sealed, "api_key:u1")).toThrow();
  });
  it("lookup hashes are keyed and stable", () => {
    expect(lookupHash(keys, "a")).toBe(lookupHash(keys, "a"));
    expect(lookupHash(keys, "a")).not.toBe(lookupHash(deriveKeys("t".repeat(48)), "a"));
  });
  it("compares in constant time, including different lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
