/**
 * The Store contract: one suite, written against the port (`types.ts`) alone, that every adapter
 * must pass unchanged. An adapter's test calls `storeContract` with a factory for fresh, empty,
 * migrated stores (see `sqlite/testing.ts`, run by e2e/integration/store-contract.test.ts).
 */
import { afterEach, beforeEach, describe } from "vitest";
import { auditContract } from "./contract/audit";
import { certificatesContract } from "./contract/certificates";
import { apiKeysContract, sessionsContract } from "./contract/credentials";
import { customerContract, settingsContract } from "./contract/customer-settings";
import type { StoreUnderTest } from "./contract/fixtures";
import { oauthAppsContract } from "./contract/oauth";
import { oauthCodesContract } from "./contract/oauth-codes";
import { oauthTokensContract } from "./contract/oauth-tokens";
import { objectsContract } from "./contract/objects";
import { readsAfterWritesContract } from "./contract/reads-after-writes";
import { serviceCredentialsContract } from "./contract/service-credentials";
import { transactionsContract } from "./contract/transactions";
import { usersContract } from "./contract/users";

export type { StoreUnderTest };

export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let current: StoreUnderTest | undefined;
    beforeEach(async () => {
      current = await makeStore();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    const h = (): StoreUnderTest => {
      if (!current) throw new Error("no store: the contract's cases run inside storeContract");
      return current;
    };
    customerContract(h);
    settingsContract(h);
    usersContract(h);
    sessionsContract(h);
    apiKeysContract(h);
    certificatesContract(h);
    objectsContract(h);
    auditContract(h);
    oauthAppsContract(h);
    oauthTokensContract(h);
    oauthCodesContract(h);
    serviceCredentialsContract(h);
    transactionsContract(h);
    readsAfterWritesContract(h);
  });
}
