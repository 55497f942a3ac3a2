// ESLint for the browser client (planpal/web/static/web) and its Node unit tests (tests/js).
// `make lint` runs it with Prettier; the function-length limit keeps screens split into parts.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/vendor/**", "node_modules/**", ".venv/**", ".tools/**", "data/**"] },
  js.configs.recommended,
  {
    files: ["planpal/web/static/web/**/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.browser },
  },
  {
    // The service worker is a classic script with the worker's globals (caches, clients).
    files: ["planpal/web/static/web/sw.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: globals.serviceworker },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.node },
  },
  {
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true }],
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
      "max-depth": ["error", 4],
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "smart"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    // The catalogues are data, one line a text: they grow with the client, not as code does.
    files: ["planpal/web/static/web/locale/*.js"],
    rules: { "max-lines": "off" },
  },
  {
    // A test file is a list of short cases inside describe() callbacks that grow with it.
    files: ["tests/js/**/*.js"],
    rules: { "max-lines-per-function": "off" },
  },
];
