// GET /v1/openapi.json — the OpenAPI 3.1 document of this API, generated from its schemas
import { api, json } from "@/lib/http/api";
import { openApiDocument } from "@/lib/http/openapi";

export const GET = api(async () => json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }), { auth: "none" });
