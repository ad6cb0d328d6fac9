/** The accepted login certificates (at most "current" and "next"), the whole list cached under `certificates`. */
import { eq } from "drizzle-orm";
import { apiCertificates } from "../../../db/schema";
import type { CertificateDetails } from "../../domain/x509-details";
import type { Store, StoredCertificate } from "../types";
import type { Scope } from "./context";
import { cacheKeys } from "./read-cache";

type CertificateRow = typeof apiCertificates.$inferSelect;

/** Frozen, details included, because the cached list is shared by every caller (a typed array cannot be frozen: read `der` only). */
function rowToCertificate(r: CertificateRow): StoredCertificate {
  return Object.freeze({
    slot: r.slot,
    fileName: r.fileName,
    der: new Uint8Array(r.der),
    fingerprint256: r.fingerprint256,
    details: Object.freeze(JSON.parse(r.details) as CertificateDetails),
    uploadedBy: r.uploadedBy ?? null,
    uploadedAt: r.uploadedAt,
  });
}

const SLOT_ORDER: Record<StoredCertificate["slot"], number> = { current: 0, next: 1 };

export function certificatesAggregate({ db, op, write, cached }: Scope): Store["certificates"] {
  const all = db.select().from(apiCertificates).prepare();
  const read = (): StoredCertificate[] =>
    all
      .all()
      .map(rowToCertificate)
      .sort((a, b) => SLOT_ORDER[a.slot] - SLOT_ORDER[b.slot]);
  return {
    list: op(() => cached(cacheKeys.certificates, read) ?? []),
    put: write((touched, c) => {
      touched.entry(cacheKeys.certificates);
      const row = { ...c, der: Buffer.from(c.der), details: JSON.stringify(c.details) };
      db.insert(apiCertificates).values(row).onConflictDoUpdate({ target: apiCertificates.slot, set: row }).run();
    }),
    delete: write((touched, slot) => {
      touched.entry(cacheKeys.certificates);
      return db.delete(apiCertificates).where(eq(apiCertificates.slot, slot)).run().changes > 0;
    }),
  };
}
