import "server-only";
import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { getDb, withTransaction, type Queryable, type Transaction } from "@/db/client";
import { creditAccounts } from "@/db/schema";
import { invalidInput, NotFound } from "@/lib/errors";
import { queueEmail } from "@/lib/email/outbox";
import { logger } from "@/lib/http/logger";
import { newId } from "@/lib/ids";
import { isStripeRefusal, stripeClient, stripeConfigured } from "./stripe/client";
import { autoTopupProblem, microsToCents, type AutoTopupSetting } from "./topup-rules";

// Auto top-up: when a charge leaves available credit below the account's threshold, charge its
// saved card (off-session) for the chosen amount. Once — not once per charge, and not again
// while a payment is in flight: the right to create the PaymentIntent is claimed by ONE
// conditional UPDATE of the account row, which under any race exactly one caller wins. The
// claim is a unique token, stored in the PaymentIntent's metadata, so whatever reports on that
// payment (the create call, the webhook) clears that claim and never a newer one. The money
// arrives only through the webhook (`payment_intent.succeeded`), which credits it once.
//
// A refused payment (a declined card, one that needs its owner) pauses auto top-up for a day,
// so that a busy account does not send its bank a payment attempt with every charge. Saving a
// new card or changing the settings lifts the pause at once.

/** A claim older than this is presumed lost (a crash between claiming and recording) and may be replaced. */
export const STALE_CLAIM_MS = 60 * 60 * 1000;

/** After a refused auto top-up, none is tried for this long (unless the card or settings change). */
export const REFUSAL_PAUSE_MS = 24 * 60 * 60 * 1000;

export type AutoTopup = AutoTopupSetting & {
  paymentMethodSaved: boolean;
  /** The claim token or PaymentIntent id in flight, if any. */
  pendingIntentId: string | null;
  pendingSince: Date | null;
  /** The last refusal, while it pauses auto top-up: when, why, and when it may try again. */
  refused: { at: Date; reason: string; retryAfter: Date } | null;
};

const settingColumns = {
  thresholdMicros: creditAccounts.autoTopupThresholdMicros,
  amountMicros: creditAccounts.autoTopupAmountMicros,
  paymentMethodId: creditAccounts.autoTopupPaymentMethodId,
  pendingIntentId: creditAccounts.autoTopupPendingIntentId,
  pendingSince: creditAccounts.autoTopupPendingSince,
  failedAt: creditAccounts.autoTopupFailedAt,
  failure: creditAccounts.autoTopupFailure,
};

type SettingRow = {
  thresholdMicros: bigint | null;
  amountMicros: bigint | null;
  paymentMethodId: string | null;
  pendingIntentId: string | null;
  pendingSince: Date | null;
  failedAt: Date | null;
  failure: string | null;
};

/** The last refusal, if it still pauses auto top-up. */
function pauseOf(row: SettingRow): AutoTopup["refused"] {
  if (!row.failedAt) return null;
  const retryAfter = new Date(row.failedAt.getTime() + REFUSAL_PAUSE_MS);
  if (retryAfter.getTime() <= Date.now()) return null;
  return { at: row.failedAt, reason: row.failure ?? "The payment was refused.", retryAfter };
}

function present(row: SettingRow): AutoTopup {
  return {
    thresholdMicros: row.thresholdMicros,
    amountMicros: row.amountMicros,
    paymentMethodSaved: row.paymentMethodId !== null,
    pendingIntentId: row.pendingIntentId,
    pendingSince: row.pendingSince,
    refused: pauseOf(row),
  };
}

export async function getAutoTopup(input: { accountId: string }): Promise<AutoTopup | null> {
  const db = await getDb();
  const [row] = await db.select(settingColumns).from(creditAccounts).where(eq(creditAccounts.id, input.accountId));
  return row ? present(row) : null;
}

