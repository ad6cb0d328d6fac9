/**
 * Property-based fuzzing of the REST API. Random methods, paths, parameters, body encodings, headers,
 * credentials, client addresses and pauses go through the real Web handler (`handleRestRequest`)
 * against a real SQLite file holding a realistic state (an administrator, a user with an API key and
 * sessions, projects of each, throwaway users and projects, a current and a next X.509 login
 * certificate). Most requests are realistic calls with a
 * working credential and a little junk; the rest mix real and junk pieces freely. For every request:
 *
 * - the status is 2xx or 4xx (the one 5xx allowed is the documented X.509 "untrusted request" 500),
 *   and the answer comes within SLOW_MS;
 * - the body is the JSON envelope, `{"data": ...}` or `{"error": {"class", "message"}}`;
 * - the body shows no stack trace, source path, runtime setting, server key, password or password
 *   hash, and no credential the request did not itself carry;
 * - a refused request (status >= 400) leaves projects, users (but the failed-login bookkeeping), API
 *   keys (but their last-used time), the instance settings, the login certificates and the customer
 *   row exactly as they were, and starts no session; a read (GET or HEAD without `method=`) changes none of them either;
 * - after a successful change, every stored project and user still renders.
 *
 * KEYWARD_FUZZ_RUNS (default 2000, split over two configurations: limits off, and tight limits with
 * X.509 certificate login on, so password calls without an accepted certificate get the 500),
 * KEYWARD_FUZZ_SEED and KEYWARD_FUZZ_TIMEOUT_MS tune a run; `npm run fuzz` runs 20,000 cases.
 *
 * The generators, the fuzzed instance, the request building and the checks are in ./fuzz/.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { realisticCase } from "./fuzz/generators-realistic";
import { wildCase } from "./fuzz/generators-wild";
import { FuzzedInstance } from "./fuzz/instance";
import { formatStatusCounts, type StatusCounts } from "./fuzz/report";
import { runCase } from "./fuzz/run-case";

const RUNS = Math.max(1, Number(process.env.KEYWARD_FUZZ_RUNS ?? 2000));
const SEED = Number(process.env.KEYWARD_FUZZ_SEED ?? 20_260_115);
const TIMEOUT_MS = Number(process.env.KEYWARD_FUZZ_TIMEOUT_MS ?? Math.max(120_000, RUNS * 60));

/** Most cases are realistic calls with a working credential and a little junk; the rest are wild. */
const fuzzCase = fc.oneof({ weight: 3, arbitrary: realisticCase }, { weight: 2, arbitrary: wildCase });

const CONFIGURATIONS: { name: string; env: Record<string, string>; x509?: boolean; runs: number; seed: number }[] = [
  {
    name: "with the failed-credential limits off",
    env: { KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "0", KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "0", KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "0" },
    runs: Math.ceil(RUNS / 2),
    seed: SEED,
  },
  {
    // Tight limits (a few failures per address or account per 10 minutes), so that refusals by the
    // limiter (429) are common and mixed with everything else.
    name: "with tight failed-credential limits and X.509 certificate login on",
    x509: true,
    env: {
      KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "2",
      KEYWARD_LIMIT_PASSWORD_PER_ACCOUNT: "3",
      KEYWARD_LIMIT_CREDENTIAL_PER_ADDRESS: "2",
      KEYWARD_LIMIT_WINDOW_SECONDS: "600",
    },
    runs: Math.max(1, Math.floor(RUNS / 2)),
    seed: SEED + 1,
  },
];

for (const config of CONFIGURATIONS) {
  describe(`REST API under random requests, ${config.name}`, () => {
    let instance: FuzzedInstance;
    const serverLog: string[] = [];

    beforeAll(async () => {
      instance = await FuzzedInstance.create(config.env, { x509: config.x509 });
      // Unexpected errors are logged by the envelope renderer; keep them for the failure report.
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
        serverLog.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" "));
      });
    });
    afterAll(() => {
      vi.restoreAllMocks();
      instance?.close();
    });

    it(
      "answers every request promptly with a 2xx or 4xx JSON envelope, shows no internals, and changes nothing when it refuses or only reads",
      async () => {
        const stats: StatusCounts = new Map();
        const property = fc.asyncProperty(fuzzCase, (c) => runCase(instance, c, stats, serverLog));
        await fc.assert(property, { numRuns: config.runs, seed: config.seed });
        console.info(`REST fuzz ${config.name}: ${config.runs} cases, seed ${config.seed}; answers ${formatStatusCounts(stats)}`);
        if (config.runs >= 500) {
          // The generators must reach past the guards: many successes, and refusals of several kinds.
          expect(stats.get(200) ?? 0).toBeGreaterThan(config.runs / 10);
          for (const status of [400, 401, 403, 404, 429]) expect(stats.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
        }
      },
      TIMEOUT_MS,
    );
  });
}
