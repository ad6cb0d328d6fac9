/**
 * Creating and editing OAuth2 applications through the services: what each setting accepts and
 * refuses (redirect URLs as RFC 9700 wants them, email, privacy link, logo bytes, name), and the
 * defaults per app type. Secrets, keys, permissions and lookups: oauth-apps-credentials.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidRequest, NotFound } from "../../lib/errors";
import { createOAuthApp } from "../../lib/services/oauth-apps/create";
import { getOAuthApp } from "../../lib/services/oauth-apps/get";
import type { OAuthAppSettings } from "../../lib/services/oauth-apps/input";
import { updateOAuthApp } from "../../lib/services/oauth-apps/update";
import type { ServiceContext } from "../../lib/services/context";
import type { OAuthAppType } from "../../lib/storage/types";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";

let rt: TestRuntime;
let ctx: ServiceContext;

beforeEach(async () => {
  rt = await createTestRuntime();
  ctx = await consoleContext(rt);
});
afterEach(() => rt.cleanup());

const web = (over: Partial<OAuthAppSettings> = {}) => createOAuthApp(ctx, { type: "web", name: "Portal", redirectUris: ["https://portal.example/cb"], ...over });
const m2m = (over: Partial<OAuthAppSettings> = {}) => createOAuthApp(ctx, { type: "machine_to_machine", name: "Sync", ...over });

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

/** The create is refused with InvalidRequest matching `message`, and nothing was stored. */
async function expectRefused(create: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(create).rejects.toSatisfy((e: unknown) => e instanceof InvalidRequest && message.test(e.message));
  expect(await rt.store.oauthApps.count()).toBe(0);
}

describe("redirect URLs", () => {
  it("refuses a relative URL", async () => {
    for (const uri of ["/callback", "portal.example/cb", "//portal.example/cb"]) await expectRefused(web({ redirectUris: [uri] }), /absolute/);
  });

  it("refuses a fragment", async () => {
    await expectRefused(web({ redirectUris: ["https://portal.example/cb#done"] }), /fragment/);
  });

  it("refuses http on a host that is not loopback", async () => {
    for (const uri of ["http://portal.example/cb", "http://10.0.0.1/cb", "http://127.0.0.1.example.com/cb"]) await expectRefused(web({ redirectUris: [uri] }), /https/);
  });

  it("refuses wildcards", async () => {
    for (const uri of ["https://*.portal.example/cb", "https://portal.example/*"]) await expectRefused(web({ redirectUris: [uri] }), /wildcard/);
  });

  it("refuses a user name or password in the URL", async () => {
    for (const uri of ["https://user:pass@portal.example/cb", "https://user@portal.example/cb"]) await expectRefused(web({ redirectUris: [uri] }), /user name or password/);
  });

  it("refuses other schemes and URLs with spaces", async () => {
    await expectRefused(web({ redirectUris: ["javascript:alert(1)"] }), /https/);
    await expectRefused(web({ redirectUris: ["ftp://portal.example/cb"] }), /https/);
    await expectRefused(web({ redirectUris: ["https://portal.example/a b"] }), /spaces/);
  });

  it("refuses any bad URL among good ones", async () => {
    await expectRefused(web({ redirectUris: ["https://portal.example/cb", "http://portal.example/cb"] }), /https/);
  });

  it("accepts https and http on 127.0.0.1, [::1] and localhost with a port, kept exactly as typed", async () => {
    const uris = ["https://portal.example/cb?x=1", "http://127.0.0.1:8080/cb", "http://[::1]:9000/cb", "http://localhost:3000/cb"];
    const { app } = await web({ redirectUris: uris });
    expect(app.redirectUris).toEqual(uris);
    expect((await getOAuthApp(ctx, app.clientId)).redirectUris).toEqual(uris);
  });

  it("drops empty entries and duplicates", async () => {
    const { app } = await web({ redirectUris: ["https://portal.example/cb", "", "https://portal.example/cb", "  "] });
    expect(app.redirectUris).toEqual(["https://portal.example/cb"]);
  });

  it("refuses redirect URLs on a machine-to-machine app", async () => {
    await expectRefused(m2m({ redirectUris: ["https://sync.example/cb"] }), /machine-to-machine/);
  });

  it("refuses a web or single-page app without any", async () => {
    for (const type of ["web", "single_page"] as const) {
      await expectRefused(createOAuthApp(ctx, { type, name: "No redirect" }), /at least one redirect URL/);
      await expectRefused(createOAuthApp(ctx, { type, name: "No redirect", redirectUris: ["", " "] }), /at least one redirect URL/);
    }
  });

  it("an edit is validated the same way, and removing every URL of a web app is refused", async () => {
    const { app } = await web();
    await expect(updateOAuthApp(ctx, app.clientId, { name: "Portal", redirectUris: ["http://portal.example/cb"] })).rejects.toBeInstanceOf(InvalidRequest);
    await expect(updateOAuthApp(ctx, app.clientId, { name: "Portal", redirectUris: [] })).rejects.toBeInstanceOf(InvalidRequest);
    expect((await getOAuthApp(ctx, app.clientId)).redirectUris).toEqual(["https://portal.example/cb"]);
  });
});

