/**
 * POST /ims/token/v3 (OAuth Server-to-Server, grant_type=client_credentials) through the IMS
 * handler, called with Web Requests as a client would: the answer's exact shape, the token on the
 * REST API, metascopes, every refusal's code, and what migration and revocation change.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IMS_TOKEN_TTL_MS } from "../../lib/domain/service-credential";
import { handleImsRequest } from "../../lib/ims/handler";
import type { ServiceContext } from "../../lib/services/context";
import type { ServiceCredentialBundle } from "../../lib/services/service-credentials/bundle";
import { createServiceCredential, type CreateServiceCredentialInput } from "../../lib/services/service-credentials/create";
import { migrateServiceCredential, revokeServiceCredential } from "../../lib/services/service-credentials/manage";
import { api, consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

const IMS = "http://localhost:3000/ims";

let rt: TestRuntime;
let ctx: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

interface ImsAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** Calls the IMS handler: a urlencoded form body (POST unless told otherwise). */
async function ims(pathAndQuery: string, init: { method?: string; form?: Record<string, string> | [string, string][] } = {}): Promise<ImsAnswer> {
  const body = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
  const res = await handleImsRequest(
    new Request(`${IMS}/${pathAndQuery}`, {
      method: init.method ?? "POST",
      headers: body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" },
      body,
    }),
  );
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text), headers: res.headers };
}

const create = (over: Partial<CreateServiceCredentialInput> = {}) => createServiceCredential(ctx, { name: "Sync", type: "oauth_server_to_server", ...over });
const idOf = (b: ServiceCredentialBundle) => b.integration.technicalAccount.clientId;

/** The grant's form for a bundle; `over` replaces or (with undefined) drops fields. */
function form(b: ServiceCredentialBundle, over: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    grant_type: "client_credentials",
    client_id: idOf(b),
    client_secret: b.integration.technicalAccount.clientSecret,
    scope: "ent_keyward_api",
    ...over,
  };
  return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}

const token = (b: ServiceCredentialBundle, over: Record<string, string | undefined> = {}) => ims("token/v3", { form: form(b, over) });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const search = async (t: string) => (await api("/project/search", { headers: bearer(t) })).status;

/** The payload of a compact JWS, unverified. */
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
const headerOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as Record<string, unknown>;

/** The refusal, as { status, error }, with the description checked to be present. */
function refusal(a: ImsAnswer) {
  expect(Object.keys(a.body as object).sort()).toEqual(["error", "error_description"]);
  expect(typeof a.body.error_description).toBe("string");
  expect(a.headers.get("cache-control")).toBe("no-store");
  return { status: a.status, error: a.body.error as string };
}

