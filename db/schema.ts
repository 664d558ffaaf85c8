// Every table of Easel. Money columns are integer micro-dollars (1 USD = 1,000,000) in bigint.
import { sql } from "drizzle-orm";
import type { JobParams } from "@/lib/jobs/schemas";
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  boolean,
} from "drizzle-orm/pg-core";

const micros = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

// ── Identity (table and column names follow the Auth.js drizzle adapter) ─────────────────────

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  name: text("name"),
  email: text("email").notNull().unique(),
  emailVerified: instant("email_verified"),
  image: text("image"),
  /** scrypt hash (lib/auth/password.ts); null for accounts that only sign in with OAuth. */
  passwordHash: text("password_hash"),
  createdAt: createdAt(),
});

/** OAuth links of Auth.js ("accounts" in its vocabulary; our money lives in credit_accounts). */
export const authAccounts = pgTable(
  "accounts",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: instant("expires").notNull(),
});

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: instant("expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

// ── Money ────────────────────────────────────────────────────────────────────────────────────

/**
 * One prepaid account per user. `held` is the sum of active holds; `available = balance − held`.
 * The CHECKs are the last line of defence: the code never writes a row that breaks them.
 */
export const creditAccounts = pgTable(
  "credit_accounts",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull().unique().references(() => users.id, { onDelete: "restrict" }),
    balanceMicros: micros("balance_micros").notNull().default(sql`0`),
    heldMicros: micros("held_micros").notNull().default(sql`0`),
    lifetimeDepositsMicros: micros("lifetime_deposits_micros").notNull().default(sql`0`),
    /** Jobs queued or processing: moved with the holds, so a tier's cap holds under any race. */
    jobsInFlight: integer("jobs_in_flight").notNull().default(0),
    /** Stripe's customer for this account, made at its first checkout. */
    stripeCustomerId: text("stripe_customer_id"),
    /** Auto top-up: when a charge leaves available credit below the threshold, buy `amount`. */
    autoTopupThresholdMicros: micros("auto_topup_threshold_micros"),
    autoTopupAmountMicros: micros("auto_topup_amount_micros"),
    /** The card saved (off-session use allowed) at a checkout, for auto top-ups. */
    autoTopupPaymentMethodId: text("auto_topup_payment_method_id"),
    /** The auto top-up PaymentIntent in flight, if any: only one at a time. */
    autoTopupPendingIntentId: text("auto_topup_pending_intent_id"),
    autoTopupPendingSince: instant("auto_topup_pending_since"),
    /** The last auto top-up the bank refused, and why: none is tried again for a while. */
    autoTopupFailedAt: instant("auto_topup_failed_at"),
    autoTopupFailure: text("auto_topup_failure"),
    /** Low-balance alert: when a charge leaves available credit below it, one event and one email. */
    lowBalanceThresholdMicros: micros("low_balance_threshold_micros"),
    /** Set when the alert went out; cleared once available credit is back at the threshold. */
    lowBalanceAlertedAt: instant("low_balance_alerted_at"),
    /** A tier set by support (`npm run easel -- tier:override`), instead of the deposits' one, until `tierOverrideUntil`. */
    tierOverride: integer("tier_override"),
    tierOverrideUntil: instant("tier_override_until"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("credit_accounts_held_non_negative", sql`${t.heldMicros} >= 0`),
    check("credit_accounts_available_non_negative", sql`${t.balanceMicros} - ${t.heldMicros} >= 0`),
    check("credit_accounts_deposits_non_negative", sql`${t.lifetimeDepositsMicros} >= 0`),
    check("credit_accounts_jobs_in_flight_non_negative", sql`${t.jobsInFlight} >= 0`),
    check("credit_accounts_low_balance_threshold_non_negative", sql`${t.lowBalanceThresholdMicros} >= 0`),
    check("credit_accounts_tier_override_range", sql`${t.tierOverride} BETWEEN 0 AND 4`),
  ],
);

export const ledgerEntryType = pgEnum("ledger_entry_type", ["topup", "hold", "charge", "release", "adjustment"]);

/**
 * Append-only. `amount` is positive for topup/hold/charge/release and signed for adjustment;
 * the type says which of balance and held it moves. Ids are assigned under the account's row
 * lock, so ordering by id is the order in which an account's money moved.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    type: ledgerEntryType("type").notNull(),
    amountMicros: micros("amount_micros").notNull(),
    balanceAfterMicros: micros("balance_after_micros").notNull(),
    heldAfterMicros: micros("held_after_micros").notNull(),
    jobId: text("job_id").references(() => jobs.id),
    /** A payment's reference (Stripe session, bank transfer) for topups. */
    paymentRef: text("payment_ref"),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [
    index("ledger_entries_account_idx").on(t.accountId, t.id),
    index("ledger_entries_job_idx").on(t.jobId),
    // A payment is credited once, whatever path or redelivery reports it.
    uniqueIndex("ledger_entries_topup_payment_idx").on(t.paymentRef).where(sql`${t.type} = 'topup' AND ${t.paymentRef} IS NOT NULL`),
    check("ledger_entries_amount_sign", sql`${t.type} = 'adjustment' OR ${t.amountMicros} >= 0`),
  ],
);

