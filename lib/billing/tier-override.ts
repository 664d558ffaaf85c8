import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { forgetAccountKeys } from "@/lib/auth/key-cache";
import { invalidInput, NotFound } from "@/lib/errors";
import { TIERS } from "./tiers";

/**
 * Sets the account's tier by hand (support's `tier:override`), instead of the one its deposits
 * reach, until `until` (or until cleared); `tier: null` clears it. It sets the account's limits
 * from the next request on.
 */
export async function setTierOverride(input: { accountId: string; tier: number | null; until?: Date | null }, now = new Date()): Promise<void> {
  if (input.tier !== null && (!Number.isInteger(input.tier) || !TIERS[input.tier])) {
    throw invalidInput("invalid_parameter", `The tier must be one of 0 to ${TIERS.length - 1}.`, "tier");
  }
  if (input.until && input.until.getTime() <= now.getTime()) throw invalidInput("invalid_parameter", "--until must be in the future.", "until");
  const db = await getDb();
  const rows = await db
    .update(creditAccounts)
    .set({ tierOverride: input.tier, tierOverrideUntil: input.tier === null ? null : (input.until ?? null), updatedAt: now })
    .where(eq(creditAccounts.id, input.accountId))
    .returning({ id: creditAccounts.id });
  if (rows.length === 0) throw new NotFound("account_not_found", "No such account.");
  forgetAccountKeys(input.accountId); // other processes hear of it from the database
}
