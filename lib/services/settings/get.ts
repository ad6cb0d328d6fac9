/** Reading the instance settings for the console's setup pages. */
import type { AuditAction } from "../../domain/audit-actions";
import type { InstanceSettings, Store } from "../../storage/types";
import { audit, requireAdmin, type ServiceContext } from "../context";

export async function getInstanceSettings(ctx: ServiceContext): Promise<InstanceSettings> {
  requireAdmin(ctx);
  return ctx.rt.store.settings.get();
}

/** Old and new value of every setting that differs, for audit details. */
export function settingChanges<T extends object>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    const old = (before as Record<string, unknown>)[k];
    if (v !== undefined && v !== old) out[k] = { from: old, to: v };
  }
  return out;
}

/**
 * Saves validated settings with their audit row in one transaction; a save that changes nothing
 * writes nothing.
 */
export async function saveSettings(
  ctx: ServiceContext,
  input: Partial<InstanceSettings>,
  action: AuditAction,
  /** Further writes of the same change, in its transaction; what it returns joins the audit details. */
  alsoChange?: (tx: Store, before: InstanceSettings) => Promise<Record<string, unknown>>,
): Promise<InstanceSettings> {
  requireAdmin(ctx);
  const { store, clock } = ctx.rt;
  return store.transaction(async (tx) => {
    const before = await tx.settings.get();
    const changes = settingChanges(before, input);
    if (Object.keys(changes).length === 0) return before;
    const settings = await tx.settings.update({ ...input, updatedAt: clock.now() });
    const more = alsoChange ? await alsoChange(tx, before) : {};
    await audit(tx, ctx, { action, subjectType: "customer", details: { ...changes, ...more } });
    return settings;
  });
}
