/**
 * Property-based fuzzing of the IMS surface and of IMS tokens on the REST API. Requests go through
 * the real Web handler (`handleImsRequest`: POST /ims/exchange/jwt, POST /ims/token/v3, GET
 * /ims/keys, with and without a trailing slash, other methods, other paths) from random client
 * addresses, against a real SQLite file holding service credentials made through the Developer
 * Console services: a JWT credential granted both metascopes, an OAuth Server-to-Server one, a
 * migrated one, one whose JWT side was revoked after its migration, a revoked one, a refreshed one
 * (two certificates), a read-only one; their bundles' private keys and a foreign RSA key sign the
 * assertions. Most requests are realistic (assertions as @adobe/jwt-auth signs them, exp varied,
 * metascope claims under any base URL, with or without jti, multipart or urlencoded, the
 * client-credentials grant with granted and other scopes), with a little junk; the rest are wild
 * (claims, headers, algorithms, keys and texts spoiled; parameters anywhere, under any name and
 * encoding); now and then calls race (one assertion exchanged at once several times; a credential
 * revoked while its exchanges are in flight). For every answer:
 *
 * - the status is one of 200, 400, 401, 404, 405, 429 (never 5xx; 429 only with the limits on) and
 *   fits the path and method; the body is JSON; `Cache-Control: no-store` (the JWKS: `public,
 *   max-age=300`);
 * - an error is exactly `{"error", "error_description"}` with an IMS code and the status it goes
 *   with, a non-empty description, and no answer shows a stack trace, path, SQL, server key, client
 *   secret, private key or jwt_token, not even one the request carried;
 * - a success has exactly the documented members (exchange: token_type "bearer", access_token,
 *   expires_in 86400000; token/v3: expires_in 86399; the JWKS: public P-256 keys only);
 * - where the delivery leaves no doubt, the answer is the one a model of the documented API gives
 *   (routing, parameters, client authentication, the assertion's form and signature, its claims, the
 *   jti): a right credential with a valid assertion or grant succeeds (an assertion with a jti once
 *   among copies sent at once), a revoked credential gets invalid_client;
 * - exactly the tokens answered are stored, with one issue event each, and a refusal claims no jti;
 *   every issued token is a JWT verified by the JWKS in the vendor's claim shape, searches projects
 *   on the REST API (401 once a racing revocation settled: no token of a revoked credential is left),
 *   is refused with any one character of its payload or signature changed, and without the write
 *   metascope cannot create a project.
 *
 * KEYWARD_IMS_FUZZ_RUNS (default 1000, split over two configurations: client limits off, and
 * tight limits so that 429s mix in) and KEYWARD_IMS_FUZZ_SEED tune a run.
 */
import fc from "fast-check";
import type { KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatStatusCounts } from "./fuzz/report";
import type { ImsCase } from "./ims-fuzz/case";
import { raceCase } from "./ims-fuzz/generators-race";
import { realisticCase } from "./ims-fuzz/generators-realistic";
import { wildCase } from "./ims-fuzz/generators-wild";
import { ImsFuzzInstance } from "./ims-fuzz/instance";
import { newStats, publishedKeys, runCase } from "./ims-fuzz/run-case";

const RUNS = Math.max(1, Number(process.env.KEYWARD_IMS_FUZZ_RUNS ?? 1000));
const SEED = Number(process.env.KEYWARD_IMS_FUZZ_SEED ?? 20_260_301);
const TIMEOUT_MS = Math.max(120_000, RUNS * 120);

/** Mostly realistic calls with a little junk; then wild requests; now and then calls racing. */
const imsCase: fc.Arbitrary<ImsCase> = fc.oneof({ weight: 6, arbitrary: realisticCase }, { weight: 4, arbitrary: wildCase }, { weight: 1, arbitrary: raceCase });

const CONFIGURATIONS: { name: string; env: Record<string, string>; limitsOn: boolean; runs: number; seed: number }[] = [
  {
    name: "with the client limits off",
    env: { KEYWARD_LIMIT_CLIENT_PER_ID: "0", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0" },
    limitsOn: false,
    runs: Math.ceil(RUNS / 2),
    seed: SEED,
  },
  {
    // A few failed exchanges per client ID or address per three minutes: refusals by the limiter mix with the rest.
    name: "with tight client limits",
    env: { KEYWARD_LIMIT_CLIENT_PER_ID: "4", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "6", KEYWARD_LIMIT_WINDOW_SECONDS: "180" },
    limitsOn: true,
    runs: Math.max(1, Math.floor(RUNS / 2)),
    seed: SEED + 1,
  },
];

for (const config of CONFIGURATIONS) {
  describe(`IMS API under random requests, ${config.name}`, () => {
    let instance: ImsFuzzInstance;
    let jwks: Map<string, KeyObject>;
    const serverLog: string[] = [];

    beforeAll(async () => {
      instance = await ImsFuzzInstance.create(config.env, config.limitsOn);
      jwks = await publishedKeys();
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
      "answers every request with an allowed status and the IMS envelope, as the model says where it can tell, and every token it issues works on the REST API until revoked and not once tampered",
      async () => {
        const stats = newStats();
        const property = fc.asyncProperty(imsCase, (c) => runCase(instance, c, stats, serverLog, jwks));
        try {
          await fc.assert(property, { numRuns: config.runs, seed: config.seed });
        } finally {
          console.info(
            `IMS fuzz ${config.name}: ${stats.cases} of ${config.runs} cases run (shrinking included), seed ${config.seed}; answers ${formatStatusCounts(stats.statuses)}; ` +
              `${stats.issued} tokens issued, ${stats.restChecked} tried on the REST API, ${stats.tampered} tampered copies refused, ${stats.readOnlyRefused} read-only tokens refused a create, ` +
              `${stats.revokedChecked} revoked ones tried; ${stats.predicted} answers predicted by the model, ${stats.mustSucceed} had to succeed; ${stats.jtiRaces} jti races, ${stats.revokeRaces} revocation races (${stats.raced} tokens issued during one)`,
          );
        }
        if (config.runs >= 400) {
          // The generators must reach past the guards: many successes, and refusals of several kinds.
          expect(stats.statuses.get(200) ?? 0).toBeGreaterThan(config.runs / 5);
          expect(stats.mustSucceed).toBeGreaterThan(config.runs / 10);
          expect(stats.tampered).toBeGreaterThan(config.runs / 10);
          expect(stats.readOnlyRefused).toBeGreaterThan(0);
          expect(stats.jtiRaces + stats.revokeRaces).toBeGreaterThan(config.runs / 40);
          for (const status of [400, 401, 404, 405, ...(config.limitsOn ? [429] : [])]) expect(stats.statuses.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
        }
      },
      TIMEOUT_MS,
    );
  });
}
