// The API key endpoints of the OpenAPI document, merged into it by lib/http/openapi.ts.
import * as z from "zod";
import type { ErrorCode } from "@/lib/http/error-codes";
import type { Operations } from "@/lib/http/openapi-operation";
import {
  apiKeyDeletedSchema,
  apiKeyListSchema,
  apiKeySchema,
  apiKeyWithSecretSchema,
  createKeyBodySchema,
  keyIdPathSchema,
  updateKeyBodySchema,
} from "./schemas";

const TAG = "Keys";
const BODY_ERRORS: ErrorCode[] = ["invalid_json", "unknown_parameter", "invalid_parameter", "payload_too_large"];
const OWNER_ONLY = " Only the signed-in owner (the dashboard's session) may do this; with an API key it is 403 `key_scope`.";

export const KEY_OPERATIONS: Operations = {
  "/v1/keys": {
    get: {
      operationId: "listApiKeys",
      tag: TAG,
      summary: "List API keys",
      description: "The account's live keys, newest first, each with its scopes, expiry and its spend against its limit. Never the secrets.",
      auth: true,
      ok: { 200: { description: "The keys.", schema: apiKeyListSchema } },
    },
    post: {
      operationId: "createApiKey",
      tag: TAG,
      summary: "Create an API key",
      description: `A new key with a name and, optionally, scopes, a spend limit and an expiry. The answer carries the secret: the only time it is shown.${OWNER_ONLY}`,
      auth: true,
      writes: true,
      body: { schema: createKeyBodySchema },
      ok: {
        201: {
          description: "The key, with its secret.",
          schema: apiKeyWithSecretSchema,
          headers: { Location: z.string().meta({ description: "The new key's URL.", example: "/v1/keys/key_01jd7k3m9x2c4v6b8n0p2r4t6w" }) },
        },
      },
      errors: BODY_ERRORS,
    },
  },
  "/v1/keys/{id}": {
    get: {
      operationId: "getApiKey",
      tag: TAG,
      summary: "Get an API key",
      description: "One of the account's live keys. Anyone else's is not found.",
      auth: true,
      path: keyIdPathSchema,
      ok: { 200: { description: "The key.", schema: apiKeySchema } },
      errors: ["api_key_not_found"],
    },
    patch: {
      operationId: "updateApiKey",
      tag: TAG,
      summary: "Update an API key",
      description: `Renames it, changes its scopes, or sets, changes or removes (null) its spend limit. A new limit counts what the key already spent in the current period.${OWNER_ONLY}`,
      auth: true,
      writes: true,
      path: keyIdPathSchema,
      body: { schema: updateKeyBodySchema },
      ok: { 200: { description: "The key, changed.", schema: apiKeySchema } },
      errors: [...BODY_ERRORS, "api_key_not_found"],
    },
    delete: {
      operationId: "revokeApiKey",
      tag: TAG,
      summary: "Revoke an API key",
      description: `Refused from its very next request on; its jobs stay. Cannot be undone.${OWNER_ONLY}`,
      auth: true,
      writes: true,
      path: keyIdPathSchema,
      ok: { 200: { description: "The key was revoked.", schema: apiKeyDeletedSchema } },
      errors: ["api_key_not_found"],
    },
  },
};
