import type { ApiKey } from "@/db/schema";
import { toUsd } from "@/lib/money";
import { periodReset, spentInPeriod } from "./periods";
import type { ApiKeyObject } from "./schemas";

// The API's key object, typed by its response schema (schemas.ts), with the spend of the period
// of `now`. The secret appears only in the answer that made it (the route adds it).

export function keyJson(key: ApiKey, now = new Date()): ApiKeyObject {
  const limit = key.spendLimitMicros;
  const period = key.spendLimitPeriod;
  const spent = spentInPeriod(key, now);
  return {
    id: key.id,
    object: "api_key",
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    spend_limit:
      limit && period
        ? {
            amount: toUsd(limit),
            period,
            spent: toUsd(spent),
            remaining: toUsd(limit > spent ? limit - spent : 0n),
            resets_at: periodReset(period, now)?.toISOString() ?? null,
          }
        : null,
  };
}
