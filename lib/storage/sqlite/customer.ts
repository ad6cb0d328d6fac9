/** The customer row (id 1): the organisation and the fingerprint of the server secret. Not cached. */
import { eq } from "drizzle-orm";
import { customers } from "../../../db/schema";
import type { Store } from "../types";
import type { Scope } from "./context";

export function customerAggregate({ db, op }: Scope): Store["customer"] {
  return {
    get: op(() => {
      const r = db.select().from(customers).where(eq(customers.id, 1)).get();
      if (!r) return null;
      const { id: _id, ...c } = r;
      return c;
    }),
    create: op((c) => {
      db.insert(customers).values({ id: 1, ...c }).run();
    }),
    setSecretFingerprint: op((fingerprint) => {
      db.update(customers).set({ secretFingerprint: fingerprint }).where(eq(customers.id, 1)).run();
    }),
  };
}
