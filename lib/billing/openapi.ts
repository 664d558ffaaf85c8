// The account's endpoints of the OpenAPI document (balance, ledger, usage, tiers), merged into it by
// lib/http/openapi.ts `build`.
import * as z from "zod";
import type { Operations } from "@/lib/http/openapi-operation";
import {
  balanceSchema,
  ledgerFilterQuerySchema,
  ledgerPageQuerySchema,
  ledgerPageSchema,
  tierListSchema,
  updateBalanceSettingsSchema,
  usageQuerySchema,
  usageSchema,
} from "./schemas";

export const ACCOUNT_OPERATIONS: Operations = {
  "/v1/limits/tiers": {
    get: {
      operationId: "listTiers",
      tag: "Account",
      summary: "List usage tiers",
      description: "The tier matrix: lifetime deposits set the tier, the tier sets the limits. Public; cacheable for 300 s.",
      auth: false,
      ok: { 200: { description: "The tiers.", schema: tierListSchema } },
    },
  },
  "/v1/balance": {
    get: {
      operationId: "getBalance",
      tag: "Account",
      summary: "Get the balance",
      description: "Balance, held and available credit, lifetime deposits and tier.",
      auth: true,
      ok: { 200: { description: "The balance.", schema: balanceSchema } },
    },
    patch: {
      operationId: "updateBalanceSettings",
      tag: "Account",
      summary: "Set the low-balance alert",
      description:
        "Sets the threshold: when a charge leaves available credit below it, one `balance.low` webhook event and one email, then none until credit has been back at or above it. null turns it off.",
      auth: true,
      writes: true,
      body: { schema: updateBalanceSettingsSchema },
      ok: { 200: { description: "The balance, with the new threshold.", schema: balanceSchema } },
      errors: ["invalid_json", "unknown_parameter", "invalid_parameter", "payload_too_large"],
    },
  },
  "/v1/ledger": {
    get: {
      operationId: "listLedgerEntries",
      tag: "Account",
      summary: "List ledger entries",
      description: "Every movement of money, newest first: holds, charges, releases, top-ups, adjustments. Empty and unknown query parameters are ignored.",
      auth: true,
      query: ledgerPageQuerySchema,
      ok: { 200: { description: "A page of entries.", schema: ledgerPageSchema } },
      errors: ["invalid_parameter", "invalid_cursor"],
    },
  },
  "/v1/ledger/export": {
    get: {
      operationId: "exportLedger",
      tag: "Account",
      summary: "Export the ledger as CSV",
      description: "The entries the same filters select, as a CSV file, streamed. A failure part way aborts the transfer rather than end a partial file.",
      auth: true,
      query: ledgerFilterQuerySchema,
      ok: {
        200: {
          description: "The CSV file: id, created_at, type, amount_usd, balance_after_usd, held_after_usd, job_id, model, payment_ref, description.",
          schema: z.string(),
          contentType: "text/csv",
          headers: { "Content-Disposition": z.string().meta({ description: "attachment; filename=…", example: 'attachment; filename="easel-ledger.csv"' }) },
        },
      },
      errors: ["invalid_parameter"],
    },
  },
  "/v1/usage": {
    get: {
      operationId: "getUsage",
      tag: "Account",
      summary: "Get daily usage",
      description: "Spend per UTC day by model, and the balance at the end of each day.",
      auth: true,
      query: usageQuerySchema,
      ok: { 200: { description: "Usage per day, oldest first.", schema: usageSchema } },
      errors: ["invalid_parameter"],
    },
  },
};
