// ESLint flat config: type-aware typescript-eslint for TypeScript, React hooks rules and
// Next.js rules. `npm run lint` runs it with --max-warnings=0, so every warning fails.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // Generated output, vendored code, local data and test artefacts.
  globalIgnores([
    "**/node_modules/",
    ".next/",
    ".next-*/",
    "dist/",
    "data/",
    "test-results/",
    "playwright-report/",
    "bench/results/",
    "db/migrations/",
    "next-env.d.ts",
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // Not matched by tsconfig.json's "**/*.ts" include; checked with default options.
          allowDefaultProject: ["vitest.config.mts"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },

  reactHooks.configs.flat.recommended,
  nextPlugin.configs.recommended,
  nextPlugin.configs["core-web-vitals"],

  {
    rules: {
      // Unhandled promises lose errors and ordering: keep them errors. Fire-and-forget is spelled `void p`.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      // Also in JSX props: an async event handler is passed as `(e) => void handler(e)`, so a
      // rejected promise is a deliberate, visible choice.
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // Off: every finding here is an `async` function that implements a Promise-returning
      // contract without awaiting (next-auth callbacks, test doubles of server actions, per-key
      // callbacks). Dropping `async` to satisfy the rule would turn a rejected promise into a
      // synchronous throw, i.e. change behaviour, for no gain.
      "@typescript-eslint/require-await": "off",
    },
  },

  // Tests and test helpers: mocks, fixtures and parsed JSON responses are loosely typed by nature.
  {
    files: ["**/*.test.ts", "**/*.spec.ts", "e2e/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },

  // Plain JavaScript (scripts, bench, config files) is not part of the TypeScript program:
  // lint it without type information, as Node ES modules.
  {
    files: ["**/*.{js,mjs,cjs}"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
);
