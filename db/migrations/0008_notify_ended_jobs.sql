-- Wake whoever waits for a job (a request with `Prefer: wait`, the synchronous OpenAI surface)
-- the moment it ends: whatever path ends it (a worker's settlement, a cancel, the sweeper), the
-- database announces the job's id on channel easel_job_ended when the transaction commits.
CREATE FUNCTION easel_notify_job_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('easel_job_ended', NEW.id);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_notify_ended
AFTER UPDATE OF status ON jobs
FOR EACH ROW WHEN (OLD.status IN ('queued', 'processing') AND NEW.status IN ('succeeded', 'failed', 'expired', 'canceled'))
EXECUTE FUNCTION easel_notify_job_ended();
