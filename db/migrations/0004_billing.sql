CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"account_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_threshold_micros" bigint;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_amount_micros" bigint;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_payment_method_id" text;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_pending_intent_id" text;--> statement-breakpoint
ALTER TABLE "credit_accounts" ADD COLUMN "auto_topup_pending_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_account_id_credit_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."credit_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Earlier manual deposits could share a reference ("manual:<reason>"): make each one its own.
UPDATE "ledger_entries" SET "payment_ref" = "payment_ref" || ':' || "id"
 WHERE "type" = 'topup' AND "payment_ref" IN (
   SELECT "payment_ref" FROM "ledger_entries" WHERE "type" = 'topup' AND "payment_ref" IS NOT NULL
    GROUP BY "payment_ref" HAVING count(*) > 1);--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_topup_payment_idx" ON "ledger_entries" USING btree ("payment_ref") WHERE "ledger_entries"."type" = 'topup' AND "ledger_entries"."payment_ref" IS NOT NULL;