// `npm run openapi:types`: writes the OpenAPI document (.data/openapi.json, for tools that want a
// file), then the dashboard's client types from it (lib/queries/openapi.d.ts, committed). A test
// (lib/http/openapi.test.ts) fails when the committed types are stale.
import fs from "node:fs";
import path from "node:path";
import { openApiDocument } from "@/lib/http/openapi";
import { generateClientTypes, TYPES_FILE } from "@/lib/http/openapi-types";

async function main() {
  const documentFile = path.resolve(".data/openapi.json");
  fs.mkdirSync(path.dirname(documentFile), { recursive: true });
  fs.writeFileSync(documentFile, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  fs.writeFileSync(path.resolve(TYPES_FILE), await generateClientTypes());
  console.log(`wrote .data/openapi.json and ${TYPES_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
