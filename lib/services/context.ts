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

/**
 * Credentials and accounts are managed only by the person, never by an OAuth application acting
 * for them: a token must not be able to mint the user's API key (which would outlive the token's
 * revocation) or create accounts. Refused with 403 for access-token actors.
 */
export function requireOwnCredentials(ctx: ServiceContext, what: string): Actor {
  const actor = requireActor(ctx);
  if (actor.credential.kind === "access_token") {
    throw new Forbidden(`An OAuth application acting for a user cannot ${what}. The user must do it with their own sign-in.`);
  }
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
    details: delegated(ctx, e.details ?? null),
  };
  await tx.audit.append(event);
}

/** An audit row of a change made through an OAuth application names the application. */
function delegated(ctx: ServiceContext, details: Record<string, unknown> | null): Record<string, unknown> | null {
  const c = ctx.actor?.credential;
  if (!c || c.kind !== "access_token" || !c.clientId) return details;
  return { ...details, viaOAuthClient: c.clientId };
}
