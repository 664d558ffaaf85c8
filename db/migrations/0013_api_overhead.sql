-- Announce what a cached API key lookup depends on (lib/auth/key-cache.ts): any change of a key's
-- row but its bookkeeping (its last use, and the spend its holds count, which the hold reads from
-- the locked row itself), and a change of its account's tier (lifetime deposits, an override).
-- Channel easel_api_key_changes, payload the account id, delivered when the transaction commits.
CREATE FUNCTION easel_notify_api_key_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('easel_api_key_changes', CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_changed
AFTER UPDATE ON api_keys
FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_used_at' - 'spent_micros' - 'spend_period_start') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at' - 'spent_micros' - 'spend_period_start'))
EXECUTE FUNCTION easel_notify_api_key_changed();
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_deleted
AFTER DELETE ON api_keys
FOR EACH ROW EXECUTE FUNCTION easel_notify_api_key_changed();
--> statement-breakpoint
CREATE FUNCTION easel_notify_account_tier_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('easel_api_key_changes', NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_accounts_notify_tier_changed
AFTER UPDATE OF lifetime_deposits_micros, tier_override, tier_override_until ON credit_accounts
FOR EACH ROW WHEN ((OLD.lifetime_deposits_micros, OLD.tier_override, OLD.tier_override_until) IS DISTINCT FROM (NEW.lifetime_deposits_micros, NEW.tier_override, NEW.tier_override_until))
EXECUTE FUNCTION easel_notify_account_tier_changed();
--> statement-breakpoint
-- The gallery (GET /v1/jobs) filtered by status or by model, newest first, in an account of
-- many jobs: each filter walks its own index in id order and stops after a page.
CREATE INDEX "jobs_account_status_id_idx" ON "jobs" USING btree ("account_id","status","id");
--> statement-breakpoint
CREATE INDEX "jobs_account_model_id_idx" ON "jobs" USING btree ("account_id","model","id");
