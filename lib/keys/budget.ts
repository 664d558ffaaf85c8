import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { KeyBudgetExceeded } from "@/lib/errors";
import { periodReset, spentInPeriod } from "./periods";

/**
 * After a refused acceptance: the key's spend limit, if that is what refused it (its count in
 * the period of `at`, plus this request, passes the limit); null otherwise.
 */
export async function keyBudgetRefusal(input: { keyId: string; neededMicros: bigint; at: Date }): Promise<KeyBudgetExceeded | null> {
  const db = await getDb();
  const [key] = await db
    .select({
      spendLimitMicros: apiKeys.spendLimitMicros,
      spendLimitPeriod: apiKeys.spendLimitPeriod,
      spendPeriodStart: apiKeys.spendPeriodStart,
      spentMicros: apiKeys.spentMicros,
    })
    .from(apiKeys)
    .where(eq(apiKeys.id, input.keyId));
  if (!key?.spendLimitMicros || !key.spendLimitPeriod) return null;
  const spent = spentInPeriod(key, input.at);
  if (spent + input.neededMicros <= key.spendLimitMicros) return null;
  return new KeyBudgetExceeded(key.spendLimitMicros, spent, input.neededMicros, key.spendLimitPeriod, periodReset(key.spendLimitPeriod, input.at));
}
