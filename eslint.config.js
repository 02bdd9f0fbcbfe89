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
