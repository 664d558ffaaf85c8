"use server";
// Server actions of the billing page. Next.js checks their Origin; each acts for the signed-in
// user's own account only. Amounts arrive as the text the user typed and are parsed here by
// the rules of lib/billing/topup-rules.ts; money moves only in lib/.

import { revalidatePath } from "next/cache";
import { currentAccount } from "@/lib/auth/current";
import { saveAutoTopup } from "@/lib/billing/auto-topup";
import { parseBalanceSettings } from "@/lib/billing/balance-settings";
import { setLowBalanceThreshold } from "@/lib/billing/low-balance";
import { createTopUpCheckout } from "@/lib/billing/stripe/checkout";
import { stripeConfigured } from "@/lib/billing/stripe/client";
import { addTestCredit } from "@/lib/billing/test-credit";
import { parseAutoTopupUsd, parseTopUpUsd } from "@/lib/billing/topup-rules";
import { DomainError } from "@/lib/errors";
import { ApiError } from "@/lib/http/errors";
import { logger } from "@/lib/http/logger";
import { formatUsd } from "@/lib/money";
import { pageOrigin } from "@/lib/server/page-origin";

export type ActionError = { error: string };

/** A refusal we can explain is shown as is; anything else is logged and answered generically. */
function explain(error: unknown, what: string): ActionError {
  if (error instanceof ApiError || error instanceof DomainError) return { error: error.message };
  logger.error({ err: error }, `${what} failed`);
  return { error: `${what} failed on our side. Please try again in a moment.` };
}

/** Starts a card top-up: the Stripe Checkout URL to send the browser to. */
export async function startCheckoutAction(amountUsd: string): Promise<{ url: string } | ActionError> {
  const me = await currentAccount();
  const amount = parseTopUpUsd(amountUsd);
  if (!amount.ok) return { error: amount.error };
  if (!stripeConfigured()) return { error: "Card payments are not set up on this server." };
  try {
    const { url } = await createTopUpCheckout({ accountId: me.accountId, amountMicros: amount.value, origin: await pageOrigin() });
    return { url };
  } catch (error) {
    return explain(error, "Starting the payment");
  }
}

/** Credit without a payment, where allowed (development, or EASEL_ALLOW_TEST_CREDIT=1 without Stripe). */
export async function addTestCreditAction(amountUsd: string): Promise<{ creditedUsd: string } | ActionError> {
  const me = await currentAccount();
  const amount = parseTopUpUsd(amountUsd);
  if (!amount.ok) return { error: amount.error };
  try {
    await addTestCredit({ accountId: me.accountId, amountMicros: amount.value });
  } catch (error) {
    return explain(error, "Adding test credit");
  }
  revalidatePath("/billing");
  return { creditedUsd: formatUsd(amount.value) };
}

/** Sets the low-balance alert's threshold (USD as typed), or turns it off (empty). */
export async function saveLowBalanceAction(thresholdUsd: string): Promise<{ enabled: boolean } | ActionError> {
  const me = await currentAccount();
  const text = thresholdUsd.trim().replace(/^\$/, "");
  try {
    const { thresholdMicros } = parseBalanceSettings({ low_balance_threshold: text === "" ? null : Number.isFinite(Number(text)) ? Number(text) : -1 });
    await setLowBalanceThreshold({ accountId: me.accountId, thresholdMicros });
    revalidatePath("/billing");
    return { enabled: thresholdMicros !== null };
  } catch (error) {
    return explain(error, "Saving the alert");
  }
}

/** Turns auto top-up on (threshold and amount in USD) or off (both empty). */
export async function saveAutoTopupAction(thresholdUsd: string, amountUsd: string): Promise<{ enabled: boolean } | ActionError> {
  const me = await currentAccount();
  const setting = parseAutoTopupUsd(thresholdUsd, amountUsd);
  if (!setting.ok) return { error: setting.error };
  try {
    await saveAutoTopup({ accountId: me.accountId, ...setting.value });
  } catch (error) {
    return explain(error, "Saving auto top-up");
  }
  revalidatePath("/billing");
  return { enabled: setting.value.amountMicros !== null };
}
