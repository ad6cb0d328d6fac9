/** Deleting a project: by its owner or an administrator; audited. */
import { PROJ } from "../../domain/objects";
import { audit, requireActor, type ServiceContext } from "../context";
import { assertMayWrite, projectNotFound } from "./access";

export async function removeProject(ctx: ServiceContext, id: string): Promise<void> {
  requireActor(ctx);
  // Checked before the transaction, so a refused delete never opens one, and again inside it.
  await assertMayWrite(ctx.rt.store, ctx, id);
  await ctx.rt.store.transaction(async (tx) => {
    const ownerId = await assertMayWrite(tx, ctx, id);
    if (!(await tx.objects.delete(PROJ.objCode, id))) throw projectNotFound(id);
    await audit(tx, ctx, { action: "project.delete", subjectType: "project", subjectId: id, details: { ownerID: ownerId } });
  });
}
