import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../clock";
import { addressKey, LruBucketStore, RateLimiter } from "./rate-limiter";

const MINUTE = 60_000;

function limiter(capacity = 3, maxKeys = 100) {
  const clock = fixedClock(1_000_000);
  const l = new RateLimiter({ login: { capacity, windowMs: MINUTE }, off: { capacity: 0, windowMs: MINUTE } }, clock, () => new LruBucketStore(maxKeys));
  return { l, clock };
}

describe("RateLimiter", () => {
  it("allows the burst, then refuses with the time until the next attempt", () => {
    const { l } = limiter(3);
    for (let i = 0; i < 3; i++) expect(l.take("login", "1.2.3.4")).toEqual({ allowed: true });
    expect(l.take("login", "1.2.3.4")).toEqual({ allowed: false, retryAfterMs: 20_000, report: true });
  });

  it("refills at capacity per window", () => {
    const { l, clock } = limiter(3);
    for (let i = 0; i < 3; i++) l.take("login", "k");
    clock.advance(19_999);
    expect(l.take("login", "k").allowed).toBe(false);
    clock.advance(1);
    expect(l.take("login", "k").allowed).toBe(true);
    expect(l.take("login", "k").allowed).toBe(false);
    clock.advance(10 * MINUTE);
    for (let i = 0; i < 3; i++) expect(l.take("login", "k").allowed).toBe(true);
  });

  it("noteInWindow reports the first event per key and window, with the events it stands for, even with the rule off", () => {
    const { l, clock } = limiter(3);
    for (const name of ["login", "off"] as const) {
      expect(l.noteInWindow(name, "k")).toBe(1);
      expect([l.noteInWindow(name, "k"), l.noteInWindow(name, "k"), l.noteInWindow(name, "other")]).toEqual([0, 0, 1]);
    }
    l.charge("login", "k");
    clock.advance(MINUTE);
    expect(l.noteInWindow("login", "k")).toBe(3);
    expect(l.noteInWindow("off", "k")).toBe(3);
    expect(l.noteInWindow("login", "k")).toBe(0);
    expect(l.check("login", "k").allowed).toBe(true);
  });

  it("reports a denial once per key and window, not once per request", () => {
    const { l, clock } = limiter(1);
    l.take("login", "k");
    const reports = () => Array.from({ length: 5 }, () => l.take("login", "k")).filter((d) => !d.allowed && d.report).length;
    expect(reports()).toBe(1);
    clock.advance(30_000);
    l.take("login", "k"); // a refilled half token is not enough
    expect(reports()).toBe(0);
    clock.advance(MINUTE);
    l.take("login", "k");
    expect(reports()).toBe(1);
  });

  it("checks without spending, and charges only failures, into a debt bounded by the capacity", () => {
    const { l, clock } = limiter(2);
    for (let i = 0; i < 10; i++) expect(l.check("login", "k").allowed).toBe(true);
    l.charge("login", "k");
    expect(l.check("login", "k").allowed).toBe(true);
    for (let i = 0; i < 10; i++) l.charge("login", "k"); // a parallel burst that all passed check
    const d = l.check("login", "k");
    expect(d).toEqual({ allowed: false, retryAfterMs: 90_000, report: true }); // from -2 back to 1 token
    clock.advance(89_999);
    expect(l.check("login", "k").allowed).toBe(false);
    clock.advance(1);
    expect(l.check("login", "k").allowed).toBe(true);
  });

  it("keeps keys apart and lets a rule of capacity 0 through", () => {
    const { l } = limiter(1);
    l.take("login", "a");
    expect(l.take("login", "a").allowed).toBe(false);
    expect(l.take("login", "b").allowed).toBe(true);
    for (let i = 0; i < 100; i++) expect(l.take("off", "a").allowed).toBe(true);
  });

  it("never lets more than capacity + refill through in any window (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        const { l, clock } = limiter(5);
        const start = clock.now();
        let allowed = 0;
        for (const g of gaps) {
          clock.advance(g);
          if (l.take("login", "k").allowed) allowed++;
        }
        const elapsed = clock.now() - start;
        expect(allowed).toBeLessThanOrEqual(5 + Math.floor((elapsed * 5) / MINUTE) + 1);
      }),
    );
  });

  it("bounds memory: a spray of keys evicts the least recently used", () => {
    const store = new LruBucketStore(50);
    const clock = fixedClock(0);
    const l = new RateLimiter({ login: { capacity: 1, windowMs: MINUTE } }, clock, () => store);
    l.take("login", "attacker");
    for (let i = 0; i < 10_000; i++) {
      l.take("login", `10.0.${i >> 8}.${i & 255}`);
      if (i % 10 === 0) expect(l.take("login", "attacker").allowed).toBe(false); // recently used: kept
    }
    expect(store.size).toBe(50);
  });
});

describe("addressKey", () => {
  it("keys IPv4 by address and IPv6 by its /64 network", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::9")).toBe(addressKey("2001:0db8:0001:0002:ffff::1"));
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey(null)).toBe("unknown");
    expect(addressKey(undefined)).toBe("unknown");
  });
});
