// One lint setup for the whole workspace (ESLint + typescript-eslint, type-aware);
// Prettier owns formatting. Each package runs `eslint .` through turbo.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.cache/**",
      "**/coverage/**",
      "**/results/**",
      "**/*.config.*",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts"],
    languageOptions: {
      parserOptions: { projectService: true },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A package's inside stays inside: import what its exports map offers, never another package's src/, dist/ or
    // internal/ files. (Relative imports within a package are its own business.)
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.mjs", "**/*.js"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@gametel/[^/]+/(src|dist)(/|$)",
              message: "Import the package's public entry (its exports map), not its src/ or dist/ files.",
            },
            {
              regex: "^@gametel/.*/internals?(/|$)",
              message:
                "Another package's internal/ files are not part of its surface; import its public entry.",
            },
            {
              // Up to the repository's root and down into a workspace folder.
              regex: "^(\\.\\./)+(apps|packages|examples|benchmarks)/",
              message:
                "Import another workspace package by its name (@gametel/...), not by a path into its folder.",
            },
            {
              // Up out of this package and into a sibling's src/ or dist/ (e.g. ../../processor-kafkajs/src/...).
              regex: "^(\\.\\./){2,}[^./][^/]*/(src|dist)/",
              message:
                "Import another workspace package by its name (@gametel/...), not by a path into its folder.",
            },
          ],
        },
      ],
    },
  },
  {
    // Libraries log through their logger, never the console.
    files: ["packages/*/src/**/*.ts"],
    ignores: ["packages/devstack/**", "**/*.test.ts", "**/*.bench.ts"],
    rules: { "no-console": "error" },
  },
  {
    // The apps' installed commands (bin/*.mjs) run on Node, whose globals ESLint's no-undef does not know.
    files: ["**/bin/*.mjs"],
    rules: { "no-undef": "off" },
  },
);
