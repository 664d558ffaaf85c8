-- Wake workers the moment a job becomes claimable: whatever path inserts a queued job or puts
-- one back in the queue, the database announces it on channel easel_jobs when it commits.
-- (NOTIFY folds identical notifications of one transaction into one.)
CREATE FUNCTION easel_notify_job_queued() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('easel_jobs', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_notify_queued
AFTER INSERT OR UPDATE OF status ON jobs
FOR EACH ROW WHEN (NEW.status = 'queued')
EXECUTE FUNCTION easel_notify_job_queued();