/** Turns auto top-up on (threshold ≥ 0, amount $5–$1,000) or off (both null). */
export async function saveAutoTopup(input: { accountId: string } & AutoTopupSetting): Promise<AutoTopup> {
  const problem = autoTopupProblem(input);
  if (problem) throw invalidInput("invalid_auto_topup", problem);
  const db = await getDb();
  const [row] = await db
    .update(creditAccounts)
    // New settings are the owner's answer to a refusal: the pause ends.
    .set({
      autoTopupThresholdMicros: input.thresholdMicros,
      autoTopupAmountMicros: input.amountMicros,
      autoTopupFailedAt: null,
      autoTopupFailure: null,
      updatedAt: new Date(),
    })
    .where(eq(creditAccounts.id, input.accountId))
    .returning(settingColumns);
  if (!row) throw new NotFound("account_not_found", "No such account.");
  return present(row);
}

/** Keeps the card (and its customer) a paid checkout saved for off-session use, for auto top-ups. */
export async function saveAutoTopupPaymentMethod(
  tx: Transaction,
  input: { accountId: string; paymentMethodId: string; customerId: string | null },
): Promise<void> {
  await tx
    .update(creditAccounts)
    .set({
      autoTopupPaymentMethodId: input.paymentMethodId,
      // A new card ends the pause a refused one began.
      autoTopupFailedAt: null,
      autoTopupFailure: null,
      // The card belongs to the session's customer; keep the one stored if there is one already.
      stripeCustomerId: sql`coalesce(${creditAccounts.stripeCustomerId}, ${input.customerId})`,
      updatedAt: new Date(),
    })
    .where(eq(creditAccounts.id, input.accountId));
}

/**
 * Clears the in-flight marker if it is one of `refs` (the PaymentIntent's id or its claim).
 * With `refusal`, the payment was refused: auto top-up pauses (REFUSAL_PAUSE_MS), the reason is
 * kept for the billing page, and the owner is emailed; without, it succeeded and any pause is over.
 */
export async function clearAutoTopupClaim(
  q: Queryable,
  input: { accountId: string; refs: string[]; refusal?: string },
): Promise<boolean> {
  const refs = input.refs.filter(Boolean);
  if (refs.length === 0) return false;
  const rows = await q
    .update(creditAccounts)
    .set({
      autoTopupPendingIntentId: null,
      autoTopupPendingSince: null,
      autoTopupFailedAt: input.refusal === undefined ? null : sql`now()`,
      autoTopupFailure: input.refusal ?? null,
    })
    .where(and(eq(creditAccounts.id, input.accountId), inArray(creditAccounts.autoTopupPendingIntentId, refs)))
    .returning({ id: creditAccounts.id });
  // The owner hears of a refused auto top-up at once, by email.
  if (rows.length > 0 && input.refusal !== undefined) {
    await queueEmail(q, { accountId: input.accountId, kind: "auto_topup_failed", data: { reason: input.refusal } });
  }
  return rows.length > 0;
}

export type AutoTopUpResult =
  | { status: "skipped"; reason: "stripe_not_configured" | "not_needed" }
  | { status: "created"; paymentIntentId: string; paymentStatus: string }
  | { status: "refused"; code: string | null; message: string }
  | { status: "unknown"; message: string };

/**
 * Starts one auto top-up if the account needs one: configured, a card saved, Stripe set up,
 * available credit below the threshold, and no payment already in flight. Never credits: the
 * webhook does, when Stripe reports the payment succeeded.
 */
