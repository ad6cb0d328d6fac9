/**
 * Property-based fuzzing of the OAuth2 surface. Requests go through the real Web handlers
 * (`handleOAuthRequest` for /integrations/oauth2/api/v1/{token,revoke,introspect,jwt/exchange},
 * `handleMetadataRequest` for /.well-known/...) from random client addresses, against a real
 * SQLite file holding a realistic state: a machine-to-machine app with two secrets and two keys (a
 * generated pair and a certificate's), a web app with a secret, a single-page app; live access and
 * refresh tokens of each, a rotated refresh token, unredeemed and redeemed codes with and without
 * PKCE, an exchanged JWT, and fresh signed JWTs for the cases that name them. Most requests are
 * realistic grants with a little junk; the rest mix real and junk pieces freely, and now and then
 * two different calls race (a refresh while its token is revoked, two redemptions of one grant).
 * For every answer:
 *
 * - the status is one of 200, 400, 401, 404, 405, 413, 429 (never 5xx), and fits the path and method;
 * - the body is JSON; an error is exactly `{"error", "error_description"}` with an RFC 6749 code
 *   (invalid_client with 401 and only with it); a success has its endpoint's exact shape;
 * - `Cache-Control` has no-store (the metadata: `public, max-age=300`); `WWW-Authenticate` is
 *   there exactly on a 401 after an `Authorization: Basic` attempt at /token, /revoke or
 *   /introspect (the exchange does not read the header);
 * - no stack trace, file path, SQL, server key, stored hash, private key, client secret, token or
 *   code the request did not carry shows in the body or a header;
 * - a refusal issues, rotates and touches no token, records no `oauth_token.issue`, redeems no
 *   code, claims no jti, changes no app, secret, key or consent, and deletes only the family of a
 *   replayed code or reused refresh token; a 200 from /revoke deletes only the named token (a
 *   refresh token with its family) of the authenticated client; every token stored was handed
 *   out, to a client the request named, with the app's token_type, and every 20th works on the
 *   REST API; once a sign-in's refresh token is revoked, no token of that sign-in is left, not
 *   even one a racing request was issued;
 * - a right credential with a live grant, sent as documented, succeeds (a single-use grant once,
 *   however many identical copies race).
 *
 * KEYWARD_OAUTH_FUZZ_RUNS (default 1000, split over two configurations: client limits off, and
 * tight limits so that 429s mix in) and KEYWARD_OAUTH_FUZZ_SEED tune a run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatStatusCounts } from "./fuzz/report";
import { raceCase } from "./oauth-fuzz/generators-race";
import { realisticCase } from "./oauth-fuzz/generators-realistic";
import { wildCase } from "./oauth-fuzz/generators-wild";
import { OAuthFuzzInstance } from "./oauth-fuzz/instance";
import { newStats, runCase } from "./oauth-fuzz/run-case";

const RUNS = Math.max(1, Number(process.env.KEYWARD_OAUTH_FUZZ_RUNS ?? 1000));
const SEED = Number(process.env.KEYWARD_OAUTH_FUZZ_SEED ?? 20_260_201);
const TIMEOUT_MS = Math.max(120_000, RUNS * 120);

/** Mostly realistic grants with a little junk; then wild requests; now and then two different calls racing. */
const oauthCase = fc.oneof({ weight: 6, arbitrary: realisticCase }, { weight: 4, arbitrary: wildCase }, { weight: 1, arbitrary: raceCase });

const CONFIGURATIONS: { name: string; env: Record<string, string>; limitsOn: boolean; runs: number; seed: number }[] = [
  {
    name: "with the client limits off",
    env: { KEYWARD_LIMIT_CLIENT_PER_ID: "0", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0" },
    limitsOn: false,
    runs: Math.ceil(RUNS / 2),
    seed: SEED,
  },
  {
    // A few failed client authentications per client ID or address per three minutes: refusals by the limiter mix with the rest.
    name: "with tight client limits",
    env: { KEYWARD_LIMIT_CLIENT_PER_ID: "4", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "6", KEYWARD_LIMIT_WINDOW_SECONDS: "180" },
    limitsOn: true,
    runs: Math.max(1, Math.floor(RUNS / 2)),
    seed: SEED + 1,
  },
];

for (const config of CONFIGURATIONS) {
  describe(`OAuth2 API under random requests, ${config.name}`, () => {
    let instance: OAuthFuzzInstance;
    const serverLog: string[] = [];

    beforeAll(async () => {
      instance = await OAuthFuzzInstance.create(config.env, config.limitsOn);
      // Unexpected errors are logged by the envelope renderer; keep them for the failure report.
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
        serverLog.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" "));
      });
    }, 60_000);
    afterAll(() => {
      vi.restoreAllMocks();
      instance?.close();
    });

    it(
      "answers every request with an allowed status and an RFC 6749 envelope, shows no internals or foreign credentials, and changes only what a success should",
      async () => {
        const stats = newStats();
        const property = fc.asyncProperty(oauthCase, (c) => runCase(instance, c, stats, serverLog));
        try {
          await fc.assert(property, { numRuns: config.runs, seed: config.seed });
        } finally {
          console.info(
            `OAuth fuzz ${config.name}: ${stats.cases} of ${config.runs} cases run (shrinking included), seed ${config.seed}; answers ${formatStatusCounts(stats.statuses)}; ` +
              `${stats.issued} tokens issued, ${stats.restChecked} tried on the REST API, ${stats.revokedChecked} revoked ones tried; ${stats.mustSucceed} cases had to succeed`,
          );
        }
        if (config.runs >= 400) {
          // The generators must reach past the guards: many successes, and refusals of several kinds.
          expect(stats.statuses.get(200) ?? 0).toBeGreaterThan(config.runs / 10);
          expect(stats.restChecked).toBeGreaterThan(0);
          expect(stats.mustSucceed).toBeGreaterThan(config.runs / 20);
          for (const status of [400, 401, 404, 405, ...(config.limitsOn ? [429] : [])]) expect(stats.statuses.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
        }
      },
      TIMEOUT_MS,
    );
  });
}
