// npm run fuzz: the REST API fuzz test (e2e/integration/fuzz.test.ts) with 20,000 generated
// requests instead of the 2,000 that npm test runs. KEYWARD_FUZZ_SEED picks another fixed seed
// (printed with any counterexample); KEYWARD_FUZZ_RUNS and KEYWARD_FUZZ_TIMEOUT_MS override the
// defaults below. Exits with vitest's code.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const vitest = path.join(root, "node_modules", ".bin", "vitest");

const result = spawnSync(vitest, ["run", "e2e/integration/fuzz.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    KEYWARD_FUZZ_RUNS: process.env.KEYWARD_FUZZ_RUNS ?? "20000",
    KEYWARD_FUZZ_TIMEOUT_MS: process.env.KEYWARD_FUZZ_TIMEOUT_MS ?? String(30 * 60_000),
  },
});
if (result.error) console.error(`fuzz: could not run vitest: ${result.error.message}`);
process.exit(result.status ?? 1);
