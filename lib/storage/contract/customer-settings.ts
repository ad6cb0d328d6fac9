import { describe, expect, it } from "vitest";
import type { InstanceSettings } from "../types";
import { DAY, T0, type Current } from "./fixtures";

const DEFAULTS: Omit<InstanceSettings, "updatedAt"> = {
  apiKeyExpiry: "1m",
  apiKeyExpiryChangedAt: 0,
  removeKeyOnPasswordExpiry: false,
  passwordResetDays: null,
  lockoutEnabled: true,
  lockoutThreshold: 5,
  lockoutMinutes: 10,
  ssoType: "none",
  ssoOnly: false,
  x509Enabled: false,
};

export function customerContract(h: Current): void {
  describe("customer", () => {
    const customer = { customerId: "c0ffee", name: "Keyward", secretFingerprint: "fp-1", createdAt: T0 };

    it("get is null on a new store; create stores the one customer and get returns it", async () => {
      const { store } = h();
      expect(await store.customer.get()).toBeNull();
      await store.customer.create(customer);
      expect(await store.customer.get()).toEqual(customer);
    });

    it("create refuses a second customer", async () => {
      const { store } = h();
      await store.customer.create(customer);
      await expect(store.customer.create({ ...customer, customerId: "other" })).rejects.toThrow();
      expect((await store.customer.get())?.customerId).toBe("c0ffee");
    });

    it("setSecretFingerprint replaces the fingerprint and nothing else", async () => {
      const { store } = h();
      await store.customer.create({ ...customer, secretFingerprint: null });
      await store.customer.setSecretFingerprint("fp-2");
      expect(await store.customer.get()).toEqual({ ...customer, secretFingerprint: "fp-2" });
    });
  });
}

export function settingsContract(h: Current): void {
  describe("settings", () => {
    it("get is a pure read: before initialize it rejects and writes nothing", async () => {
      const { store } = h();
      await expect(store.settings.get()).rejects.toThrow();
      await expect(store.settings.get()).rejects.toThrow();
      expect(await store.settings.initialize(T0)).toBe(true);
    });

    it("initialize writes the default policy once, stamped with the time given", async () => {
      const { store } = h();
      expect(await store.settings.initialize(T0)).toBe(true);
      expect(await store.settings.get()).toEqual({ ...DEFAULTS, updatedAt: T0 });
      expect(await store.settings.initialize(T0 + DAY)).toBe(false);
      expect((await store.settings.get()).updatedAt).toBe(T0);
    });

    it("initialize leaves a policy that was changed alone", async () => {
      const { store } = h();
      await store.settings.initialize(T0);
      await store.settings.update({ lockoutThreshold: 3, updatedAt: T0 + 1 });
      expect(await store.settings.initialize(T0 + 2)).toBe(false);
      expect(await store.settings.get()).toMatchObject({ lockoutThreshold: 3, updatedAt: T0 + 1 });
    });

    it("update merges a partial patch, returns the whole policy, and get returns the same", async () => {
      const { store } = h();
      await store.settings.initialize(T0);
      const patch = { apiKeyExpiry: "6m", apiKeyExpiryChangedAt: T0 + 5, passwordResetDays: 30, ssoType: "saml2", ssoOnly: true, x509Enabled: true, updatedAt: T0 + 5 } as const;
      const updated = await store.settings.update(patch);
      expect(updated).toEqual({ ...DEFAULTS, ...patch });
      expect(await store.settings.get()).toEqual(updated);
      const cleared = await store.settings.update({ passwordResetDays: null, removeKeyOnPasswordExpiry: true, updatedAt: T0 + 6 });
      expect(cleared).toEqual({ ...DEFAULTS, ...patch, passwordResetDays: null, removeKeyOnPasswordExpiry: true, updatedAt: T0 + 6 });
    });

    it("update without updatedAt still stamps a time", async () => {
      const { store } = h();
      await store.settings.initialize(0);
      const s = await store.settings.update({ lockoutMinutes: 20 });
      expect(s.lockoutMinutes).toBe(20);
      expect(s.updatedAt).toBeGreaterThan(0);
    });
  });
}
