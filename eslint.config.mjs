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

// Routes own HTTP; lib/ owns the product (docs/architecture.md). Outside lib/http/ (the route
// wrapper, body and query parsing, error mapping) no module under lib/ reads a Request or builds
// a Response: a domain function takes plain typed input and throws the errors of lib/errors.ts.
const HTTP_ONLY = "Only lib/http/ and route files deal in Request and Response: take plain input, return data, throw an error of lib/errors.ts.";
const httpOutsideLibHttp = [
  { selector: "NewExpression[callee.name='Response']", message: HTTP_ONLY },
  { selector: "MemberExpression[object.name='Response'][property.name=/^(json|redirect|error)$/]", message: HTTP_ONLY },
  { selector: "TSTypeReference[typeName.name=/^(Request|NextRequest|NextResponse)$/]", message: HTTP_ONLY },
  // An HTTP status is lib/http/errors.ts's to decide: domain code throws a DomainError.
  { selector: "ImportSpecifier[imported.name=/^(ApiError|invalidRequest)$/]", message: HTTP_ONLY },
];

const config = [
  { ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**"] },
  ...nextVitals,
  ...nextTypescript,
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", databaseImports] },
  },
  {
    files: ["lib/**/*.{ts,tsx}"],
    ignores: ["lib/http/**", "lib/testing/**", "lib/**/*.test.ts"],
    rules: { "no-restricted-syntax": ["error", ...httpOutsideLibHttp] },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