export const holdStatus = pgEnum("hold_status", ["active", "settled"]);

/** One hold per job: the estimate, reserved when the job is accepted, settled exactly once. */
export const holds = pgTable(
  "holds",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    jobId: text("job_id").notNull().unique().references(() => jobs.id),
    amountMicros: micros("amount_micros").notNull(),
    status: holdStatus("status").notNull().default("active"),
    createdAt: createdAt(),
    settledAt: instant("settled_at"),
  },
  (t) => [
    index("holds_account_active_idx").on(t.accountId).where(sql`${t.status} = 'active'`),
    check("holds_amount_positive", sql`${t.amountMicros} > 0`),
  ],
);

// ── Keys ─────────────────────────────────────────────────────────────────────────────────────

export const keySpendPeriod = pgEnum("key_spend_period", ["day", "month", "total"]);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    name: text("name").notNull(),
    /** The visible start of the secret (`esk_` + 8), shown in lists so users can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole secret, hex. The secret itself is never stored. */
    secretHash: text("secret_hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
    /** What the key may do: `generate` (create jobs, upload), `read` (everything that reads). */
    scopes: text("scopes").array().$type<KeyScope[]>().notNull().default(sql`'{generate,read}'::text[]`),
    /** From then on the key is refused. */
    expiresAt: instant("expires_at"),
    /** At most this much held and charged through the key per period (UTC day, UTC month, or in all). */
    spendLimitMicros: micros("spend_limit_micros"),
    spendLimitPeriod: keySpendPeriod("spend_limit_period"),
    /** The period `spentMicros` counts: moved on by the first hold of a new period. */
    spendPeriodStart: instant("spend_period_start"),
    /** Held (for jobs not ended) plus charged through the key in that period, while it has a limit. */
    spentMicros: micros("spent_micros").notNull().default(sql`0`),
  },
  (t) => [
    index("api_keys_account_idx").on(t.accountId),
    check("api_keys_spent_non_negative", sql`${t.spentMicros} >= 0`),
    check("api_keys_spend_limit_positive", sql`${t.spendLimitMicros} > 0`),
    check("api_keys_spend_limit_has_period", sql`(${t.spendLimitMicros} IS NULL) = (${t.spendLimitPeriod} IS NULL)`),
  ],
);

export type KeyScope = "generate" | "read";

// ── Jobs and files ───────────────────────────────────────────────────────────────────────────

export const jobStatus = pgEnum("job_status", ["queued", "processing", "succeeded", "failed", "expired", "canceled"]);
export const jobKind = pgEnum("job_kind", ["generation", "edit"]);

/** The normalised parameters of a job: defined once, as the API's schema (lib/jobs/schemas.ts). */
export type { JobParams };

/** What a job's own `webhook_url` asks to hear about: its start, its end (whichever it is). */
export type JobWebhookFilter = "started" | "completed";

export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    apiKeyId: text("api_key_id").references(() => apiKeys.id),
    kind: jobKind("kind").notNull(),
    model: text("model").notNull(),
    prompt: text("prompt").notNull(),
    params: jsonb("params").$type<JobParams>().notNull(),
    status: jobStatus("status").notNull().default("queued"),
    estimatedMicros: micros("estimated_micros").notNull(),
    /** Null until the job is terminal; then what was charged (0 unless it succeeded). */
    chargedMicros: micros("charged_micros"),
    idempotencyKey: text("idempotency_key"),
    /** SHA-256 of the normalised request, to tell a retry from a reuse of the key. */
    requestHash: text("request_hash"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    provider: text("provider"),
    fallbackLayer: integer("fallback_layer"),
    /** The upstream's own id for the request that served (or last failed) the job. */
    upstreamRequestId: text("upstream_request_id"),
    /** The request's own webhook receiver, if any, and which of its events it wants. */
    webhookUrl: text("webhook_url"),
    webhookEvents: text("webhook_events").array().$type<JobWebhookFilter[]>(),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    createdAt: createdAt(),
    startedAt: instant("started_at"),
    completedAt: instant("completed_at"),
  },
  (t) => [
    // NULL keys never collide, so jobs without a key are unconstrained.
    uniqueIndex("jobs_account_idempotency_key_idx").on(t.accountId, t.idempotencyKey),
    index("jobs_account_id_idx").on(t.accountId, t.id),
    // The gallery filtered by status or by model, newest first (GET /v1/jobs).
    index("jobs_account_status_id_idx").on(t.accountId, t.status, t.id),
    index("jobs_account_model_id_idx").on(t.accountId, t.model, t.id),
    index("jobs_queued_idx").on(t.createdAt).where(sql`${t.status} = 'queued'`),
    // A fair claim walks the accounts with queued jobs and counts what each has running.
    index("jobs_queued_account_idx").on(t.accountId, t.createdAt).where(sql`${t.status} = 'queued'`),
    index("jobs_processing_account_idx").on(t.accountId).where(sql`${t.status} = 'processing'`),
    // A key's spend counted afresh from its jobs (a new limit; the invariant check).
    index("jobs_api_key_created_idx").on(t.apiKeyId, t.createdAt).where(sql`${t.apiKeyId} is not null`),
    check("jobs_charge_within_estimate", sql`${t.chargedMicros} IS NULL OR (${t.chargedMicros} >= 0 AND ${t.chargedMicros} <= ${t.estimatedMicros})`),
  ],
);

