ALTER TABLE "credit_accounts" ADD COLUMN "jobs_in_flight" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD CONSTRAINT "credit_accounts_jobs_in_flight_non_negative" CHECK ("credit_accounts"."jobs_in_flight" >= 0);--> statement-breakpoint
-- Accounts that already have jobs running start with the right count.
UPDATE "credit_accounts" AS a SET "jobs_in_flight" = (
  SELECT count(*) FROM "jobs" AS j WHERE j."account_id" = a."id" AND j."status" IN ('queued', 'processing')
);
