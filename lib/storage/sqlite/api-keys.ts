/** API keys, `byLookupHash` cached under `apikey:<lookup hash>`; each write evicts the keys it replaced or removed. */
import { eq } from "drizzle-orm";
import { apiKeys } from "../../../db/schema";
import type { Store, StoredApiKey } from "../types";
import type { Scope } from "./context";
import { cacheKeys } from "./read-cache";

export function apiKeysAggregate({ db, prepared, op, write, cached }: Scope): Store["apiKeys"] {
  const byHash = prepared(
    "SELECT user_id AS userId, lookup_hash AS lookupHash, ciphertext, hint, created_at AS createdAt, last_used_at AS lastUsedAt FROM api_keys WHERE lookup_hash = ?",
  );
  const hashOfUser = (userId: string) => prepared("SELECT lookup_hash FROM api_keys WHERE user_id = ?").pluck().get(userId) as string | undefined;
  return {
    byUser: op((userId) => db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).get() ?? null),
    byLookupHash: op((h) => cached(cacheKeys.apiKey(h), () => (byHash.get(h) as StoredApiKey | undefined) ?? null)),
    put: write((touched, k) => {
      // A user has one key: the one it replaces stops working.
      const replaced = hashOfUser(k.userId);
      if (replaced !== undefined) touched.entry(cacheKeys.apiKey(replaced));
      touched.entry(cacheKeys.apiKey(k.lookupHash));
      db.insert(apiKeys).values(k).onConflictDoUpdate({ target: apiKeys.userId, set: k }).run();
    }),
    delete: write((touched, userId) => {
      const removed = db.delete(apiKeys).where(eq(apiKeys.userId, userId)).returning({ h: apiKeys.lookupHash }).all();
      for (const r of removed) touched.entry(cacheKeys.apiKey(r.h));
      return removed.length > 0;
    }),
    deleteAll: write((touched) => {
      touched.namespace("apikey");
      return db.delete(apiKeys).run().changes;
    }),
    touch: write((touched, userId, at) => {
      const row = prepared("UPDATE api_keys SET last_used_at = ? WHERE user_id = ? RETURNING lookup_hash AS h").get(at, userId) as { h: string } | undefined;
      if (row) touched.entry(cacheKeys.apiKey(row.h));
    }),
    list: op(() => db.select().from(apiKeys).all()),
  };
}
