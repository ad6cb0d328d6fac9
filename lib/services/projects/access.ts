/**
 * The ownership rule of the project verbs: anyone signed in may create a project, which they then own;
 * only its owner or an administrator may edit or delete it; only an administrator sets `ownerID` (or any
 * other admin-only field).
 */
import { Forbidden, InvalidRequest, NotFound } from "../../errors";
import { fieldOf, PROJ } from "../../domain/objects";
import type { Store } from "../../storage/types";
import { isAdmin, requireActor, type ServiceContext } from "../context";

export function projectNotFound(id: string): NotFound {
  return new NotFound(`${PROJ.label} with ID ${id.slice(0, 100)} was not found`);
}

/** Refuses admin-only fields (`ownerID`) to anyone but an administrator, whatever their value. */
export function assertMaySetFields(ctx: ServiceContext, updates: Record<string, unknown>): void {
  requireActor(ctx);
  if (isAdmin(ctx)) return;
  for (const name of Object.keys(updates)) {
    const field = fieldOf(PROJ, name);
    if (field?.adminOnly) throw new Forbidden(`Only a System Administrator can set ${field.name}`);
  }
}

/**
 * An administrator may write any project, anyone else only their own. Read through `store`: the
 * runtime's store before validating, the transaction's again inside it. Returns the current owner.
 */
export async function assertMayWrite(store: Store, ctx: ServiceContext, id: string): Promise<string | null> {
  const actor = requireActor(ctx);
  const owner = await store.objects.ownerOf(PROJ.objCode, id);
  if (owner === undefined) throw projectNotFound(id);
  if (!isAdmin(ctx) && owner !== actor.userId) {
    throw new Forbidden(`You do not have permission to edit this ${PROJ.label.toLowerCase()}`);
  }
  return owner;
}

/** A project's owner must be a user of the instance. Call it inside the write's transaction. */
export async function assertOwnerExists(tx: Store, userId: string): Promise<void> {
  if (!(await tx.users.byId(userId))) throw new InvalidRequest(`No user with ID ${userId.slice(0, 100)}`);
}
