ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_failure" text;