import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Routes call lib/; only lib/ touches the database (STYLE.md). Pages, layouts, route handlers
// and components may not import drizzle-orm, postgres, PGlite or anything under db/.
const databaseImports = {
  paths: [
    { name: "drizzle-orm", message: "Call a function in lib/ instead: only lib/ touches the database." },
    { name: "postgres", message: "Call a function in lib/ instead: only lib/ touches the database." },
    { name: "@electric-sql/pglite", message: "Call a function in lib/ instead: only lib/ touches the database." },
  ],
  patterns: [
    { group: ["drizzle-orm/*"], message: "Call a function in lib/ instead: only lib/ touches the database." },
    { group: ["@/db", "@/db/*", "**/db/*"], message: "Call a function in lib/ instead: only lib/ touches the database." },
  ],
};

const config = [
  { ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextVitals,
  ...nextTypescript,
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", databaseImports] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