describe("the client-credentials grant", () => {
  it("answers exactly {access_token, token_type: bearer, expires_in: 86399}, not to be stored", async () => {
    const b = await create();
    const r = await token(b);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 86_399 });
    expect(Object.keys(r.body as object)).toEqual(["access_token", "token_type", "expires_in"]);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);

    // An ES256 JWT of the current signing key, in the vendor's claim shape, acting as the technical account.
    const t = r.body.access_token as string;
    const [current] = await rt.store.signingKeys.list();
    expect(headerOf(t)).toMatchObject({ alg: "ES256", kid: current!.kid });
    const claims = claimsOf(t);
    expect(claims).toMatchObject({
      type: "access_token",
      client_id: idOf(b),
      user_id: b.integration.id,
      as: "keyward",
      scope: "ent_keyward_api",
      created_at: String(rt.clock.now()),
      expires_in: String(IMS_TOKEN_TTL_MS),
      exp: Math.floor((rt.clock.now() + IMS_TOKEN_TTL_MS) / 1000),
    });
    const row = await rt.store.imsTokens.byId(claims.id as string);
    expect(row).toEqual({
      id: claims.id,
      kind: "client_credentials",
      clientId: idOf(b),
      keyId: null,
      userId: b.integration.id,
      scope: "ent_keyward_api",
      createdAt: rt.clock.now(),
      expiresAt: rt.clock.now() + IMS_TOKEN_TTL_MS,
    });
    const [issued] = await rt.store.audit.list({ action: "ims_token.issue", limit: 1 });
    expect(issued).toMatchObject({ actorId: b.integration.id, subjectId: idOf(b), details: { grant: "client_credentials", scope: "ent_keyward_api" } });
    expect((await rt.store.serviceCredentials.withKeys(idOf(b)))?.credential.lastUsedAt).toBe(rt.clock.now());
  });

  it("the token works as Bearer on the REST API, acting as the technical account, for 24 hours", async () => {
    const b = await create();
    const t = (await token(b)).body.access_token as string;
    const found = await api("/project/search", { headers: bearer(t) });
    expect({ status: found.status, body: found.body }).toEqual({ status: 200, body: { data: expect.any(Array) } });
    const made = await api("/proj", { headers: bearer(t), json: { name: "Made by a credential" } });
    expect(made.status).toBe(200);
    const [event] = await rt.store.audit.list({ action: "project.create", limit: 1 });
    expect(event).toMatchObject({ actorId: b.integration.id });

    rt.clock.advance(IMS_TOKEN_TTL_MS - 1);
    expect(await search(t)).toBe(200);
    rt.clock.advance(1);
    expect(await search(t)).toBe(401);
  });

  it("takes comma- or space-separated metascopes, each granted; without scope it grants all", async () => {
    const b = await create({ metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"] });
    const scopeOf = async (scope: string | undefined) => {
      const r = await token(b, { scope });
      expect(r.status).toBe(200);
      return claimsOf(r.body.access_token as string).scope;
    };
    expect(await scopeOf("ent_keyward_api,ent_keyward_readonly_api")).toBe("ent_keyward_api,ent_keyward_readonly_api");
    expect(await scopeOf("ent_keyward_readonly_api, ent_keyward_api")).toBe("ent_keyward_readonly_api,ent_keyward_api");
    expect(await scopeOf("ent_keyward_readonly_api ent_keyward_readonly_api")).toBe("ent_keyward_readonly_api");
    expect(await scopeOf(undefined)).toBe("ent_keyward_api,ent_keyward_readonly_api");
    expect(await scopeOf("")).toBe("ent_keyward_api,ent_keyward_readonly_api");
  });

  it("a token with only the read-only metascope reads but does not change", async () => {
    const b = await create({ metascopes: ["ent_keyward_api", "ent_keyward_readonly_api"] });
    const t = (await token(b, { scope: "ent_keyward_readonly_api" })).body.access_token as string;
    expect(await search(t)).toBe(200);
    const made = await api("/proj", { headers: bearer(t), json: { name: "Refused" } });
    expect(made.status).toBe(403);
    expect(await rt.store.audit.list({ action: "project.create", limit: 1 })).toEqual([]);
  });

  it("refuses a metascope the credential is not granted, or an unknown one, with 400 invalid_scope", async () => {
    const b = await create();
    for (const scope of ["ent_keyward_readonly_api", "ent_other_sdk", "ent_keyward_api,ent_other_sdk", "ENT_KEYWARD_API", "<script>"]) {
      const r = await token(b, { scope });
      expect({ scope, ...refusal(r) }).toEqual({ scope, status: 400, error: "invalid_scope" });
      expect(r.body.error_description).not.toContain("<script>");
    }
    expect(await rt.store.imsTokens.listForUser(b.integration.id, "client_credentials", rt.clock.now())).toEqual([]);
  });

  it("refuses another grant type with 400 unsupported_grant_type", async () => {
    const b = await create();
    for (const grant_type of ["password", "authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer", "CLIENT_CREDENTIALS"]) {
      expect({ grant_type, ...refusal(await token(b, { grant_type })) }).toEqual({ grant_type, status: 400, error: "unsupported_grant_type" });
    }
  });

  it("refuses a missing or repeated grant_type or client_id, and a secret in the URL, with 400 bad_request", async () => {
    const b = await create();
    expect(refusal(await token(b, { grant_type: undefined }))).toEqual({ status: 400, error: "bad_request" });
    expect(refusal(await token(b, { grant_type: "" }))).toEqual({ status: 400, error: "bad_request" });
    expect(refusal(await token(b, { client_id: undefined }))).toEqual({ status: 400, error: "bad_request" });
    const twice: [string, string][] = [...Object.entries(form(b)), ["grant_type", "client_credentials"]];
    expect(refusal(await ims("token/v3", { form: twice }))).toEqual({ status: 400, error: "bad_request" });
    const inUrl = await ims(`token/v3?client_secret=${encodeURIComponent(b.integration.technicalAccount.clientSecret)}`, { form: form(b, { client_secret: undefined }) });
    expect(refusal(inUrl)).toEqual({ status: 400, error: "bad_request" });
  });

  it("refuses a wrong, missing or another credential's secret, and an unknown client, with 401 invalid_client", async () => {
    const b = await create();
    const other = await create({ name: "Other" });
    const cases: Record<string, string | undefined>[] = [
      { client_secret: "kwsc_wrong" },
      { client_secret: undefined },
      { client_secret: other.integration.technicalAccount.clientSecret },
      { client_id: "0".repeat(32) },
      { client_id: "x".repeat(500) },
    ];
    for (const over of cases) expect(refusal(await token(b, over))).toEqual({ status: 401, error: "invalid_client" });
    expect(await rt.store.imsTokens.listForUser(b.integration.id, "client_credentials", rt.clock.now())).toEqual([]);
    expect((await token(b)).status).toBe(200);
  });

  it("answers 405 to GET and other methods", async () => {
    const b = await create();
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await ims(`token/v3?grant_type=client_credentials&client_id=${idOf(b)}`, { method });
      expect({ method, ...refusal(r) }).toEqual({ method, status: 405, error: "method_not_allowed" });
    }
  });
});

