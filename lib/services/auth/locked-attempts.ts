/**
 * Attempts refused because an account is locked. A flood against a locked account would otherwise
 * append one audit row per attempt to the append-only audit table; instead they are counted here and
 * written as one row per account and lock period, with the count, once the period is over (or
 * earlier when the table of pending periods is full).
 */
import { audit, type ServiceContext } from "../context";

interface Pending {
  userId: string;
  username: string;
  lockedUntil: number;
  attempts: number;
  channels: Set<string>;
  firstAt: number;
  lastAt: number;
}

export class LockedAttempts {
  private readonly pending = new Map<string, Pending>();
  constructor(private readonly maxPending = 10_000) {}

  /** Counts one refused attempt; returns periods that must be written now to keep the table bounded. */
  note(user: { id: string; username: string }, lockedUntil: number, channel: string, now: number): Pending[] {
    const key = `${user.id}:${lockedUntil}`;
    const p = this.pending.get(key);
    if (p) {
      p.attempts++;
      p.channels.add(channel);
      p.lastAt = now;
      return [];
    }
    this.pending.set(key, { userId: user.id, username: user.username, lockedUntil, attempts: 1, channels: new Set([channel]), firstAt: now, lastAt: now });
    const evicted: Pending[] = [];
    for (const [k, v] of this.pending) {
      if (this.pending.size <= this.maxPending) break;
      this.pending.delete(k);
      evicted.push(v);
    }
    return evicted;
  }

  /** Removes and returns the periods that are over (all of them with `all`). */
  take(now: number, all = false): Pending[] {
    const out: Pending[] = [];
    for (const [k, v] of this.pending) {
      if (all || v.lockedUntil <= now) {
        this.pending.delete(k);
        out.push(v);
      }
    }
    return out;
  }

  get size(): number {
    return this.pending.size;
  }
}

/** Writes one audit row per finished lock period (or the given ones). */
export async function writeLockedAttempts(ctx: ServiceContext, periods: Pending[]): Promise<void> {
  if (periods.length === 0) return;
  await ctx.rt.store.transaction(async (tx) => {
    for (const p of periods) {
      await audit(tx, ctx, {
        action: "auth.login_locked",
        actorName: p.username,
        actorId: p.userId,
        subjectType: "user",
        subjectId: p.userId,
        details: { attempts: p.attempts, lockedUntil: p.lockedUntil, channels: [...p.channels], firstAt: p.firstAt, lastAt: p.lastAt },
      });
    }
  });
}

/** Writes the lock periods that are over; cheap when there are none. */
export async function flushLockedAttempts(ctx: ServiceContext, all = false): Promise<void> {
  const { lockedAttempts, clock } = ctx.rt;
  if (lockedAttempts.size === 0) return;
  await writeLockedAttempts(ctx, lockedAttempts.take(clock.now(), all));
}
