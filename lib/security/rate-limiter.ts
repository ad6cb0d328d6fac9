/**
 * The one rate limiter. Named rules, each a token bucket per key (client address, account, later
 * client ID): `capacity` attempts at once, refilled at `capacity` per `windowMs`. Two ways to use it:
 * `take` spends a token (refused when none is left), and `check` + `charge` asks before a guessable
 * check and charges only a failed one, so right answers never count. Checks that run in parallel
 * may all pass `check` before any is charged; the bucket then goes into debt (down to -capacity), so
 * such a burst buys no more than the work in flight (bounded elsewhere) and waits it off afterwards.
 *
 * Buckets live behind `BucketStore`; the in-memory store is bounded (least recently used keys go
 * first), so a spray of addresses cannot grow it without bound. A shared store (several nodes on one
 * database) implements the same interface.
 */
import type { Clock } from "../clock";

export interface LimitRule {
  /** Attempts allowed at once (the burst), and refilled per window. 0 switches the rule off. */
  capacity: number;
  windowMs: number;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
  /** When the last denial of this key was reported (audited), to report once per window. */
  reportedAt: number | null;
  /** For `noteInWindow`: when the last noted event was reported, and how many went unreported since. */
  noted?: { at: number; unreported: number };
}

export interface BucketStore {
  get(key: string): Bucket | undefined;
  set(key: string, bucket: Bucket): void;
}

export type Decision =
  | { allowed: true }
  | {
      allowed: false;
      /** Milliseconds until one attempt is available again. */
      retryAfterMs: number;
      /** True for the first denial of this key in a window: the one to audit. */
      report: boolean;
    };

/** An in-memory bucket store that keeps at most `maxKeys` keys, dropping the least recently used. */
export class LruBucketStore implements BucketStore {
  private readonly map = new Map<string, Bucket>();
  constructor(private readonly maxKeys: number) {}

  get(key: string): Bucket | undefined {
    const b = this.map.get(key);
    if (b) {
      this.map.delete(key);
      this.map.set(key, b);
    }
    return b;
  }

  set(key: string, bucket: Bucket): void {
    this.map.delete(key);
    this.map.set(key, bucket);
    while (this.map.size > this.maxKeys) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.map.size;
  }
}

interface Located {
  rule: LimitRule;
  store: BucketStore;
  key: string;
  now: number;
  b: Bucket;
}

/** One token, allowing for the rounding of fractional refills. */
const WHOLE = 1 - 1e-9;

export class RateLimiter<Name extends string> {
  private readonly rules: ReadonlyMap<Name, LimitRule>;
  private readonly stores = new Map<Name, BucketStore>();

  constructor(
    rules: Record<Name, LimitRule>,
    private readonly clock: Clock,
    makeStore: (name: Name) => BucketStore,
  ) {
    this.rules = new Map(Object.entries(rules) as [Name, LimitRule][]);
    for (const name of this.rules.keys()) this.stores.set(name, makeStore(name));
  }

  /** Takes one attempt from `key`'s bucket under `name`, or says how long to wait. */
  take(name: Name, key: string): Decision {
    const at = this.locate(name, key);
    if (!at) return { allowed: true };
    if (at.b.tokens < WHOLE) return this.deny(at);
    at.store.set(key, { ...at.b, tokens: at.b.tokens - 1 });
    return { allowed: true };
  }

  /** Whether `key` may try now, without spending anything (a denial is reported like `take`'s). */
  check(name: Name, key: string): Decision {
    const at = this.locate(name, key);
    return !at || at.b.tokens >= WHOLE ? { allowed: true } : this.deny(at);
  }

  /** Spends one token for a failed attempt, into debt if need be (never below -capacity). */
  charge(name: Name, key: string): void {
    const at = this.locate(name, key);
    if (at) at.store.set(key, { ...at.b, tokens: Math.max(-at.rule.capacity, at.b.tokens - 1) });
  }

  /**
   * Notes one event of `key` (e.g. a refused attempt) for reporting once per window, whatever the
   * rule's capacity: returns how many events the report stands for (this one and the unreported ones
   * since the last report) when this one should be reported, else 0.
   */
  noteInWindow(name: Name, key: string): number {
    const rule = this.rules.get(name);
    const store = this.stores.get(name);
    if (!rule || !store) return 1;
    const now = this.clock.now();
    const b = rule.capacity > 0 ? this.refilled(rule, store.get(key), now) : (store.get(key) ?? { tokens: 0, updatedAt: now, reportedAt: null });
    const noted = b.noted;
    if (noted && now - noted.at < rule.windowMs) {
      store.set(key, { ...b, noted: { at: noted.at, unreported: noted.unreported + 1 } });
      return 0;
    }
    store.set(key, { ...b, noted: { at: now, unreported: 0 } });
    return (noted?.unreported ?? 0) + 1;
  }

  /** The rule, store and refilled bucket of `key`, or null when the rule is off. */
  private locate(name: Name, key: string): Located | null {
    const rule = this.rules.get(name);
    const store = this.stores.get(name);
    if (!rule || !store || rule.capacity <= 0) return null;
    const now = this.clock.now();
    return { rule, store, key, now, b: this.refilled(rule, store.get(key), now) };
  }

  private deny({ rule, store, key, b, now }: Located): Decision {
    const report = b.reportedAt === null || now - b.reportedAt >= rule.windowMs;
    store.set(key, { ...b, reportedAt: report ? now : b.reportedAt });
    const perToken = rule.windowMs / rule.capacity;
    return { allowed: false, retryAfterMs: Math.max(1, Math.ceil((1 - b.tokens) * perToken)), report };
  }

  private refilled(rule: LimitRule, b: Bucket | undefined, now: number): Bucket {
    if (!b) return { tokens: rule.capacity, updatedAt: now, reportedAt: null };
    const elapsed = Math.max(0, now - b.updatedAt);
    const tokens = Math.min(rule.capacity, b.tokens + (elapsed * rule.capacity) / rule.windowMs);
    return { ...b, tokens, updatedAt: now };
  }
}

/**
 * The key for a client address: IPv4 as is, IPv6 by its /64 network (one host usually holds a whole
 * /64, so single addresses would let it spray). IPv4-mapped IPv6 counts as IPv4.
 */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return "unknown";
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4?.[1]) return v4[1];
  if (!ip.includes(":")) return ip.slice(0, 64);
  const [head, tail] = (ip.toLowerCase().split("%")[0] ?? "").split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":") + "::/64";
}