describe("the credential's side and state", () => {
  it("a JWT credential is refused with invalid_client until it is migrated, then works with the same ID and secret", async () => {
    const jwt = await create({ type: "jwt" });
    const before = await token(jwt);
    expect(refusal(before)).toEqual({ status: 401, error: "invalid_client" });
    expect(before.body.error_description).toMatch(/migrate/i);
    await migrateServiceCredential(ctx, idOf(jwt));
    const after = await token(jwt);
    expect(after.status).toBe(200);
    expect(await search(after.body.access_token as string)).toBe(200);
  });

  it("after Revoke, the grant is refused with invalid_client and the tokens it issued answer 401", async () => {
    const b = await create();
    const tokens = [(await token(b)).body.access_token as string, (await token(b, { scope: undefined })).body.access_token as string];
    for (const t of tokens) expect(await search(t)).toBe(200);
    expect(await revokeServiceCredential(ctx, idOf(b))).toEqual({ tokens: 2 });
    expect(refusal(await token(b))).toEqual({ status: 401, error: "invalid_client" });
    for (const t of tokens) expect(await search(t)).toBe(401);
    const [failed] = await rt.store.audit.list({ action: "ims.exchange_failed", limit: 1 });
    expect(failed).toMatchObject({ subjectId: idOf(b), details: { reason: "revoked" } });
  });

  it("another credential's revocation leaves its tokens alone", async () => {
    const a = await create();
    const b = await create({ name: "Other" });
    const [ta, tb] = [(await token(a)).body.access_token as string, (await token(b)).body.access_token as string];
    await revokeServiceCredential(ctx, idOf(a));
    expect(await search(ta)).toBe(401);
    expect(await search(tb)).toBe(200);
    expect((await token(b)).status).toBe(200);
  });
});
