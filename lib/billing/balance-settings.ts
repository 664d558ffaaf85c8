// Parses the body of PATCH /v1/balance (and the billing page's threshold field) into micro-dollars.
import { invalidInput } from "@/lib/errors";
import { parseUsd } from "@/lib/money";
import { updateBalanceSettingsSchema } from "./schemas";

const MESSAGE = "low_balance_threshold must be null or USD from 0 to 1,000,000 with at most 6 decimals.";

export function parseBalanceSettings(body: unknown): { thresholdMicros: bigint | null } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalidInput("invalid_json", "The request body must be a JSON object.");
  const parsed = updateBalanceSettingsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys") throw invalidInput("unknown_parameter", `Unknown parameter "${issue.keys[0]}".`, issue.keys[0]);
    throw invalidInput("invalid_parameter", MESSAGE, "low_balance_threshold");
  }
  const value = parsed.data.low_balance_threshold;
  if (value === null) return { thresholdMicros: null };
  const micros = parseUsd(String(value));
  if (micros === null) throw invalidInput("invalid_parameter", MESSAGE, "low_balance_threshold");
  return { thresholdMicros: micros };
}
