/**
 * Preview environment refresh: production's API keys are copied into a preview instance's database,
 * overwriting the preview's keys (users matched by username). Both instances must share the server
 * secret, otherwise the copied keys could not be verified there.
 */
import { decrypt, encrypt, type ServerKeys } from "../../crypto/secrets";
import type { Store } from "../../storage/types";

export interface PreviewRefreshReport {
  /** Production users with a key whose username exists in preview. */
  matched: number;
  /** Of those, preview users whose own key was replaced. */
  overwritten: number;
  /** Production keys whose user does not exist in preview. */
  skipped: number;
  /** Preview keys removed because the production user has none. */
  removed: number;
}

export class SecretsDiffer extends Error {}

export interface RefreshSide {
  store: Store;
  keys: ServerKeys;
}

export async function refreshPreviewKeys(prod: RefreshSide, preview: RefreshSide, now: number): Promise<PreviewRefreshReport> {
  const [prodCustomer, previewCustomer] = await Promise.all([prod.store.customer.get(), preview.store.customer.get()]);
  for (const [label, c, side] of [["production", prodCustomer, prod], ["preview", previewCustomer, preview]] as const) {
    if (!c) throw new SecretsDiffer(`The ${label} database has not been initialised (start Keyward on it once).`);
    if (c.secretFingerprint !== side.keys.fingerprint) {
      throw new SecretsDiffer(`The server secret given for the ${label} database is not the one it was created with.`);
    }
  }
  if (prod.keys.fingerprint !== preview.keys.fingerprint) {
    throw new SecretsDiffer(
      "The production and preview instances use different server secrets, so copied keys would not verify in preview. " +
        "Give both instances the same KEYWARD_SECRET and try again.",
    );
  }

  // Read and re-seal everything first; then one synchronous-style transaction on the preview side.
  const prodKeys = await prod.store.apiKeys.list();
  const copies: { previewUserId: string; row: Awaited<ReturnType<Store["apiKeys"]["list"]>>[number] }[] = [];
  const prodUsernames = new Set<string>();
  let skipped = 0;
  for (const k of prodKeys) {
    const owner = await prod.store.users.byId(k.userId);
    if (!owner) continue;
    prodUsernames.add(owner.username.toLowerCase());
    const target = await preview.store.users.byUsername(owner.username);
    if (!target) {
      skipped++;
      continue;
    }
    // Ciphertexts are bound to their user ID, which differs between the instances.
    const plaintext = decrypt(prod.keys, k.ciphertext, `api_key:${k.userId}`);
    copies.push({
      previewUserId: target.id,
      row: { ...k, userId: target.id, ciphertext: encrypt(preview.keys, plaintext, `api_key:${target.id}`) },
    });
  }
  const { users: previewUsers } = await preview.store.users.list({ limit: 1_000_000, offset: 0 });

  return preview.store.transaction(async (tx) => {
    let overwritten = 0;
    let removed = 0;
    const copied = new Set(copies.map((c) => c.previewUserId));
    // Removals first: a key copied by an earlier refresh may now belong to another username.
    for (const u of previewUsers) {
      if (copied.has(u.id) || prodUsernames.has(u.username.toLowerCase())) continue;
      if (await tx.apiKeys.delete(u.id)) removed++;
    }
    for (const c of copies) {
      const holder = await tx.apiKeys.byLookupHash(c.row.lookupHash);
      if (holder && holder.userId !== c.previewUserId) await tx.apiKeys.delete(holder.userId);
      if (await tx.apiKeys.byUser(c.previewUserId)) overwritten++;
      await tx.apiKeys.put(c.row);
    }
    const report = { matched: copies.length, overwritten, skipped, removed };
    await tx.audit.append({
      at: now,
      actorId: null,
      actorName: "system",
      action: "api_key.preview_refresh",
      subjectType: "customer",
      details: { ...report },
    });
    return report;
  });
}
