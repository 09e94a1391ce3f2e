// ESLint 9 flat config: JS recommended + typescript-eslint recommended (not
// type-aware, to stay fast) + React hooks rules for the Remix app.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Globals of the pinned Node runtime (process, console, Buffer, fetch, URL, ...)
// for plain .js/.mjs/.cjs files. Computed from the running Node instead of
// depending on the `globals` package, which is not a direct dependency.
const nodeGlobals = Object.fromEntries(
  Object.getOwnPropertyNames(globalThis)
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    .map((name) => [name, "readonly"]),
);

export default defineConfig([
  globalIgnores(["**/node_modules/", "build/", "public/build/", ".data/", ".cache/", "test-results/"]),

  {
    files: ["**/*.{js,mjs,cjs,ts,tsx,mts,cts}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrors: "none",
          ignoreRestSiblings: true,
        },
      ],
      // Allow `require()` in .cjs files and occasional interop.
      "@typescript-eslint/no-require-imports": "off",
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },

  // Plain JavaScript (config files, scripts, jobs): Node runtime globals.
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: {
      globals: nodeGlobals,
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        exports: "writable",
        __dirname: "readonly",
        __filename: "readonly",
      },
    },
  },

  // Layers (docs/decisions/013-layers.md). The domain is pure: no database, no
  // request helpers, no routes or components, no Node APIs but crypto.
  {
    files: ["app/domain/**/*.{ts,tsx}"],
    ignores: ["app/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "~/lib/*",
                "~/models/*",
                "~/routes/*",
                "~/components/*",
                "**/app/lib/*",
                "**/app/models/*",
                "**/app/routes/*",
                "**/app/components/*",
                "../lib/*",
                "../models/*",
                "../routes/*",
                "../components/*",
                "../../lib/*",
                "../../models/*",
                "../../routes/*",
                "../../components/*",
              ],
              message: "app/domain is pure: it takes data in and gives figures back. Move the I/O to a .server.ts module that calls the domain.",
            },
            {
              group: ["pg", "pg/*", "node:*", "!node:crypto"],
              message: "app/domain does no I/O: no database driver and no Node API except node:crypto.",
            },
          ],
        },
      ],
    },
  },
  // Components run in the browser too: nothing from a .server module, not even a type (use a types-only module).
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/*.server", "**/*.server.ts", "**/*.server.tsx"],
              message: "Components must not import .server modules (not even types): put shared types in a types-only module.",
            },
          ],
        },
      ],
    },
  },
  // The local Supabase stand-in is tooling: the app talks to Supabase only through its public API.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/domain/**", "app/components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/supabase/local/**"], message: "app/ must not import supabase/local (development tooling)." }] },
      ],
    },
  },
  {
    files: ["app/domain/**/*.{ts,tsx}", "app/components/**/*.{ts,tsx}"],
    rules: {
      // Each block above replaces the rule for its files, so the stand-in ban is repeated here.
      "no-restricted-syntax": [
        "error",
        { selector: "ImportDeclaration[source.value=/supabase\\/local/]", message: "app/ must not import supabase/local (development tooling)." },
      ],
    },
  },

  // React components and hooks.
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    languageOptions: {
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
]);
