import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../domain/actor";
import { Forbidden, InvalidRequest } from "../../errors";
import { ADMIN, api, createTestRuntime, type TestRuntime } from "../../testing/runtime";
import { SSO_REQUIRED } from "../auth/password-login";
import type { ServiceContext } from "../context";
import { createUser } from "../users/write";
import { SSO_ONLY_NEEDS_SAML, updateSso } from "./update-sso";

let rt: TestRuntime;
let admin: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  const u = (await rt.store.users.byUsername(ADMIN.username))!;
  admin = { rt, actor: actorOf({ ...u, accessLevel: "admin" }, "console"), meta: {} };
  await createUser(admin, { username: "member", name: "Member", password: "member-password" }, { apiFieldNames: false });
});
afterEach(() => rt.cleanup());

describe("updateSso", () => {
  it("SAML-only refuses password API calls for non-admins, keeps them for admins, and audits", async () => {
    await updateSso(admin, { ssoType: "saml2", ssoOnly: true });
    const refused = await api("/login", { form: { username: "member", password: "member-password" } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe(SSO_REQUIRED);
    const key = await api("/user?action=getApiKey&method=PUT", { form: { username: "member", password: "member-password" } });
    expect(key.status).toBe(401);
    expect((await api("/login", { form: ADMIN })).status).toBe(200);

    await updateSso(admin, { ssoType: "saml2", ssoOnly: false });
    expect((await api("/login", { form: { username: "member", password: "member-password" } })).status).toBe(200);
    const events = await rt.store.audit.list({ action: "settings.sso", limit: 5 });
    expect(events.map((e) => e.details)).toEqual([
      { ssoOnly: { from: true, to: false } },
      { ssoType: { from: "none", to: "saml2" }, ssoOnly: { from: false, to: true }, endedSessions: 0 },
    ]);
  });

  it("refuses SAML-only without the SAML 2.0 type, and non-admins", async () => {
    await expect(updateSso(admin, { ssoType: "none", ssoOnly: true })).rejects.toThrow(new InvalidRequest(SSO_ONLY_NEEDS_SAML));
    const u = (await rt.store.users.byUsername("member"))!;
    const member: ServiceContext = { rt, actor: actorOf({ ...u, accessLevel: "user" }, "console"), meta: {} };
    await expect(updateSso(member, { ssoType: "saml2", ssoOnly: false })).rejects.toThrow(Forbidden);
    expect(await rt.store.settings.get()).toMatchObject({ ssoType: "none", ssoOnly: false });
  });
});
