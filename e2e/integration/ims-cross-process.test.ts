/**
 * Two runtimes on one database file, as two processes would be (each its own connection and read
 * cache): a token issued through one is honoured by the other, a revocation committed by one is
 * refused by the other from its next turn, and a signing-key rotation by one is followed by the other.
 */
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../lib/runtime";
import { resolveImsToken } from "../../lib/services/ims/access-tokens";
import { issueLocalDevelopmentToken, revokeLocalDevelopmentTokens } from "../../lib/services/ims/local-token";
import { currentSigner, rotateSigningKey } from "../../lib/services/ims/signing-keys";
import { createServiceCredential } from "../../lib/services/service-credentials/create";
import { revokeServiceCredential } from "../../lib/services/service-credentials/manage";
import { clientCredentialsToken } from "../../lib/services/ims/client-credentials";
import { ADMIN, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let a: TestRuntime;
let b: Runtime;

beforeEach(async () => {
  a = await createTestRuntime();
  b = await createRuntime({
    env: {
      DATABASE_PATH: path.join(a.dir, "keyward.db"),
      KEYWARD_ADMIN_USERNAME: ADMIN.username,
      KEYWARD_ADMIN_PASSWORD: ADMIN.password,
      KEYWARD_SCRYPT_LOG_N: "10",
      KEYWARD_PUBLIC_URL: "http://localhost:3000",
    },
    clock: a.clock,
  });
});
afterEach(async () => {
  await b.store.close();
  await a.cleanup();
});

/** The other runtime sees a commit from the next event-loop turn on (data_version is read once per turn). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

it("a service credential's token works on both, and its revocation on one is refused by the other at once", async () => {
  const ctxA = await consoleContext(a);
  const bundle = await createServiceCredential(ctxA, { name: "Two nodes", type: "oauth_server_to_server" });
  const { clientId, clientSecret } = bundle.integration.technicalAccount;
  const { access_token } = await clientCredentialsToken({ rt: a, actor: null, meta: {} }, { clientId, clientSecret });
  // Used (and so cached) on both before the revocation.
  expect(await resolveImsToken(a, access_token)).not.toBeNull();
  expect(await resolveImsToken(b, access_token)).not.toBeNull();
  expect(await resolveImsToken(b, access_token)).not.toBeNull();

  await revokeServiceCredential(ctxA, clientId);
  expect(await resolveImsToken(a, access_token)).toBeNull();
  await nextTurn();
  expect(await resolveImsToken(b, access_token)).toBeNull();
});

it("a local development token revoked on one is refused by the other, and a token issued on the other works on the first", async () => {
  const ctxB = await consoleContext(b);
  const token = (await issueLocalDevelopmentToken(ctxB)).accessToken;
  await nextTurn();
  expect((await resolveImsToken(a, token))?.token.kind).toBe("local_development");
  await revokeLocalDevelopmentTokens(await consoleContext(a));
  await nextTurn();
  expect(await resolveImsToken(b, token)).toBeNull();
});

it("a signing-key rotation on one makes the other sign with the new key, and both still accept tokens of the old one", async () => {
  const before = (await currentSigner(b)).kid;
  const old = (await issueLocalDevelopmentToken(await consoleContext(b))).accessToken;
  const { kid } = await rotateSigningKey(await consoleContext(a));
  expect(kid).not.toBe(before);
  await nextTurn();
  expect((await currentSigner(b)).kid).toBe(kid);
  const fresh = (await issueLocalDevelopmentToken(await consoleContext(b))).accessToken;
  await nextTurn();
  for (const rt of [a, b]) {
    expect(await resolveImsToken(rt, old)).not.toBeNull();
    expect(await resolveImsToken(rt, fresh)).not.toBeNull();
  }
});
