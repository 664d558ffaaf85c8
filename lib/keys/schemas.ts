// The API key shapes on the wire, in zod: the create and update bodies (these validate) and the
// key object the routes answer with (present.ts is typed by it). The OpenAPI document
// (lib/keys/openapi.ts) is generated from both. Pure.
import * as z from "zod";
import { KEY_SPEND_PERIODS } from "./periods";

export const KEY_SCOPES = ["generate", "read"] as const;

const keyIdExample = "key_01jd7k3m9x2c4v6b8n0p2r4t6w";
/** The largest limit a key may carry: far above any real budget, far below what bigint holds. */
export const MAX_KEY_LIMIT_USD = 1_000_000;

const name = z.string().trim().min(1).max(64).meta({ description: "What the key is for: 1 to 64 characters.", example: "production" });
const scopes = z
  .array(z.enum(KEY_SCOPES))
  .min(1)
  .meta({ description: "`generate`: create jobs and uploads. `read`: everything that reads. Default: both.", example: ["generate", "read"] });
const spendLimit = z
  .strictObject({
    amount: z.number().positive().max(MAX_KEY_LIMIT_USD).meta({ description: "USD, up to 6 decimals.", example: 1 }),
    period: z.enum(KEY_SPEND_PERIODS).meta({ description: "`day` and `month` are UTC and start again from zero; `total` never does." }),
  })
  .nullable()
  .meta({ description: "What the key may hold and be charged in its period; null for no limit beyond the account's credit." });

export const createKeyBodySchema = z
  .strictObject({
    name,
    scopes: scopes.optional(),
    spend_limit: spendLimit.optional(),
    expires_at: z.iso.datetime().nullable().optional().meta({ description: "From then on the key is refused (401). Must be in the future." }),
  })
  .meta({ id: "CreateApiKeyRequest" });

export const updateKeyBodySchema = z
  .strictObject({ name: name.optional(), scopes: scopes.optional(), spend_limit: spendLimit.optional() })
  .meta({ id: "UpdateApiKeyRequest" });

export type CreateKeyBody = z.output<typeof createKeyBodySchema>;
export type UpdateKeyBody = z.output<typeof updateKeyBodySchema>;

export const keyIdPathSchema = z.object({ id: z.string().meta({ description: "The key's id.", example: keyIdExample }) });

const timestamp = z.iso.datetime();

export const apiKeySchema = z
  .object({
    id: z.string().meta({ example: keyIdExample }),
    object: z.literal("api_key"),
    name: z.string(),
    prefix: z.string().meta({ description: "The start of the secret, to tell keys apart.", example: "esk_4f8Kq2Zx" }),
    scopes: z.array(z.enum(KEY_SCOPES)),
    created_at: timestamp,
    last_used_at: timestamp.nullable(),
    expires_at: timestamp.nullable(),
    spend_limit: z
      .object({
        amount: z.number().meta({ description: "USD the key may spend in its period." }),
        period: z.enum(KEY_SPEND_PERIODS),
        spent: z.number().meta({ description: "USD held (jobs not ended) and charged through the key in the current period." }),
        remaining: z.number().meta({ description: "amount − spent." }),
        resets_at: timestamp.nullable().meta({ description: "When the count starts again from zero; null for `total`." }),
      })
      .nullable(),
  })
  .meta({ id: "ApiKey" });

export const apiKeyWithSecretSchema = apiKeySchema
  .extend({ secret: z.string().meta({ description: "The key itself, shown in this answer only.", example: "esk_…" }) })
  .meta({ id: "ApiKeyWithSecret" });

export const apiKeyListSchema = z
  .object({ object: z.literal("list"), data: z.array(apiKeySchema).meta({ description: "Newest first; never the secrets." }), has_more: z.boolean() })
  .meta({ id: "ApiKeyList" });

export const apiKeyDeletedSchema = z
  .object({ id: z.string().meta({ example: keyIdExample }), object: z.literal("api_key"), deleted: z.literal(true) })
  .meta({ id: "ApiKeyDeleted" });

export type ApiKeyObject = z.output<typeof apiKeySchema>;
