// The OpenAPI 3.1 document of /v1, generated with zod-openapi from the very schemas that validate
// the requests and type the answers (lib/*/schemas.ts), and the error codes of error-codes.ts.
// Each area's endpoints are in its own openapi.ts; this file puts them together, in this order.
// Served at GET /v1/openapi.json, rendered at /docs, turned into the dashboard's client types
// (`npm run openapi:types`), and the route tests check every answer against it.
import * as z from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import { ACCOUNT_OPERATIONS } from "@/lib/billing/openapi";
import { CATALOG_OPERATIONS } from "@/lib/catalog/openapi";
import { compatOperations } from "@/lib/compat/openapi";
import { JOB_OPERATIONS } from "@/lib/jobs/openapi";
import { KEY_OPERATIONS } from "@/lib/keys/openapi";
import { FILE_OPERATIONS } from "@/lib/storage/openapi";
import { WEBHOOK_OPERATIONS } from "@/lib/webhooks/openapi";
import { operation, type Operations } from "./openapi-operation";

const META_OPERATIONS: Operations = {
  "/v1/openapi.json": {
    get: {
      operationId: "getOpenApiDocument",
      tag: "Meta",
      summary: "Get this document",
      description: "The OpenAPI 3.1 document of the API. Public.",
      auth: false,
      ok: { 200: { description: "The document.", schema: z.record(z.string(), z.unknown()).meta({ description: "An OpenAPI 3.1 document." }) } },
    },
  },
};

const TAGS = [
  { name: "Images", description: "Create jobs: every request is an asynchronous job whose cost is held when it is accepted." },
  { name: "Jobs", description: "Follow, list and cancel jobs. You are charged only for images delivered, never more than the estimate." },
  { name: "Catalogue", description: "Models and prices. Public." },
  { name: "Account", description: "Balance, ledger, usage and tiers." },
  { name: "Keys", description: "API keys: their scopes, expiry and spend limits." },
  { name: "Files", description: "Reference images in, generated images out, through signed URLs." },
  { name: "Webhooks", description: "Signed events to your endpoints, the delivery log and redelivery." },
  { name: "OpenAI compatible", description: "The OpenAI Images API, synchronous, for the official SDKs: the same keys, credit and jobs." },
  { name: "Image API", description: "The synchronous image API other gateways offer, for their clients." },
  { name: "Meta", description: "This document." },
];

const DESCRIPTION = `One API for many image-generation models, with prepaid credit that is always exact.

Authenticate with \`Authorization: Bearer esk_…\` (create keys in the dashboard). Every error has the shape
\`{"error": {"type", "code", "message", "param"?}}\`; branch on \`code\`. Any other path under /v1 answers 404
\`route_not_found\` in that shape, and a path that is not valid percent-encoded UTF-8 answers 400 \`invalid_path\`.
Query parameters an endpoint does not name are ignored; body fields it does not name are refused (\`unknown_parameter\`). Amounts are USD as JSON numbers with up to 6 decimals. Every answer carries
\`X-Request-Id\`, and \`X-RateLimit-Limit\`, \`-Remaining\` and \`-Reset\` when limits are on.`;

function build() {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const [path, methods] of Object.entries({
    ...JOB_OPERATIONS,
    ...CATALOG_OPERATIONS,
    ...ACCOUNT_OPERATIONS,
    ...FILE_OPERATIONS,
    ...META_OPERATIONS,
    ...KEY_OPERATIONS,
    ...WEBHOOK_OPERATIONS,
    ...compatOperations(),
  })) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(op!)]));
  }
  return createDocument({
    openapi: "3.1.0",
    info: { title: "Easel API", version: "1.0.0", description: DESCRIPTION, license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } },
    servers: [{ url: "/", description: "This server" }],
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key: `Authorization: Bearer esk_…`." },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description: "The dashboard's session, for its own pages: a request that changes anything must carry this site's Origin.",
        },
      },
    },
  });
}

let cached: ReturnType<typeof build> | undefined;

/** The document (built once per process: the schemas do not change while it runs). */
export function openApiDocument() {
  cached ??= build();
  return cached;
}
