/** REST `/logout` with an IMS access token as Bearer ends that token, and only that one. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { issueLocalDevelopmentToken } from "../../lib/services/ims/local-token";
import type { ServiceContext } from "../../lib/services/context";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let ctx: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

const search = (token: string) => api("/project/search", { headers: { authorization: `Bearer ${token}` } });

it("logout with an IMS token ends it at once, leaves the person's other tokens working, and is audited", async () => {
  const first = (await issueLocalDevelopmentToken(ctx)).accessToken;
  const second = (await issueLocalDevelopmentToken(ctx)).accessToken;
  expect((await search(first)).status).toBe(200);
  const out = await api("/logout", { headers: { authorization: `Bearer ${first}` } });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ data: { success: true } });
  expect((await search(first)).status).toBe(401);
  expect((await search(second)).status).toBe(200);
  const events = await rt.store.audit.list({ action: "ims_token.revoke", limit: 10 });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ actorName: "logout", subjectType: "user", details: expect.objectContaining({ by: "logout", kind: "local_development" }) });
});

it("logout with a forged or unknown IMS token answers success and ends nothing", async () => {
  const token = (await issueLocalDevelopmentToken(ctx)).accessToken;
  const [h, p] = token.split(".");
  const forged = `${h}.${p}.${"A".repeat(86)}`;
  expect((await api("/logout", { headers: { authorization: `Bearer ${forged}` } })).body).toEqual({ data: { success: true } });
  expect((await search(token)).status).toBe(200);
  expect(await rt.store.audit.list({ action: "ims_token.revoke", limit: 10 })).toHaveLength(0);
});
