CREATE TYPE "public"."email_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."key_spend_period" AS ENUM('day', 'month', 'total');--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL,
	"status" "email_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{generate,read}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_limit_micros" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_limit_period" "key_spend_period";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spend_period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spent_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "low_balance_threshold_micros" bigint;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "low_balance_alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "tier_override" integer;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "tier_override_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_account_id_credit_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."credit_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_outbox_due_idx" ON "email_outbox" USING btree ("next_attempt_at") WHERE "email_outbox"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "email_outbox_account_idx" ON "email_outbox" USING btree ("account_id","id");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_spent_non_negative" CHECK ("api_keys"."spent_micros" >= 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_spend_limit_positive" CHECK ("api_keys"."spend_limit_micros" > 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_spend_limit_has_period" CHECK (("api_keys"."spend_limit_micros" IS NULL) = ("api_keys"."spend_limit_period" IS NULL));--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD CONSTRAINT "credit_accounts_low_balance_threshold_non_negative" CHECK ("credit_accounts"."low_balance_threshold_micros" >= 0);--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD CONSTRAINT "credit_accounts_tier_override_range" CHECK ("credit_accounts"."tier_override" BETWEEN 0 AND 4);