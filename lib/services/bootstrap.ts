/** First-run seed: the customer row, default settings and one administrator. Idempotent. */
import type { Clock } from "../clock";
import { generatePassword, hashPassword } from "../crypto/password";
import { randomId } from "../crypto/secrets";
import type { Settings } from "../env";
import type { Store } from "../storage/types";

export interface BootstrapResult {
  customerId: string;
  createdAdmin?: { username: string; generatedPassword?: string };
}

export class SecretMismatch extends Error {}

export async function bootstrap(deps: {
  store: Store;
  settings: Settings;
  clock: Clock;
  secretFingerprint: string;
}): Promise<BootstrapResult> {
  const { store, settings, clock, secretFingerprint } = deps;
  let customer = await store.customer.get();
  const now = clock.now();
  if (!customer) {
    customer = { customerId: randomId(), name: "Keyward", secretFingerprint, createdAt: now };
    await store.customer.create(customer);
  } else if (customer.secretFingerprint === null) {
    await store.customer.setSecretFingerprint(secretFingerprint);
  } else if (customer.secretFingerprint !== secretFingerprint) {
    // Starting with another secret would silently break every stored credential.
    throw new SecretMismatch(
      `The database ${settings.databasePath} was initialised with a different server secret. ` +
        "Set KEYWARD_SECRET (or restore secret.key in the data folder) to the secret it was created with.",
    );
  }
  await store.settings.initialize(now);
  const { total } = await store.users.list({ limit: 1, offset: 0 });
  if (total > 0) return { customerId: customer.customerId };

  const username = settings.adminUsername ?? "admin";
  const generatedPassword = settings.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(settings.adminPassword ?? generatedPassword!, settings.scryptLogN);
  const id = randomId();
  const created = await store.transaction(async (tx) => {
    const again = await tx.users.list({ limit: 1, offset: 0 });
    if (again.total > 0) return false;
    await tx.users.create({
      id,
      username,
      name: "System Administrator",
      email: "",
      passwordHash,
      accessLevel: "admin",
      isActive: true,
      passwordChangedAt: now,
      createdAt: now,
    });
    await tx.audit.append({
      at: now,
      actorId: null,
      actorName: "system",
      action: "user.create",
      subjectType: "user",
      subjectId: id,
      details: { username, accessLevel: "admin", reason: "first start" },
    });
    return true;
  });
  return { customerId: customer.customerId, createdAdmin: created ? { username, generatedPassword } : undefined };
}
