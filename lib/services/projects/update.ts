/** Editing a project: by its owner or an administrator; audited with the names of the fields that changed. */
import { PROJ } from "../../domain/objects";
import { audit, requireActor, type ServiceContext } from "../context";
import { assertMayWrite, assertMaySetFields, assertOwnerExists } from "./access";
import { projectValues } from "./input";

/**
 * `updates`: the fields to change by API name, already parsed; fields not named keep their values.
 * Every edit moves `lastUpdateDate`, even one that sets nothing new.
 */
export async function updateProject(ctx: ServiceContext, id: string, updates: Record<string, unknown>): Promise<void> {
  requireActor(ctx);
  await assertMayWrite(ctx.rt.store, ctx, id);
  assertMaySetFields(ctx, updates);
  const values = projectValues(updates, { creating: false });
  const ownerId = values.ownerID;
  const fields = Object.keys(values);
  await ctx.rt.store.transaction(async (tx) => {
    // Again inside the transaction: the project may have been removed or given away meanwhile.
    await assertMayWrite(tx, ctx, id);
    if (typeof ownerId === "string") await assertOwnerExists(tx, ownerId);
    const [current] = await tx.objects.byIds(PROJ.objCode, [id], ["ID", ...fields]);
    const changed = fields.filter((f) => current?.[f] !== values[f]);
    await tx.objects.update(PROJ.objCode, id, { ...values, lastUpdateDate: ctx.rt.clock.now() });
    await audit(tx, ctx, { action: "project.update", subjectType: "project", subjectId: id, details: { changed } });
  });
}
