import "server-only";
import { randomBytes } from "node:crypto";
import os from "node:os";
import pRetry from "p-retry";
import { connect } from "@/db/client";
import type { Job } from "@/db/schema";
import { logger } from "@/lib/http/logger";
import { claimJobs, handBack, renewLeases } from "./claim";
import { crashPoint } from "./crash-points";
import { queueConfig, type QueueConfig } from "./config";
import { executeJob, type Outcome } from "./execute";
import { GroupCommit } from "./group-commit";
import { settleOutcomes, type Finished } from "./settle";

/** The channel on which the database announces queued jobs (migration 0001). */
export const JOBS_CHANNEL = "easel_jobs";

type Running = { controller: AbortController; done: Promise<void> };

/** Jobs one claim asks for at most: claims stay short, and a fair share stays cheap to work out. */
const CLAIM_BATCH = 64;

/**
 * Claims queued jobs and runs up to `concurrency` of them at once. It is woken by the
 * database's notification the moment a job is queued, and polls as a fallback; it heartbeats
 * the leases of what it holds, and stops a job the moment the job is taken from it (canceled,
 * expired). Any number of workers, in any number of processes, may share one database.
 */
export class JobWorker {
  readonly id = `wkr_${os.hostname()}_${process.pid}_${randomBytes(3).toString("hex")}`;
  private readonly config: QueueConfig;
  private readonly log = logger.child({ worker: this.id });
  private readonly inFlight = new Map<string, Running>();
  /** Runs not yet finished — at most `concurrency`, whatever happens to the map above. */
  private readonly runs = new Set<Promise<void>>();
  private running = false;
  private filling = false;
  private wakeAgain = false;
  private timers: NodeJS.Timeout[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  /** Outcomes of jobs finishing together are settled together, in one transaction. */
  private readonly settler = new GroupCommit<Finished, Job | null>((items) => this.settle(items));

  constructor(config: Partial<QueueConfig> = {}) {
    this.config = { ...queueConfig(), ...config };
  }

  get activeJobs(): number {
    return this.runs.size;
  }

  async start(): Promise<void> {
    this.running = true;
    // Woken by each notification, and each time the listening (re)starts: after a reconnect,
    // what was queued while the connection was down is looked for at once.
    this.unlisten = await (await connect()).listen(JOBS_CHANNEL, () => this.wake(), () => this.wake());
    this.timers.push(setInterval(() => void this.heartbeat(), this.config.heartbeatMs));
    this.timers.push(setInterval(() => this.wake(), this.config.pollMs));
    for (const timer of this.timers) timer.unref();
    this.log.info({ concurrency: this.config.concurrency }, "worker started");
    this.wake();
  }

  /** Look for work now (a job was queued, one finished, or the poll timer fired). */
  wake(): void {
    if (!this.running) return;
    if (this.filling) {
      this.wakeAgain = true;
      return;
    }
    void this.fill();
  }

  private async fill(): Promise<void> {
    this.filling = true;
    try {
      do {
        this.wakeAgain = false;
        while (this.running && this.runs.size < this.config.concurrency) {
          // The last `reserved` slots go only to accounts with fewer than that many jobs running:
          // however long a flood's jobs take, another account's job finds a slot at once.
          const reserved = Math.min(this.config.concurrency - 1, this.config.reservedSlots ?? Math.floor(this.config.concurrency / 8));
          const free = this.config.concurrency - this.runs.size;
          const open = free - reserved;
          const jobs = await claimJobs({
            workerId: this.id,
            limit: Math.min(CLAIM_BATCH, open > 0 ? open : free),
            leaseMs: this.config.leaseMs,
            maxRunning: open > 0 ? undefined : reserved,
          });
          if (jobs.length > 0) crashPoint("after-claim");
          for (const job of jobs) this.run(job);
          if (jobs.length === 0) break;
        }
      } while (this.wakeAgain && this.running);
    } catch (error) {
      this.log.error({ err: error }, "claiming jobs failed; the poll will try again");
    } finally {
      this.filling = false;
    }
  }

  private run(job: Job): void {
    // Claimed again while an earlier run of it is still going (its lease lapsed, the sweeper
    // requeued it, and this worker took it back): that run is stale; stop it.
    this.inFlight.get(job.id)?.controller.abort(new Error(`job ${job.id} was claimed again`));
    const controller = new AbortController();
    const entry: Running = { controller, done: Promise.resolve() };
    entry.done = this.process(job, controller.signal)
      .catch((error: unknown) => this.log.error({ err: error, job_id: job.id }, "job processing failed"))
      .finally(() => {
        this.runs.delete(entry.done);
        if (this.inFlight.get(job.id) === entry) this.inFlight.delete(job.id);
        this.wake();
      });
    this.runs.add(entry.done);
    this.inFlight.set(job.id, entry);
  }

  private async process(job: Job, signal: AbortSignal): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await executeJob(job, signal, { config: this.config });
    } catch (error) {
      if (signal.aborted) return; // taken from us or stopping: someone else settles it
      // A bug of ours must not leave the job holding credit: fail it and release the hold.
      this.log.error({ err: error, job_id: job.id }, "job crashed");
      outcome = { status: "failed", code: "internal_error", message: "The job failed inside Easel.", provider: null, fallbackLayer: null };
    }
    // If the job was taken from us meanwhile, settlement finds it gone and deletes our images.
    // A settlement that failed (its connection broke, the database restarted) is tried again:
    // each attempt changes nothing unless the job is still ours to end, so none settles twice.
    const settled = await pRetry(() => this.settler.submit({ job, outcome }), {
      retries: 8,
      minTimeout: 100,
      maxTimeout: 2_000,
      onFailedAttempt: ({ error, attemptNumber }) =>
        this.log.warn({ err: error, job_id: job.id, attempt: attemptNumber }, "settlement failed; trying again"),
    });
    if (!settled) this.log.info({ job_id: job.id }, "discarded a late result");
  }

  private async settle(items: Finished[]): Promise<Array<Job | null>> {
    try {
      return await settleOutcomes(this.id, items);
    } catch (error) {
      if (items.length === 1) throw error;
      // One bad outcome must not hold back the others: settle each on its own.
      this.log.warn({ err: error, jobs: items.length }, "batch settlement failed; settling one by one");
      return Promise.all(items.map((item) => settleOutcomes(this.id, [item]).then(([job]) => job ?? null)));
    }
  }

  private async heartbeat(): Promise<void> {
    const ids = [...this.inFlight.keys()];
    if (ids.length === 0) return;
    try {
      const kept = await renewLeases({ workerId: this.id, jobIds: ids, leaseMs: this.config.leaseMs });
      for (const id of ids) {
        if (!kept.has(id)) this.inFlight.get(id)?.controller.abort(new Error(`job ${id} is no longer held by this worker`));
      }
    } catch (error) {
      this.log.warn({ err: error }, "heartbeat failed; leases will be renewed at the next beat");
    }
  }

  /**
   * Stops claiming, lets running jobs finish for up to `graceMs`, then stops the rest and hands
   * them back to the queue for another worker.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.unlisten?.().catch(() => {});
    const all = () => Promise.allSettled([...this.runs]);
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all(), grace]);

    const left = [...this.inFlight.keys()];
    for (const id of left) this.inFlight.get(id)?.controller.abort(new Error("worker stopping"));
    const handed = await handBack({ workerId: this.id, jobIds: left });
    await all();
    this.log.info({ handed_back: handed }, "worker stopped");
  }
}