describe("developer details, logo and name", () => {
  it("refuses a developer email that is not an address, accepts one that is", async () => {
    for (const email of ["not-an-email", "a@b", "two@@example.com", "a b@example.com"]) await expectRefused(m2m({ developerEmail: email }), /email/);
    expect((await m2m({ developerEmail: "dev@example.com", developerName: "Acme" })).app).toMatchObject({ developerEmail: "dev@example.com", developerName: "Acme" });
  });

  it("refuses a privacy policy URL that is not https, accepts one that is", async () => {
    for (const url of ["http://example.com/privacy", "javascript:alert(1)"]) await expectRefused(m2m({ privacyPolicyUrl: url }), /privacy policy URL/i);
    await expectRefused(m2m({ privacyPolicyUrl: "example.com/privacy" }), /absolute URL/);
    expect((await m2m({ privacyPolicyUrl: "https://example.com/privacy" })).app.privacyPolicyUrl).toBe("https://example.com/privacy");
  });

  it("stores a PNG logo as a data URL typed by its bytes", async () => {
    const { app } = await web({ logo: PNG });
    expect(app.logo).toBe(`data:image/png;base64,${Buffer.from(PNG).toString("base64")}`);
  });

  it("refuses an SVG logo, bytes that are no image, an empty file and one over 100 KiB", async () => {
    await expectRefused(web({ logo: SVG }), /PNG, JPEG, GIF or WebP/);
    await expectRefused(web({ logo: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }), /PNG, JPEG, GIF or WebP/);
    await expectRefused(web({ logo: new Uint8Array(0) }), /empty/);
    const huge = new Uint8Array(100 * 1024 + 1);
    huge.set(PNG);
    await expectRefused(web({ logo: huge }), /at most/);
  });

  it("an edit without a logo keeps it, null removes it", async () => {
    const { app } = await web({ logo: PNG });
    expect((await updateOAuthApp(ctx, app.clientId, { name: "Portal", redirectUris: app.redirectUris })).logo).toBe(app.logo);
    expect((await updateOAuthApp(ctx, app.clientId, { name: "Portal", redirectUris: app.redirectUris, logo: null })).logo).toBeNull();
  });

  it("refuses an empty name and one over 100 characters; accepts 100, trimmed", async () => {
    await expectRefused(m2m({ name: "" }), /name/);
    await expectRefused(m2m({ name: "   " }), /name/);
    await expectRefused(m2m({ name: "n".repeat(101) }), /at most 100/);
    expect((await m2m({ name: ` ${"n".repeat(100)} ` })).app.name).toBe("n".repeat(100));
  });

  it("refuses an unknown app type", async () => {
    await expectRefused(createOAuthApp(ctx, { type: "native" as OAuthAppType, name: "Phone" }), /type/);
  });
});

describe("defaults per type", () => {
  it("token type sessionID for web apps, Bearer for single-page and machine-to-machine apps", async () => {
    const [w, s, m] = [
      await web(),
      await createOAuthApp(ctx, { type: "single_page", name: "Dash", redirectUris: ["https://dash.example/cb"] }),
      await m2m(),
    ];
    expect([w.app.tokenType, s.app.tokenType, m.app.tokenType]).toEqual(["sessionID", "Bearer", "Bearer"]);
  });

  it("an explicit token type wins over the default", async () => {
    expect((await web({ tokenType: "Bearer" })).app.tokenType).toBe("Bearer");
    expect((await m2m({ tokenType: "sessionID" })).app.tokenType).toBe("sessionID");
  });

  it("a new app has the documented settings and its first secret (none for single-page apps)", async () => {
    const { app, secret } = await web();
    expect(app).toEqual({
      clientId: expect.stringMatching(/^[0-9a-f]{32}$/),
      type: "web",
      typeLabel: expect.any(String),
      name: "Portal",
      description: "",
      tokenType: "sessionID",
      redirectUris: ["https://portal.example/cb"],
      refreshRotation: true,
      refreshAbsoluteExpiry: "90d",
      refreshInactivityExpiry: "30d",
      refreshReuseSeconds: 0,
      logo: null,
      developerName: "",
      developerEmail: "",
      privacyPolicyUrl: "",
      createdBy: ctx.actor!.userId,
      createdAt: rt.clock.now(),
      updatedAt: rt.clock.now(),
      lastUsedAt: null,
      customerId: rt.customerId,
      secrets: [{ id: expect.any(String), hint: secret!.slice(-4), notes: "", createdBy: ctx.actor!.userId, createdAt: rt.clock.now(), lastUsedAt: null }],
      keys: [],
      liveTokens: { access: 0, refresh: 0 },
    });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const spa = await createOAuthApp(ctx, { type: "single_page", name: "Dash", redirectUris: ["https://dash.example/cb"] });
    expect([spa.secret, spa.app.secrets]).toEqual([null, []]);
  });

  it("an edit never changes the type or client ID, and an unknown client ID is NotFound", async () => {
    const { app } = await m2m();
    const edited = await updateOAuthApp(ctx, app.clientId, { name: "Sync 2", description: "Nightly", type: "web" } as OAuthAppSettings);
    expect(edited).toMatchObject({ clientId: app.clientId, type: "machine_to_machine", name: "Sync 2", description: "Nightly" });
    await expect(updateOAuthApp(ctx, "0123456789abcdef0123456789abcdef", { name: "X" })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("editing keeps what the edit does not name", () => {
  it("changes only the given fields of a web app", async () => {
    const ctx = await consoleContext(rt);
    const { app } = await createOAuthApp(ctx, {
      type: "web",
      name: "Partial",
      redirectUris: ["https://app.example.com/cb"],
      refreshRotation: false,
      refreshAbsoluteExpiry: "7d",
      developerName: "Dev Co",
    });
    const after = await updateOAuthApp(ctx, app.clientId, { name: "Renamed" });
    expect(after).toMatchObject({
      name: "Renamed",
      redirectUris: ["https://app.example.com/cb"],
      refreshRotation: false,
      refreshAbsoluteExpiry: "7d",
      developerName: "Dev Co",
      tokenType: "sessionID",
    });
  });
});
