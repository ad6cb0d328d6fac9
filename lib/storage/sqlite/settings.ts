/** The instance policy (one row, id 1), cached under `settings`. */
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../../db/schema";
import type { InstanceSettings, Store } from "../types";
import type { Scope } from "./context";
import { cacheKeys } from "./read-cache";

type SettingsRow = typeof instanceSettings.$inferSelect;

function rowToSettings(r: SettingsRow): InstanceSettings {
  const { id: _id, ...s } = r;
  return {
    ...s,
    apiKeyExpiry: s.apiKeyExpiry as InstanceSettings["apiKeyExpiry"],
    passwordResetDays: s.passwordResetDays ?? null,
  };
}

export function settingsAggregate({ db, clock, op, write, cached }: Scope): Store["settings"] {
  const row = db.select().from(instanceSettings).where(eq(instanceSettings.id, 1)).prepare();
  const read = (): InstanceSettings | null => {
    const r = row.get();
    return r ? rowToSettings(r) : null;
  };
  // The schema's defaults; "changed at 0" makes every key's expiry count from its own creation.
  const insertDefaults = (at: number): boolean =>
    db.insert(instanceSettings).values({ id: 1, apiKeyExpiryChangedAt: 0, updatedAt: at }).onConflictDoNothing().run().changes > 0;
  return {
    get: op(() => {
      const s = cached(cacheKeys.settings, read);
      if (!s) throw new Error("The instance settings are missing: the database was not initialised (bootstrap writes them).");
      return s;
    }),
    initialize: write((touched, at) => {
      touched.entry(cacheKeys.settings);
      return insertDefaults(at);
    }),
    update: write((touched, patch) => {
      touched.entry(cacheKeys.settings);
      const now = clock.now();
      insertDefaults(now);
      db.update(instanceSettings)
        .set({ ...patch, updatedAt: patch.updatedAt ?? now })
        .where(eq(instanceSettings.id, 1))
        .run();
      return read()!;
    }),
  };
}
