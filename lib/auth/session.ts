import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";

/** The user's credit account: its id and lifetime deposits (which set its tier), and a tier support set. */
export async function accountOfUser(
  userId: string,
): Promise<{ id: string; lifetimeDepositsMicros: bigint; tierOverride: number | null; tierOverrideUntil: Date | null } | null> {
  const db = await getDb();
  const [account] = await db
    .select({
      id: creditAccounts.id,
      lifetimeDepositsMicros: creditAccounts.lifetimeDepositsMicros,
      tierOverride: creditAccounts.tierOverride,
      tierOverrideUntil: creditAccounts.tierOverrideUntil,
    })
    .from(creditAccounts)
    .where(eq(creditAccounts.userId, userId))
    .limit(1);
  return account ?? null;
}
