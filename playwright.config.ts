import { defineConfig } from "@playwright/test";

import { ADMIN, BASE_URL, DB_DIR, DB_PATH, PORT } from "./e2e/env";

const E2E = { baseURL: BASE_URL, admin: ADMIN };

const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "./e2e",
  testMatch: ["api/**/*.spec.ts", "ui/**/*.spec.ts"],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: { baseURL: E2E.baseURL, trace: "off" },
  webServer: {
    // A fresh database every run: migrated and seeded by the server itself on start.
    command: `rm -rf ${DB_DIR} && node scripts/start.mjs`,
    url: `${E2E.baseURL}/signin`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_PATH: DB_PATH,
      KEYWARD_PUBLIC_URL: E2E.baseURL,
      KEYWARD_ADMIN_USERNAME: E2E.admin.username,
      KEYWARD_ADMIN_PASSWORD: E2E.admin.password,
      KEYWARD_SCRYPT_LOG_N: "12",
      // Every browser and API test signs in from 127.0.0.1, as a whole office behind one address would;
      // the per-address limit itself is proven by e2e/integration/rate-limits.test.ts.
      KEYWARD_LIMIT_PASSWORD_PER_ADDRESS: "200",
      NEXTAUTH_URL: E2E.baseURL,
    },
  },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts" },
    {
      name: "ui",
      testMatch: "ui/**/*.spec.ts",
      use: {
        browserName: "chromium",
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS },
      },
    },
  ],
});
