import { describe, expect, it } from "vitest";
import type { CertificateSlot, StoredCertificate } from "../types";
import { Boom, T0, type Current } from "./fixtures";

let seq = 0;

/** A stored certificate; the store keeps the bytes and details as given, it does not parse them. */
export function newCertificate(slot: CertificateSlot, over: Partial<StoredCertificate> = {}): StoredCertificate {
  const n = ++seq;
  const fingerprint256 = Array.from({ length: 32 }, (_, i) => ((n * 31 + i) % 256).toString(16).padStart(2, "0").toUpperCase()).join(":");
  return {
    slot,
    fileName: `client-${n}.pem`,
    der: new Uint8Array([0x30, 0x03, 0x02, 0x01, n % 256]),
    fingerprint256,
    details: {
      subjectCommonName: `client ${n}`,
      subjectOrganization: "Acme",
      subjectOrganizationalUnit: null,
      issuerCommonName: "Acme CA",
      issuerOrganization: "Acme",
      issuerOrganizationalUnit: "Trust, Services",
      serialNumber: "0102",
      notBefore: "2026-01-01T00:00:00.000Z",
      notAfter: "2027-01-01T00:00:00.000Z",
      fingerprint256,
    },
    uploadedBy: null,
    uploadedAt: T0,
    ...over,
  };
}

export function certificatesContract(h: Current): void {
  describe("certificates", () => {
    it("list is empty on a new store; put stores a certificate that list returns as given", async () => {
      const { store } = h();
      expect(await store.certificates.list()).toEqual([]);
      const c = newCertificate("current", { uploadedBy: "user-1" });
      await store.certificates.put(c);
      expect(await store.certificates.list()).toEqual([c]);
    });

    it("lists current before next, and put replaces the certificate of its slot", async () => {
      const { store } = h();
      const next = newCertificate("next");
      const current = newCertificate("current");
      await store.certificates.put(next);
      await store.certificates.put(current);
      expect(await store.certificates.list()).toEqual([current, next]);
      const replacement = newCertificate("current", { uploadedAt: T0 + 1 });
      await store.certificates.put(replacement);
      expect(await store.certificates.list()).toEqual([replacement, next]);
    });

    it("put refuses a fingerprint that another slot holds", async () => {
      const { store } = h();
      const current = newCertificate("current");
      await store.certificates.put(current);
      await expect(store.certificates.put(newCertificate("next", { fingerprint256: current.fingerprint256 }))).rejects.toThrow();
      expect(await store.certificates.list()).toEqual([current]);
    });

    it("delete removes one slot and says whether there was one", async () => {
      const { store } = h();
      const [current, next] = [newCertificate("current"), newCertificate("next")];
      await store.certificates.put(current);
      await store.certificates.put(next);
      await store.certificates.list();
      expect(await store.certificates.delete("current")).toBe(true);
      expect(await store.certificates.delete("current")).toBe(false);
      expect(await store.certificates.list()).toEqual([next]);
    });

    it("a rolled-back put or delete leaves the list as it was; a committed one is read back", async () => {
      const { store } = h();
      const current = newCertificate("current");
      await store.certificates.put(current);
      await store.certificates.list();
      await expect(
        store.transaction(async (tx) => {
          await tx.certificates.delete("current");
          await tx.certificates.put(newCertificate("next"));
          expect(await tx.certificates.list()).toHaveLength(1);
          throw new Boom();
        }),
      ).rejects.toThrow(Boom);
      expect(await store.certificates.list()).toEqual([current]);
      const promoted = newCertificate("current");
      await store.transaction(async (tx) => {
        await tx.certificates.delete("current");
        await tx.certificates.put(promoted);
      });
      expect(await store.certificates.list()).toEqual([promoted]);
    });
  });
}
