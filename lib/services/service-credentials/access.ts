/** Who may use the Developer Console: administrators, and users an administrator marked as developers. */
import { Forbidden } from "../../errors";
import type { Actor } from "../../domain/actor";
import { requireActor, requireOwnCredentials, type ServiceContext } from "../context";

export const NOT_A_DEVELOPER = "The Developer Console is for System Administrators and for users an administrator has marked as developers.";

/** The actor, when a person signed in to the console as an administrator or a developer. */
export async function requireDeveloper(ctx: ServiceContext): Promise<Actor> {
  const actor = requireActor(ctx);
  requireOwnCredentials(ctx, "use the Developer Console");
  if (actor.accessLevel === "admin") return actor;
  const user = await ctx.rt.store.users.byId(actor.userId);
  if (!user?.isActive || user.kind !== "person" || !user.isDeveloper) throw new Forbidden(NOT_A_DEVELOPER);
  return actor;
}

/** Whether the actor may open the Developer Console (for navigation; the verbs check again). */
export async function canUseDeveloperConsole(ctx: ServiceContext): Promise<boolean> {
  try {
    await requireDeveloper(ctx);
    return true;
  } catch {
    return false;
  }
}
