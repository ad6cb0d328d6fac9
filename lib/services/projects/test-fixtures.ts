/** Test support for the project verbs: a fresh instance with an administrator and two users, and a failing audit log. */
import { actorOf } from "../../domain/actor";
import type { AuditAction } from "../../domain/audit-actions";
import { PROJ } from "../../domain/objects";
import type { AuditEvent, ObjectRow, Store } from "../../storage/types";
import { ADMIN, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";

export interface ProjectFixture {
  rt: TestRuntime;
  admin: ServiceContext;
  alice: ServiceContext;
  bob: ServiceContext;
  /** Nobody signed in. */
  anonymous: ServiceContext;
}

export async function projectFixture(): Promise<ProjectFixture> {
  const rt = await createTestRuntime();
  const meta = { ip: "192.0.2.7", userAgent: "project-tests" };
  const a = (await rt.store.users.byUsername(ADMIN.username))!;
  const admin: ServiceContext = { rt, actor: actorOf(a, "session"), meta };
  const member = async (username: string): Promise<ServiceContext> => {
    const u = await createUser(admin, { username, name: username, password: `${username}-password` }, { apiFieldNames: false });
    return { rt, actor: actorOf(u, "api_key"), meta };
  };
  return { rt, admin, alice: await member("alice"), bob: await member("bob"), anonymous: { rt, actor: null, meta } };
}

/** The stored project with every field, or undefined. */
export async function projectRow(rt: TestRuntime, id: string): Promise<ObjectRow | undefined> {
  const [row] = await rt.store.objects.byIds(PROJ.objCode, [id], PROJ.fields.map((f) => f.name));
  return row;
}

export function projectCount(rt: TestRuntime): Promise<number> {
  return rt.store.objects.count(PROJ.objCode, { filters: [], sort: [], limit: 1, first: 0, fields: [] });
}

/** The project audit events (all, or of one action), newest first. */
export function projectEvents(rt: TestRuntime, action: AuditAction | "project.*" = "project.*"): Promise<AuditEvent[]> {
  return rt.store.audit.list({ action, limit: 100 });
}

/**
 * `ctx` over a store whose transactions cannot write the audit log. Before failing, the double reads
 * the audited project inside the transaction, so a test can show the write had happened and was undone.
 */
export function failingAudit(ctx: ServiceContext): { ctx: ServiceContext; seenInTransaction: (ObjectRow | undefined)[] } {
  const seenInTransaction: (ObjectRow | undefined)[] = [];
  const store = ctx.rt.store;
  const transaction = <T>(fn: (tx: Store) => Promise<T>): Promise<T> =>
    store.transaction((tx) => {
      const append = async (e: { subjectId?: string | null }): Promise<void> => {
        const [row] = await tx.objects.byIds(PROJ.objCode, [e.subjectId ?? ""], ["ID", "name"]);
        seenInTransaction.push(row);
        throw new Error("the audit log is unavailable");
      };
      return fn(replacing(tx, "audit", { ...tx.audit, append }));
    });
  return { ctx: { ...ctx, rt: { ...ctx.rt, store: replacing(store, "transaction", transaction) } }, seenInTransaction };
}

/** `store` with one part replaced; everything else is the store's own. */
function replacing<K extends keyof Store>(store: Store, key: K, part: Store[K]): Store {
  return new Proxy(store, { get: (target, p): unknown => (p === key ? part : Reflect.get(target, p, target)) });
}
