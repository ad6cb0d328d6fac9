/**
 * The authorization_code grant's refusals: a code is the client's, single use, two minutes, for its
 * redirect URL and its user, and answers its PKCE challenge with the right verifier (none for a code
 * issued without one). A replayed code revokes every token issued from it. Each refusal is
 * invalid_grant (or invalid_request for a malformed parameter) and issues no token.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lookupHash } from "../../lib/crypto/secrets";
import { revokeAuthorization } from "../../lib/services/oauth/consent";
import { updateUser } from "../../lib/services/users/write";
import { consoleContext, createTestRuntime, type TestRuntime } from "../../lib/testing/runtime";
import {
  auditCount,
  authorizeCode,
  codeForm,
  expectTokens,
  introspectCall,
  isActive,
  makeApp,
  makeUser,
  pkcePair,
  REDIRECT,
  refreshCall,
  tokenCall,
  type IssuedCode,
  type TestApp,
} from "./oauth-code-helpers";
import { expectDeadToken, expectOAuthError, issuedCount, searchWith } from "./oauth-helpers";

const MINUTE = 60_000;
const SECOND_REDIRECT = "http://127.0.0.1:9000/cb";

let rt: TestRuntime;
let web: TestApp;
let spa: TestApp;

beforeEach(async () => {
  rt = await createTestRuntime();
  web = await makeApp(rt, "web", { redirectUris: [REDIRECT, SECOND_REDIRECT] });
  spa = await makeApp(rt, "single_page", { redirectUris: [REDIRECT, SECOND_REDIRECT] });
});
afterEach(() => rt.cleanup());

type Answer = { status: number; body: unknown; headers: Headers };

async function expectRefused(call: () => Promise<Answer>, status = 400, error = "invalid_grant"): Promise<void> {
  const before = await issuedCount(rt);
  expectOAuthError(await call(), status, error);
  expect(await issuedCount(rt)).toBe(before);
}

const redeem = (app: TestApp, issued: IssuedCode, over: Record<string, string> = {}) => tokenCall(codeForm(app, issued, over));

describe("a successful exchange", () => {
  it("answers 200, no-store, with the app's token type, expires_in 3600 and a refresh token, and is audited", async () => {
    const bearerWeb = await makeApp(rt, "web", { tokenType: "Bearer" });
    const sessionSpa = await makeApp(rt, "single_page", { tokenType: "sessionID" });
    expectTokens(await redeem(web, await authorizeCode(rt, web)), "sessionID");
    expectTokens(await redeem(spa, await authorizeCode(rt, spa)), "Bearer");
    expectTokens(await redeem(bearerWeb, await authorizeCode(rt, bearerWeb)), "Bearer");
    const tokens = expectTokens(await redeem(sessionSpa, await authorizeCode(rt, sessionSpa)), "sessionID");
    expect((await searchWith(tokens.access_token)).status).toBe(200);
    expect((await searchWith(tokens.access_token, "sessionID header")).status).toBe(200);
    expect(await rt.store.audit.list({ action: "oauth_token.issue", limit: 10 })).toHaveLength(4);
  });

  it("accepts a web app's code issued with a challenge when its verifier is sent", async () => {
    expectTokens(await redeem(web, await authorizeCode(rt, web, { pkce: pkcePair() })), "sessionID");
  });
});

describe("PKCE", () => {
  it("refuses a wrong verifier, and one that is not 43-128 unreserved characters", async () => {
    const issued = await authorizeCode(rt, spa);
    const wrong = [pkcePair().verifier, issued.pkce!.verifier.slice(0, 42), `${issued.pkce!.verifier}!`, issued.pkce!.challenge, "a".repeat(129), `${issued.pkce!.verifier} `];
    for (const verifier of wrong) await expectRefused(() => redeem(spa, issued, { code_verifier: verifier }));
    const web128 = await authorizeCode(rt, web, { pkce: pkcePair() });
    await expectRefused(() => redeem(web, web128, { code_verifier: pkcePair().verifier }));
  });

  it("refuses a code issued with a challenge when no verifier is sent", async () => {
    const issued = await authorizeCode(rt, spa);
    const { code_verifier: _v, ...form } = codeForm(spa, issued);
    await expectRefused(() => tokenCall(form));
    const webIssued = await authorizeCode(rt, web, { pkce: pkcePair() });
    const { code_verifier: _w, ...webForm } = codeForm(web, webIssued);
    await expectRefused(() => tokenCall(webForm));
  });

  it("refuses a verifier sent for a code issued without a challenge (a PKCE downgrade)", async () => {
    const issued = await authorizeCode(rt, web, { pkce: null });
    await expectRefused(() => redeem(web, issued, { code_verifier: pkcePair().verifier }));
  });
});

describe("a code is single use", () => {
  it("refuses a replayed code and revokes every token issued from it, refreshed ones included, with oauth.code_replay", async () => {
    const issued = await authorizeCode(rt, web);
    const first = expectTokens(await redeem(web, issued), "sessionID");
    const refreshed = expectTokens(await refreshCall(web, first.refresh_token), "sessionID");
    expect((await searchWith(first.access_token)).status).toBe(200);

    await expectRefused(() => redeem(web, issued));
    await expectDeadToken(first.access_token);
    await expectDeadToken(refreshed.access_token);
    for (const t of [first.access_token, first.refresh_token, refreshed.access_token, refreshed.refresh_token]) expect(await isActive(web, t)).toBe(false);
    expectOAuthError(await refreshCall(web, refreshed.refresh_token), 400, "invalid_grant");
    const [event] = await rt.store.audit.list({ action: "oauth.code_replay", limit: 5 });
    expect(event).toMatchObject({ subjectType: "oauth_app", subjectId: web.clientId, details: { revokedTokens: 4 } });
    // A third try is refused the same way.
    await expectRefused(() => redeem(web, issued));
  });

  it("a replay after the code has expired still revokes the tokens issued from it", async () => {
    const issued = await authorizeCode(rt, web);
    const first = expectTokens(await redeem(web, issued), "sessionID");
    rt.clock.advance(10 * MINUTE);
    await expectRefused(() => redeem(web, issued));
    expect(await auditCount(rt, "oauth.code_replay")).toBe(1);
    expectOAuthError(await refreshCall(web, first.refresh_token), 400, "invalid_grant");
  });

  it("a replay by a single-page app revokes its tokens too", async () => {
    const issued = await authorizeCode(rt, spa);
    const first = expectTokens(await redeem(spa, issued), "Bearer");
    await expectRefused(() => redeem(spa, issued));
    await expectDeadToken(first.access_token);
    expectOAuthError(await refreshCall(spa, first.refresh_token), 400, "invalid_grant");
    expect(await auditCount(rt, "oauth.code_replay")).toBe(1);
  });

  it("of two concurrent redemptions one wins and the loser's replay revokes the winner's tokens", async () => {
    const issued = await authorizeCode(rt, web);
    const answers = await Promise.all([redeem(web, issued), redeem(web, issued)]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 400]);
    const won = answers.find((a) => a.status === 200)!.body as { access_token: string };
    await expectDeadToken(won.access_token);
  });
});

describe("a code is bound to its client, redirect URL, time and user", () => {
  it("refuses a code after two minutes (it works just before)", async () => {
    const late = await authorizeCode(rt, web);
    const early = await authorizeCode(rt, web);
    rt.clock.advance(2 * MINUTE - 1);
    expectTokens(await redeem(web, early), "sessionID");
    rt.clock.advance(2);
    await expectRefused(() => redeem(web, late));
  });

  it("refuses another client's code, and that client can still redeem it", async () => {
    const other = await makeApp(rt, "web");
    const issued = await authorizeCode(rt, web);
    await expectRefused(() => tokenCall(codeForm(other, issued)));
    await expectRefused(() => tokenCall({ ...codeForm(web, issued), client_id: other.clientId, client_secret: other.secret! }));
    const spaIssued = await authorizeCode(rt, spa);
    await expectRefused(() => tokenCall(codeForm(web, spaIssued)));
    expectTokens(await redeem(web, issued), "sessionID");
  });

  it("refuses a redirect_uri other than the one the code was issued for", async () => {
    const issued = await authorizeCode(rt, spa);
    for (const uri of [SECOND_REDIRECT, `${REDIRECT}/`, REDIRECT.toUpperCase(), `${REDIRECT}?x=1`]) await expectRefused(() => redeem(spa, issued, { redirect_uri: uri }));
    const second = await authorizeCode(rt, web, { redirectUri: SECOND_REDIRECT });
    await expectRefused(() => redeem(web, second, { redirect_uri: REDIRECT }));
    expectTokens(await redeem(web, second), "sessionID");
  });

  it("refuses unknown and malformed codes", async () => {
    const issued = await authorizeCode(rt, spa);
    for (const code of ["nope", "a".repeat(257), `${issued.code}x`, issued.code.slice(1), lookupHash(rt.keys, issued.code)]) await expectRefused(() => redeem(spa, issued, { code }));
  });

  it("refuses the code of a user deactivated since", async () => {
    const username = await makeUser(rt, "leaver");
    const issued = await authorizeCode(rt, web, { username });
    const user = (await rt.store.users.byUsername(username))!;
    await updateUser(await consoleContext(rt), user.id, { isActive: false }, { apiFieldNames: false });
    await expectRefused(() => redeem(web, issued));
  });

  it("refuses a code issued before the user revoked the app under My account", async () => {
    const username = await makeUser(rt, "changed.mind");
    const pending = await authorizeCode(rt, web, { username });
    const used = expectTokens(await redeem(web, await authorizeCode(rt, web, { username })), "sessionID");
    await revokeAuthorization(await consoleContext(rt, username), web.clientId);
    await expectDeadToken(used.access_token);
    await expectRefused(() => redeem(web, pending));
    expect((await introspectCall(web, used.refresh_token)).body).toEqual({ active: false });
  });
});
