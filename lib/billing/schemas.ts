// Billing's shapes on the wire, in zod: the balance, the ledger and its filters, usage, tiers.
// The query schemas validate (through parseQuery in lib/http/query.ts); the present functions
// are typed by the response schemas; the OpenAPI document is generated from both.
import * as z from "zod";

const usd = (description: string) => z.number().meta({ description: `${description} (USD, up to 6 decimals).` });

export const balanceSchema = z
  .object({
    object: z.literal("balance"),
    account_id: z.string(),
    currency: z.literal("usd"),
    balance: usd("Cash on the account"),
    held: usd("Held for jobs not yet ended"),
    available: usd("balance − held: what new jobs can hold"),
    lifetime_deposits: usd("Every top-up ever; sets the tier"),
    tier: z.int().min(0).max(4),
    tier_source: z.enum(["deposits", "support"]).meta({ description: "`support`: the tier was set by hand by Easel's support, not by deposits." }),
    tier_override_until: z.iso.datetime().nullable().meta({ description: "When a tier set by support ends; null if it does not (or there is none)." }),
    next_tier: z
      .object({ tier: z.int(), lifetime_deposits: usd("Deposits at which it starts"), remaining: usd("Deposits still needed") })
      .nullable(),
    low_balance_threshold: usd("When a charge leaves available credit below it, a `balance.low` webhook event and an email; null: no alert")
      .nullable(),
  })
  .meta({ id: "Balance" });

export type BalanceObject = z.output<typeof balanceSchema>;

export const updateBalanceSettingsSchema = z
  .strictObject({
    low_balance_threshold: z
      .number()
      .min(0)
      .max(1_000_000)
      .nullable()
      .meta({ description: "USD (up to 6 decimals); null turns the low-balance alert off.", example: 5 }),
  })
  .meta({ id: "UpdateBalanceSettingsRequest" });

export const LEDGER_ENTRY_TYPES = ["topup", "hold", "charge", "release", "adjustment"] as const;

export const ledgerEntrySchema = z
  .object({
    id: z.string().meta({ description: "Increasing: a later entry has a larger id.", example: "1042" }),
    object: z.literal("ledger_entry"),
    type: z.enum(LEDGER_ENTRY_TYPES),
    amount: usd("The movement; only adjustments may be negative"),
    balance_after: usd("The balance after this entry"),
    held_after: usd("The credit held after this entry"),
    job_id: z.string().nullable(),
    model: z.string().nullable(),
    payment_ref: z.string().nullable(),
    description: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "LedgerEntry" });

export type LedgerEntryObject = z.output<typeof ledgerEntrySchema>;

export const ledgerPageSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(ledgerEntrySchema),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "LedgerPage" });

export type LedgerPage = z.output<typeof ledgerPageSchema>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Nothing in any ledger is older than this; an earlier bound selects the same lines. */
const EPOCH = new Date(0);
/** The last instant a four-digit year can name; a later bound selects the same lines. */
const END_OF_TIME = new Date("9999-12-31T23:59:59.999Z");

/**
 * A `from`/`to` bound: a date (a whole UTC day; `to` includes it) or an ISO time. Bounds beyond
 * what a ledger can hold are clamped, so every accepted value is one the database can compare.
 */
const bound = (param: "from" | "to") =>
  z
    .string()
    .refine((text) => (DAY.test(text) || ISO_TIME.test(text)) && !Number.isNaN(new Date(DAY.test(text) ? `${text}T00:00:00Z` : text).getTime()), {
      error: `${param} must be a date (2026-11-21) or an ISO time (2026-11-21T09:30:00Z).`,
    })
    .transform((text) => {
      const date = new Date(DAY.test(text) ? `${text}T00:00:00Z` : text);
      if (param === "to" && DAY.test(text)) date.setUTCDate(date.getUTCDate() + 1);
      if (date < EPOCH) return param === "from" ? undefined : EPOCH;
      if (date > END_OF_TIME) return param === "to" ? undefined : END_OF_TIME;
      return date;
    })
    .optional()
    .meta({ description: param === "from" ? "Entries at or after this date or time." : "Entries up to this date (inclusive) or before this time." });

const filterShape = {
  type: z.enum(LEDGER_ENTRY_TYPES, { error: `type must be one of ${LEDGER_ENTRY_TYPES.join(", ")}.` }).optional(),
  from: bound("from"),
  to: bound("to"),
};

const fromBeforeTo = (query: { from?: Date; to?: Date }, ctx: z.RefinementCtx) => {
  if (query.from && query.to && query.from >= query.to) ctx.addIssue({ code: "custom", message: "from must be before to.", path: ["from"] });
};

/** GET /v1/ledger/export?type=&from=&to= — the filter; GET /v1/ledger adds a page of it. */
export const ledgerFilterQuerySchema = z.object(filterShape).superRefine(fromBeforeTo);

const pageLimit = z
  .string()
  .regex(/^\d{1,4}$/, { error: "limit must be an integer from 1 to 200." })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 200, { error: "limit must be an integer from 1 to 200." })
  .optional()
  .transform((n) => n ?? 50)
  .meta({ description: "Page size, 1–200.", default: "50" });

export const ledgerPageQuerySchema = z
  .object({
    ...filterShape,
    limit: pageLimit,
    cursor: z
      .string()
      .refine((text) => /^\d{1,18}$/.test(text), { error: "cursor must be the next_cursor of a previous page.", params: { code: "invalid_cursor" } })
      .transform(BigInt)
      .optional()
      .meta({ description: "The next_cursor of the previous page." }),
  })
  .superRefine(fromBeforeTo);

export const usageQuerySchema = z.object({
  days: z
    .string()
    .regex(/^\d{1,3}$/, { error: "days must be an integer from 1 to 366." })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 366, { error: "days must be an integer from 1 to 366." })
    .optional()
    .transform((n) => n ?? 30)
    .meta({ description: "How many UTC days, ending today: 1–366.", default: "30" }),
});

export const usageSchema = z
  .object({
    object: z.literal("usage"),
    currency: z.literal("usd"),
    days: z.array(
      z.object({
        date: z.iso.date(),
        spend: z.record(z.string(), z.number()).meta({ description: "USD charged that day, by model." }),
        spend_total: z.number(),
        balance_end: z.number().meta({ description: "The balance at the end of the day (USD)." }),
      }),
    ),
  })
  .meta({ id: "Usage" });

export type UsageObject = z.output<typeof usageSchema>;

export const tierListSchema = z
  .object({
    object: z.literal("list"),
    basis: z.literal("lifetime_deposits"),
    data: z.array(
      z.object({
        tier: z.int(),
        lifetime_deposits: usd("Lifetime deposits at which the tier starts"),
        job_creations_per_minute: z.int(),
        reads_per_minute: z.int(),
        max_jobs_in_flight: z.int().meta({ description: "Jobs queued or processing at once." }),
      }),
    ),
  })
  .meta({ id: "TierList" });