export async function maybeAutoTopUp(accountId: string): Promise<AutoTopUpResult> {
  if (!stripeConfigured()) return { status: "skipped", reason: "stripe_not_configured" };
  const claim = newId("claim");
  const db = await getDb();
  const staleBefore = sql`now() - ${STALE_CLAIM_MS}::int * interval '1 millisecond'`;
  const pauseEnded = sql`now() - ${REFUSAL_PAUSE_MS}::int * interval '1 millisecond'`;
  const [claimed] = await db
    .update(creditAccounts)
    .set({ autoTopupPendingIntentId: claim, autoTopupPendingSince: sql`now()` })
    .where(
      and(
        eq(creditAccounts.id, accountId),
        isNotNull(creditAccounts.autoTopupThresholdMicros),
        isNotNull(creditAccounts.autoTopupAmountMicros),
        isNotNull(creditAccounts.autoTopupPaymentMethodId),
        isNotNull(creditAccounts.stripeCustomerId),
        sql`${creditAccounts.balanceMicros} - ${creditAccounts.heldMicros} < ${creditAccounts.autoTopupThresholdMicros}`,
        or(
          isNull(creditAccounts.autoTopupPendingIntentId),
          isNull(creditAccounts.autoTopupPendingSince),
          lt(creditAccounts.autoTopupPendingSince, staleBefore),
        ),
        or(isNull(creditAccounts.autoTopupFailedAt), lt(creditAccounts.autoTopupFailedAt, pauseEnded)),
      ),
    )
    .returning({
      amountMicros: creditAccounts.autoTopupAmountMicros,
      paymentMethodId: creditAccounts.autoTopupPaymentMethodId,
      customerId: creditAccounts.stripeCustomerId,
    });
  if (!claimed) return { status: "skipped", reason: "not_needed" };

  const log = logger.child({ account_id: accountId, auto_topup_claim: claim });
  // The `!`s below: the claim's WHERE made sure these columns are set.
  try {
    const intent = await stripeClient().paymentIntents.create(
      {
        amount: microsToCents(claimed.amountMicros!),
        currency: "usd",
        customer: claimed.customerId!,
        payment_method: claimed.paymentMethodId!,
        confirm: true,
        off_session: true,
        description: "Easel auto top-up",
        metadata: { kind: "auto_topup", account_id: accountId, claim },
      },
      // A retry of this very claim (the SDK's, after a network error) is the same payment.
      { idempotencyKey: `easel-auto-topup-${accountId}-${claim}` },
    );
    if (intent.status !== "succeeded" && intent.status !== "processing") {
      // Off-session, anything else (a card needing the customer) will not complete by itself.
      const refusal = `The payment needs you to act (${intent.status}); save a card again from a checkout.`;
      await withTransaction((tx) => clearAutoTopupClaim(tx, { accountId, refs: [claim], refusal }));
      log.warn({ payment_intent: intent.id, status: intent.status }, "auto top-up needs the customer; paused");
      return { status: "refused", code: intent.status, message: `The payment is ${intent.status}.` };
    }
    // Unless the webhook was quicker and cleared the claim already.
    await db
      .update(creditAccounts)
      .set({ autoTopupPendingIntentId: intent.id })
      .where(and(eq(creditAccounts.id, accountId), eq(creditAccounts.autoTopupPendingIntentId, claim)));
    log.info({ payment_intent: intent.id, status: intent.status, amount_cents: intent.amount }, "auto top-up started");
    return { status: "created", paymentIntentId: intent.id, paymentStatus: intent.status };
  } catch (error) {
    if (isStripeRefusal(error)) {
      // Stripe said no (a declined card, a detached method): nothing is in flight any more.
      await withTransaction((tx) => clearAutoTopupClaim(tx, { accountId, refs: [claim], refusal: error.message }));
      log.warn({ code: error.code, decline_code: error.decline_code, message: error.message }, "auto top-up refused by Stripe; paused");
      return { status: "refused", code: error.code ?? null, message: error.message };
    }
    // No answer (network, a 5xx): the payment may exist and succeed, so the claim stays until
    // the webhook clears it or it goes stale.
    log.error({ err: error }, "auto top-up outcome unknown; the claim stays until Stripe reports or it goes stale");
    return { status: "unknown", message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * After charges commit (the worker's settlement): checks each charged account for an auto
 * top-up, in the background. It never throws into, nor waits for, the caller.
 */
export function autoTopUpAfterCharges(accountIds: Iterable<string>): void {
  if (!stripeConfigured()) return;
  for (const accountId of new Set(accountIds)) {
    maybeAutoTopUp(accountId).catch((error: unknown) => logger.error({ err: error, account_id: accountId }, "auto top-up check failed"));
  }
}
