/**
 * The acceptance path of service credentials with the real, unmodified @adobe/jwt-auth package:
 * Get Service Credentials, hand the bundle's fields to the client with `ims` set to this server, get
 * a token, search projects with it as `Authorization: Bearer`; after Revoke the same token is
 * refused and a new exchange fails with invalid_client (the code the package surfaces).
 */
import authenticate from "@adobe/jwt-auth";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServiceCredential } from "../../lib/services/service-credentials/create";
import { refreshServiceCredential, revokeServiceCredential } from "../../lib/services/service-credentials/manage";
import type { ServiceCredentialBundle } from "../../lib/services/service-credentials/bundle";
import type { ServiceContext } from "../../lib/services/context";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import { startApiServer } from "../../lib/testing/server";

let rt: TestRuntime;
let ctx: ServiceContext;
let server: { url: string; close(): Promise<void> };

beforeEach(async () => {
  rt = await createTestRuntime();
  // The package signs exp from the real clock: the server's clock must agree.
  rt.clock.set(Date.now());
  ctx = await consoleContext(rt);
  server = await startApiServer();
});
afterEach(async () => {
  await server.close();
  await rt.cleanup();
});

/** The options @adobe/jwt-auth takes, from the downloaded bundle's fields. */
const clientOptions = (bundle: ServiceCredentialBundle, ims: string) => ({
  clientId: bundle.integration.technicalAccount.clientId,
  clientSecret: bundle.integration.technicalAccount.clientSecret,
  technicalAccountId: bundle.integration.id,
  orgId: bundle.integration.org,
  privateKey: bundle.integration.privateKey!,
  metaScopes: bundle.integration.metascopes.split(","),
  ims,
});

const searchProjects = (token: string) =>
  fetch(`${server.url}/attask/api/v20.0/project/search`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe("@adobe/jwt-auth against /ims/exchange/jwt", () => {
  it("gets a 24-hour token that searches projects, and after Revoke the token is refused and a new exchange fails with invalid_client", async () => {
    const bundle = await createServiceCredential(ctx, { name: "Nightly export" });
    const options = clientOptions(bundle, server.url);
    const answer = await authenticate(options);
    expect(answer).toEqual({ token_type: "bearer", access_token: expect.any(String), expires_in: 86_400_000 });

    const search = await searchProjects(answer.access_token);
    expect(search.status).toBe(200);
    expect(search.body).toEqual({ data: expect.any(Array) });

    await revokeServiceCredential(ctx, options.clientId);
    const after = await searchProjects(answer.access_token);
    expect(after.status).toBe(401);
    await expect(authenticate(options)).rejects.toMatchObject({ code: "invalid_client" });
  });

  it("two exchanges of byte-identical JWTs within one second both work (the package sends no jti or iat)", async () => {
    const bundle = await createServiceCredential(ctx, { name: "Twice" });
    const options = clientOptions(bundle, server.url);
    const [a, b] = await Promise.all([authenticate(options), authenticate(options)]);
    expect(a.access_token).not.toBe(b.access_token);
    expect((await searchProjects(a.access_token)).status).toBe(200);
    expect((await searchProjects(b.access_token)).status).toBe(200);
  });

  it("after Refresh both the old and the new private key work until the old certificate expires", async () => {
    const bundle = await createServiceCredential(ctx, { name: "Rotating" });
    const refreshed = await refreshServiceCredential(ctx, bundle.integration.technicalAccount.clientId);
    expect(refreshed.integration.privateKey).not.toBe(bundle.integration.privateKey);
    expect(refreshed.integration.technicalAccount).toEqual(bundle.integration.technicalAccount);
    for (const b of [bundle, refreshed]) {
      const answer = await authenticate(clientOptions(b, server.url));
      expect((await searchProjects(answer.access_token)).status).toBe(200);
    }
  });

  it("the package surfaces invalid_client for a wrong secret and invalid_scope for a metascope the credential lacks", async () => {
    const bundle = await createServiceCredential(ctx, { name: "Errors" });
    const options = clientOptions(bundle, server.url);
    await expect(authenticate({ ...options, clientSecret: "kwsc_wrong" })).rejects.toMatchObject({ code: "invalid_client" });
    await expect(authenticate({ ...options, metaScopes: ["ent_other_sdk"] })).rejects.toMatchObject({ code: "invalid_scope" });
  });
});
