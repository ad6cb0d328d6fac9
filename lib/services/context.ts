import type { Runtime } from "../runtime";
import type { Actor } from "../domain/actor";
import type { AuditAction } from "../domain/audit-actions";
import type { AuditEventInput, Store } from "../storage/types";
import { Forbidden, Unauthorized } from "../errors";


export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
}

/** Who is acting, from where, against which runtime. Every service takes one. */
export interface ServiceContext {
  rt: Runtime;
  actor: Actor | null;
  meta: RequestMeta;
}


export function requireActor(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new Unauthorized();
  return ctx.actor;
}

export function requireAdmin(ctx: ServiceContext): Actor {
  const actor = requireActor(ctx);
  if (actor.accessLevel !== "admin") throw new Forbidden("Only a System Administrator can do this.");
  return actor;
}

export function isAdmin(ctx: ServiceContext): boolean {
  return ctx.actor?.accessLevel === "admin";
}

export interface AuditEntry {
  action: AuditAction;
  subjectType?: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
  /** Overrides the actor, e.g. for failed sign-ins where nobody is signed in yet. */
  actorName?: string;
  actorId?: string | null;
}

/** Records an audit event. Call it with the transaction's store so it commits with the change. */
export async function audit(tx: Store, ctx: ServiceContext, e: AuditEntry): Promise<void> {
  const event: AuditEventInput = {
    at: ctx.rt.clock.now(),
    actorId: e.actorId !== undefined ? e.actorId : (ctx.actor?.userId ?? null),
    actorName: e.actorName ?? ctx.actor?.username ?? "system",
    action: e.action,
    subjectType: e.subjectType ?? null,
    subjectId: e.subjectId ?? null,
    ip: ctx.meta.ip ?? null,
    userAgent: ctx.meta.userAgent?.slice(0, 300) ?? null,
    details: e.details ?? null,
  };
  await tx.audit.append(event);
}
