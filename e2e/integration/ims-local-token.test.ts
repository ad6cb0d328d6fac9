/**
 * Get Local Development Token (Developer Console): who may get one, what it acts as on the REST API,
 * the per-person limit, and everything that ends it (Revoke, password change and reset,
 * deactivation, expiry, SSO-only for non-admins). It never manages credentials.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorOf } from "../../lib/domain/actor";
import { IMS_TOKEN_TTL_MS, LOCAL_DEVELOPMENT_CLIENT_ID } from "../../lib/domain/service-credential";
import { Forbidden } from "../../lib/errors";
import { changeOwnPassword } from "../../lib/services/account/change-password";
import type { ServiceContext } from "../../lib/services/context";
import {
  issueLocalDevelopmentToken,
  listLocalDevelopmentTokens,
  MAX_LOCAL_TOKENS,
  revokeLocalDevelopmentTokens,
} from "../../lib/services/ims/local-token";
import { updateSso } from "../../lib/services/settings/update-sso";
import { createUser, resetPassword, updateUser } from "../../lib/services/users/write";
import { ADMIN, api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

const DEV = { username: "dev.user", password: "dev-password-123" };
const FORBIDDEN = "com.attask.common.SecurityException";

let rt: TestRuntime;
let admin: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  admin = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

/** A person, by default a developer, and their console context. */
async function person(over: { username?: string; isDeveloper?: boolean; accessLevel?: "admin" | "user" } = {}) {
  const username = over.username ?? DEV.username;
  const user = await createUser(
    admin,
    { username, name: `Person ${username}`, password: DEV.password, isDeveloper: over.isDeveloper ?? true, accessLevel: over.accessLevel ?? "user" },
    { apiFieldNames: false },
  );
  return { user, ctx: await consoleContext(rt, username) };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const search = async (t: string) => (await api("/project/search", { headers: bearer(t) })).status;
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

/** Creates a project with the token and answers the audit row's actor. */
async function actorOfWrite(t: string, name: string): Promise<string | null | undefined> {
  const r = await api("/proj", { headers: bearer(t), json: { name } });
  expect(r.status).toBe(200);
  const [event] = await rt.store.audit.list({ action: "project.create", limit: 1 });
  return event?.actorId;
}

describe("who gets a local development token", () => {
  it("an administrator gets {ok, statusCode, accessToken, expiresAt}; the token acts as them on the REST API", async () => {
    const issued = await issueLocalDevelopmentToken(admin);
    expect(issued).toEqual({ ok: true, statusCode: 200, accessToken: expect.any(String), expiresAt: rt.clock.now() + IMS_TOKEN_TTL_MS });
    expect(Object.keys(issued)).toEqual(["ok", "statusCode", "accessToken", "expiresAt"]);
    const adminRow = (await rt.store.users.byUsername(ADMIN.username))!;
    expect(claimsOf(issued.accessToken)).toMatchObject({ type: "access_token", client_id: LOCAL_DEVELOPMENT_CLIENT_ID, user_id: adminRow.id, scope: "" });
    expect(await search(issued.accessToken)).toBe(200);
    expect(await actorOfWrite(issued.accessToken, "Admin's project")).toBe(adminRow.id);
    const [event] = await rt.store.audit.list({ action: "ims_token.local_issue", limit: 1 });
    expect(event).toMatchObject({ actorId: adminRow.id, subjectId: adminRow.id, details: { expiresAt: issued.expiresAt, replacedOldest: 0 } });
    const rows = await rt.store.imsTokens.listForUser(adminRow.id, "local_development", rt.clock.now());
    expect(rows).toEqual([expect.objectContaining({ kind: "local_development", clientId: null, keyId: null, userId: adminRow.id })]);
  });

  it("a developer who is not an administrator gets one that acts as them, with their rights", async () => {
    const { user, ctx } = await person();
    const issued = await issueLocalDevelopmentToken(ctx);
    expect(claimsOf(issued.accessToken)).toMatchObject({ user_id: user.id });
    expect(await actorOfWrite(issued.accessToken, "Developer's project")).toBe(user.id);
    // Not an administrator: user administration is refused.
    const made = await api("/user", { headers: bearer(issued.accessToken), json: { username: "x.y", name: "X", password: "x-password-1234" } });
    expect(made.status).toBe(403);
  });

  it("a non-administrator who is not a developer is refused, and so is an inactive or demoted developer", async () => {
    const plain = await person({ username: "plain.user", isDeveloper: false });
    await expect(issueLocalDevelopmentToken(plain.ctx)).rejects.toBeInstanceOf(Forbidden);
    await expect(listLocalDevelopmentTokens(plain.ctx)).rejects.toBeInstanceOf(Forbidden);
    await expect(revokeLocalDevelopmentTokens(plain.ctx)).rejects.toBeInstanceOf(Forbidden);

    const dev = await person();
    await updateUser(admin, dev.user.id, { isDeveloper: false }, { apiFieldNames: false });
    await expect(issueLocalDevelopmentToken(dev.ctx)).rejects.toBeInstanceOf(Forbidden);
    const other = await person({ username: "other.dev" });
    await updateUser(admin, other.user.id, { isActive: false }, { apiFieldNames: false });
    await expect(issueLocalDevelopmentToken(other.ctx)).rejects.toBeInstanceOf(Forbidden);
    expect(await rt.store.audit.list({ action: "ims_token.local_issue", limit: 10 })).toEqual([]);
  });

  it("is refused to an actor authenticated by an access token, even an administrator's", async () => {
    const adminRow = (await rt.store.users.byUsername(ADMIN.username))!;
    const viaToken: ServiceContext = { rt, actor: actorOf(adminRow, { kind: "access_token" }), meta: {} };
    await expect(issueLocalDevelopmentToken(viaToken)).rejects.toBeInstanceOf(Forbidden);
    await expect(revokeLocalDevelopmentTokens(viaToken)).rejects.toBeInstanceOf(Forbidden);
  });
});

describe("how many", () => {
  it(`keeps at most ${MAX_LOCAL_TOKENS} live tokens per person: the oldest goes first`, async () => {
    const { user, ctx } = await person();
    const tokens: string[] = [];
    for (let n = 0; n < MAX_LOCAL_TOKENS; n++) {
      tokens.push((await issueLocalDevelopmentToken(ctx)).accessToken);
      rt.clock.advance(1000);
    }
    const adminToken = (await issueLocalDevelopmentToken(admin)).accessToken;
    for (const t of tokens) expect(await search(t)).toBe(200);
    expect(await listLocalDevelopmentTokens(ctx)).toHaveLength(MAX_LOCAL_TOKENS);

    const eleventh = (await issueLocalDevelopmentToken(ctx)).accessToken;
    expect(await search(tokens[0]!)).toBe(401);
    for (const t of [...tokens.slice(1), eleventh, adminToken]) expect(await search(t)).toBe(200);
    const listed = await listLocalDevelopmentTokens(ctx);
    expect(listed).toHaveLength(MAX_LOCAL_TOKENS);
    expect(listed.map((t) => t.createdAt)).toEqual([...listed.map((t) => t.createdAt)].sort((a, b) => b - a));
    expect(listed[0]!.id).toBe((claimsOf(eleventh).id as string).slice(0, 8));
    const [event] = await rt.store.audit.list({ action: "ims_token.local_issue", limit: 1 });
    expect(event).toMatchObject({ subjectId: user.id, details: { replacedOldest: 1 } });
  });

  it("expired tokens do not count against the limit", async () => {
    const { ctx } = await person();
    for (let n = 0; n < MAX_LOCAL_TOKENS; n++) await issueLocalDevelopmentToken(ctx);
    rt.clock.advance(IMS_TOKEN_TTL_MS);
    const fresh = (await issueLocalDevelopmentToken(ctx)).accessToken;
    expect(await listLocalDevelopmentTokens(ctx)).toHaveLength(1);
    expect(await search(fresh)).toBe(200);
    const [event] = await rt.store.audit.list({ action: "ims_token.local_issue", limit: 1 });
    expect(event?.details).toMatchObject({ replacedOldest: 0 });
  });
});

describe("what ends a local development token", () => {
  it("Revoke ends every one of the person's tokens, and only theirs", async () => {
    const { user, ctx } = await person();
    const mine = [(await issueLocalDevelopmentToken(ctx)).accessToken, (await issueLocalDevelopmentToken(ctx)).accessToken];
    const adminToken = (await issueLocalDevelopmentToken(admin)).accessToken;
    expect(await revokeLocalDevelopmentTokens(ctx)).toBe(2);
    for (const t of mine) expect(await search(t)).toBe(401);
    expect(await search(adminToken)).toBe(200);
    expect(await listLocalDevelopmentTokens(ctx)).toEqual([]);
    expect(await revokeLocalDevelopmentTokens(ctx)).toBe(0);
    const events = await rt.store.audit.list({ action: "ims_token.local_revoke", limit: 2 });
    expect(events.map((e) => [e.subjectId, (e.details as { revoked: number }).revoked])).toEqual([
      [user.id, 0],
      [user.id, 2],
    ]);
  });

  it("a password change ends them", async () => {
    const { ctx } = await person();
    const t = (await issueLocalDevelopmentToken(ctx)).accessToken;
    expect(await search(t)).toBe(200);
    await changeOwnPassword(ctx, { currentPassword: DEV.password, newPassword: "new-dev-password-456" });
    expect(await search(t)).toBe(401);
    const [event] = await rt.store.audit.list({ action: "user.password_change", limit: 1 });
    expect(event?.details).toMatchObject({ revokedTokens: 1 });
  });

  it("a password reset by an administrator ends them", async () => {
    const { user, ctx } = await person();
    const t = (await issueLocalDevelopmentToken(ctx)).accessToken;
    await resetPassword(admin, user.id, "reset-password-789");
    expect(await search(t)).toBe(401);
  });

  it("deactivation ends them, and reactivation does not bring them back", async () => {
    const { user, ctx } = await person();
    const t = (await issueLocalDevelopmentToken(ctx)).accessToken;
    await updateUser(admin, user.id, { isActive: false }, { apiFieldNames: false });
    expect(await search(t)).toBe(401);
    expect(await rt.store.imsTokens.listForUser(user.id, "local_development", rt.clock.now())).toEqual([]);
    await updateUser(admin, user.id, { isActive: true }, { apiFieldNames: false });
    expect(await search(t)).toBe(401);
  });

  it("expiry ends them after 24 hours", async () => {
    const { ctx } = await person();
    const issued = await issueLocalDevelopmentToken(ctx);
    rt.clock.set(issued.expiresAt - 1);
    expect(await search(issued.accessToken)).toBe(200);
    rt.clock.set(issued.expiresAt);
    expect(await search(issued.accessToken)).toBe(401);
    expect(await listLocalDevelopmentTokens(ctx)).toEqual([]);
  });

  it("while Only allow SAML 2.0 is on, a non-administrator's token is refused and none is issued; an administrator's works", async () => {
    const { ctx } = await person();
    const devToken = (await issueLocalDevelopmentToken(ctx)).accessToken;
    const adminToken = (await issueLocalDevelopmentToken(admin)).accessToken;
    await updateSso(admin, { ssoType: "saml2", ssoOnly: true });
    expect(await search(devToken)).toBe(401);
    expect(await search(adminToken)).toBe(200);
    await expect(issueLocalDevelopmentToken(ctx)).rejects.toBeInstanceOf(Forbidden);
    const another = (await issueLocalDevelopmentToken(admin)).accessToken;
    expect(await search(another)).toBe(200);
  });
});

describe("what a local development token cannot do", () => {
  it("cannot generate, read or clear an API key, for the administrator or a developer", async () => {
    const { ctx } = await person();
    for (const t of [(await issueLocalDevelopmentToken(admin)).accessToken, (await issueLocalDevelopmentToken(ctx)).accessToken]) {
      for (const action of ["getApiKey", "generateApiKey", "clearApiKey"]) {
        const r = await api(`/user?action=${action}`, { method: "PUT", headers: bearer(t) });
        expect({ action, status: r.status, cls: r.body.error?.class }).toEqual({ action, status: 403, cls: FORBIDDEN });
      }
    }
    expect(await rt.store.apiKeys.list()).toEqual([]);
  });

  it("cannot create users even when it is an administrator's", async () => {
    const t = (await issueLocalDevelopmentToken(admin)).accessToken;
    const r = await api("/user", { headers: bearer(t), json: { username: "backdoor", name: "Backdoor", password: "backdoor-password-1", accessLevel: "admin" } });
    expect({ status: r.status, cls: r.body.error?.class }).toEqual({ status: 403, cls: FORBIDDEN });
    expect(await rt.store.users.byUsername("backdoor")).toBeNull();
  });

  it("a tampered token is refused", async () => {
    const t = (await issueLocalDevelopmentToken(admin)).accessToken;
    const [h, p, s] = t.split(".");
    const claims = claimsOf(t);
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, user_id: "someone-else" })).toString("base64url")}.${s}`;
    expect(await search(forged)).toBe(401);
    expect(await search(`${h}.${p}.${s!.startsWith("A") ? "B" : "A"}${s!.slice(1)}`)).toBe(401);
    expect(await search(t)).toBe(200);
  });
});
