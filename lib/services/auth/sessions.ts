/** REST API sessions: random IDs handed out once, stored only as keyed hashes, ended by inactivity. */
import { lookupHash, randomToken } from "../../crypto/secrets";
import type { Runtime } from "../../runtime";
import type { User } from "../../storage/types";
import { actorOf } from "../../domain/actor";
import { audit, type ServiceContext } from "../context";

/** Last-seen times are written at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export async function startSession(ctx: ServiceContext, user: User): Promise<string> {
  const { store, clock, keys } = ctx.rt;
  const sessionID = randomToken(24);
  const now = clock.now();
  await store.transaction(async (tx) => {
    await tx.sessions.create({
      idHash: lookupHash(keys, sessionID),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      ip: ctx.meta.ip ?? null,
      userAgent: ctx.meta.userAgent?.slice(0, 300) ?? null,
    });
    await tx.users.update(user.id, { lastLoginAt: now, updatedAt: now });
    await audit(tx, { ...ctx, actor: actorOf(user, "password") }, {
      action: "session.create",
      subjectType: "user",
      subjectId: user.id,
    });
  });
  return sessionID;
}

/** The user of a live session, or null. Expired sessions are deleted on sight. */
export async function resolveSession(rt: Runtime, sessionID: string): Promise<string | null> {
  if (sessionID.length < 16 || sessionID.length > 128) return null;
  const hash = lookupHash(rt.keys, sessionID);
  const s = await rt.store.sessions.byHash(hash);
  if (!s) return null;
  const now = rt.clock.now();
  if (now - s.lastSeenAt > rt.settings.sessionIdleMs) {
    await rt.store.sessions.delete(hash);
    return null;
  }
  if (now - s.lastSeenAt > TOUCH_INTERVAL_MS) await rt.store.sessions.touch(hash, now);
  return s.userId;
}

export async function endSession(rt: Runtime, sessionID: string): Promise<void> {
  await rt.store.sessions.delete(lookupHash(rt.keys, sessionID));
}
