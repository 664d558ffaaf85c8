// Parses API key bodies with their schemas (schemas.ts) into the plain inputs of manage.ts, or
// refuses them with an `InvalidInput` naming the field. Also used by the keys page's actions.
import type * as z from "zod";
import type { KeyOptions } from "@/lib/auth/api-keys";
import { invalidInput, type InvalidInput } from "@/lib/errors";
import { parseUsd } from "@/lib/money";
import { createKeyBodySchema, MAX_KEY_LIMIT_USD, updateKeyBodySchema } from "./schemas";

const MESSAGES: Record<string, string> = {
  name: "name must be 1 to 64 characters.",
  scopes: "scopes must be a non-empty array of generate, read.",
  spend_limit: `spend_limit must be null or {"amount": USD above 0 and at most ${MAX_KEY_LIMIT_USD.toLocaleString("en-US")}, "period": "day", "month" or "total"}.`,
  expires_at: "expires_at must be null or an ISO time in the future, such as 2027-01-31T00:00:00Z.",
};

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidInput("invalid_json", "The request body must be a JSON object.");
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw fromIssue(parsed.error.issues[0]);
}

function fromIssue(issue: z.core.$ZodIssue | undefined): InvalidInput {
  if (issue?.code === "unrecognized_keys") {
    const key = [...issue.path.map(String), issue.keys[0] ?? ""].join(".");
    return invalidInput("unknown_parameter", `Unknown parameter "${key}".`, key);
  }
  const top = issue?.path[0] === undefined ? "" : String(issue.path[0]);
  return invalidInput("invalid_parameter", MESSAGES[top] ?? issue?.message ?? "The request body is invalid.", top || undefined);
}

function limitOf(limit: { amount: number; period: "day" | "month" | "total" } | null | undefined): KeyOptions["spendLimit"] {
  if (limit === undefined || limit === null) return limit;
  const micros = parseUsd(String(limit.amount));
  if (micros === null || micros <= 0n) throw invalidInput("invalid_parameter", MESSAGES.spend_limit!, "spend_limit");
  return { micros, period: limit.period };
}

export type KeyChanges = { name?: string; scopes?: KeyOptions["scopes"]; spendLimit?: KeyOptions["spendLimit"] };

export function parseCreateKey(body: unknown, now = new Date()): { name: string } & KeyOptions {
  const input = parseBody(createKeyBodySchema, body);
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalidInput("invalid_parameter", MESSAGES.expires_at!, "expires_at");
  return { name: input.name, scopes: input.scopes && [...new Set(input.scopes)], spendLimit: limitOf(input.spend_limit) ?? null, expiresAt };
}

export function parseUpdateKey(body: unknown): KeyChanges {
  const input = parseBody(updateKeyBodySchema, body);
  return { name: input.name, scopes: input.scopes && [...new Set(input.scopes)], spendLimit: limitOf(input.spend_limit) };
}
