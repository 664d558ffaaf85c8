-- Wake deliverers the moment a webhook delivery becomes due: whatever inserts one (an event's
-- outbox rows, a test event) or makes one due again (a redelivery), the database announces it
-- on channel easel_webhooks when the transaction commits (identical notifications of one
-- transaction fold into one; a statement that inserts nothing announces nothing). Retries that
-- come due later are found by polling.
CREATE FUNCTION easel_notify_webhook_delivery() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('easel_webhooks', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_notify
AFTER INSERT ON webhook_deliveries
FOR EACH ROW
EXECUTE FUNCTION easel_notify_webhook_delivery();
