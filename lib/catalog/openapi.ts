// The catalogue's endpoints of the OpenAPI document, merged into it by lib/http/openapi.ts.
import type { Operations } from "@/lib/http/openapi-operation";
import { GENERATION_ERRORS } from "@/lib/jobs/openapi";
import { generationBodySchema } from "@/lib/jobs/schemas";
import { estimateSchema, modelListSchema, modelPathSchema, modelSchema, modelsQuerySchema, pricingListSchema } from "./schemas";

export const CATALOG_OPERATIONS: Operations = {
  "/v1/models": {
    get: {
      operationId: "listModels",
      tag: "Catalogue",
      summary: "List models",
      description: "The catalogue, optionally filtered. Public; cacheable for 60 s. Unknown query parameters are ignored.",
      auth: false,
      query: modelsQuerySchema,
      ok: { 200: { description: "The models.", schema: modelListSchema } },
      errors: ["invalid_parameter"],
    },
  },
  "/v1/models/{id}": {
    get: {
      operationId: "getModel",
      tag: "Catalogue",
      summary: "Get a model",
      description: "One model of the catalogue, as GET /v1/models lists it. Public; cacheable for 60 s.",
      auth: false,
      path: modelPathSchema,
      ok: { 200: { description: "The model.", schema: modelSchema } },
      errors: [{ code: "unknown_model", status: 404 }],
    },
  },
  "/v1/pricing": {
    get: {
      operationId: "listPricing",
      tag: "Catalogue",
      summary: "List prices",
      description: "Every model's list price, markup included. Public; cacheable for 60 s.",
      auth: false,
      ok: { 200: { description: "The prices.", schema: pricingListSchema } },
    },
  },
  "/v1/credits/pricing": {
    get: {
      operationId: "listPricingLegacy",
      tag: "Catalogue",
      summary: "List prices (older name)",
      description: "The same as GET /v1/pricing, under the name older clients use. New code should call GET /v1/pricing.",
      deprecated: true,
      auth: false,
      ok: { 200: { description: "The prices.", schema: pricingListSchema } },
    },
  },
  "/v1/pricing/estimate": {
    post: {
      operationId: "estimateCost",
      tag: "Catalogue",
      summary: "Estimate a cost",
      description: "What a generation body would cost, validated exactly as a submit, creating nothing. Public.",
      auth: false,
      body: { schema: generationBodySchema },
      ok: { 200: { description: "The estimate.", schema: estimateSchema } },
      errors: GENERATION_ERRORS,
    },
  },
};
