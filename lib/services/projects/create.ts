/** Creating a project: owned by its creator unless an administrator names another owner; audited. */
import { randomId } from "../../crypto/secrets";
import { PROJ } from "../../domain/objects";
import { audit, requireActor, type ServiceContext } from "../context";
import { assertMaySetFields, assertOwnerExists } from "./access";
import { projectValues } from "./input";

/** `updates`: the project's fields by API name (`name`, `status`, `ownerID`, ...), already parsed. */
export async function createProject(ctx: ServiceContext, updates: Record<string, unknown>): Promise<{ id: string }> {
  const actor = requireActor(ctx);
  assertMaySetFields(ctx, updates);
  const values = projectValues(updates, { creating: true });
  const fields = Object.keys(values);
  const ownerId = typeof values.ownerID === "string" ? values.ownerID : actor.userId;
  const id = randomId();
  const now = ctx.rt.clock.now();
  await ctx.rt.store.transaction(async (tx) => {
    await assertOwnerExists(tx, ownerId);
    await tx.objects.insert(PROJ.objCode, { ...values, ownerID: ownerId, ID: id, entryDate: now, lastUpdateDate: now });
    await audit(tx, ctx, {
      action: "project.create",
      subjectType: "project",
      subjectId: id,
      details: { fields, ownerID: ownerId },
    });
  });
  return { id };
}