// "thumbnail" is unused: thumbnails are derived on first request (lib/storage/thumbnails.ts).
export const filePurpose = pgEnum("file_purpose", ["output", "upload", "thumbnail"]);

export const files = pgTable(
  "files",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    purpose: filePurpose("purpose").notNull(),
    contentType: text("content_type").notNull(),
    byteSize: integer("byte_size").notNull(),
    width: integer("width"),
    height: integer("height"),
    /** Where the bytes live in the file store (lib/storage). */
    storageKey: text("storage_key").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("files_account_idx").on(t.accountId)],
);

export const jobImages = pgTable(
  "job_images",
  {
    id: text("id").primaryKey(),
    jobId: text("job_id").notNull().references(() => jobs.id),
    index: integer("index").notNull(),
    fileId: text("file_id").notNull().references(() => files.id),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    contentType: text("content_type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("job_images_job_index_idx").on(t.jobId, t.index)],
);

// ── Stripe ───────────────────────────────────────────────────────────────────────────────

/** Every Stripe event processed, by id, so that a redelivery does nothing. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  accountId: text("account_id").references(() => creditAccounts.id),
  receivedAt: createdAt(),
});

// ── Webhooks (lib/webhooks) ──────────────────────────────────────────────────────────────

/**
 * An account's receiver of events. The secret signs deliveries (it must be kept, not hashed);
 * during a rotation the previous one signs too, until `previousSecretExpiresAt`. A 410 answer
 * disables the endpoint (`disabledAt`, `disabledReason`) until its owner enables it again.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    eventTypes: text("event_types").array().notNull(),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: instant("previous_secret_expires_at"),
    enabled: boolean("enabled").notNull().default(true),
    disabledAt: instant("disabled_at"),
    disabledReason: text("disabled_reason"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    deletedAt: instant("deleted_at"),
  },
  (t) => [index("webhook_endpoints_account_idx").on(t.accountId).where(sql`${t.deletedAt} IS NULL`)],
);

/**
 * One thing that happened, written in the transaction of the change it reports (an outbox).
 * `data` is what the payload carries; for job events, the job object as it was then (its image
 * URLs are signed afresh at each delivery).
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    type: text("type").notNull(),
    jobId: text("job_id").references(() => jobs.id),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_events_account_idx").on(t.accountId, t.id)],
);

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "succeeded", "failed"]);

/**
 * One event to one receiver: an endpoint of the account, or (endpointId null) the job's own
 * webhook_url. Claimed by deliverers like jobs are: `SKIP LOCKED` and a lease, so a deliverer
 * that dies mid-attempt leaves it to another once the lease runs out (at least once).
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    eventId: text("event_id").notNull().references(() => webhookEvents.id),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    endpointId: text("endpoint_id").references(() => webhookEndpoints.id),
    /** Where it goes: the job's webhook_url; for an endpoint, its URL is read at each attempt. */
    url: text("url"),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    /** Attempts made (logged in webhook_attempts); the retry schedule is indexed by it. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_account_idx").on(t.accountId, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

/** Every attempt of a delivery: when, how long, what came back (its first bytes) or what broke. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    deliveryId: text("delivery_id").notNull().references(() => webhookDeliveries.id),
    startedAt: instant("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
    url: text("url").notNull(),
    statusCode: integer("status_code"),
    responseBody: text("response_body"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id)],
);

// ── Email (lib/email) ────────────────────────────────────────────────────────────────────────

export const emailStatus = pgEnum("email_status", ["pending", "sent", "failed"]);

/**
 * An email to an account's owner, written in the transaction of what it tells (an outbox) and
 * sent after the commit by a sender (lib/email/sender.ts), claimed with SKIP LOCKED and a lease
 * as webhook deliveries are. `data` is what the message says; it is rendered when sent.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull().references(() => creditAccounts.id),
    kind: text("kind").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    status: emailStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("email_outbox_account_idx").on(t.accountId, t.id),
  ],
);

// ── Rate limits (rate-limiter-flexible's Drizzle store, used when on Postgres) ──────────────

export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: instant("expire"),
});

export type StripeEvent = typeof stripeEvents.$inferSelect;
export type User = typeof users.$inferSelect;
export type CreditAccount = typeof creditAccounts.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type LedgerEntryType = (typeof ledgerEntryType.enumValues)[number];
export type Hold = typeof holds.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type JobStatus = (typeof jobStatus.enumValues)[number];
export type JobKind = (typeof jobKind.enumValues)[number];
export type FileRecord = typeof files.$inferSelect;
export type JobImage = typeof jobImages.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookEvent = typeof webhookEvents.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatus.enumValues)[number];
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
export type KeySpendPeriod = (typeof keySpendPeriod.enumValues)[number];
export type EmailMessage = typeof emailOutbox.$inferSelect;
