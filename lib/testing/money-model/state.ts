// The model (plain arithmetic) and the real system it predicts, side by side.
import Stripe from "stripe";
import { eq, sql } from "drizzle-orm";
import type fc from "fast-check";
import { getDb } from "@/db/client";
import { jobs, type FileRecord, type Job } from "@/db/schema";
import { receiveStripeWebhook } from "@/lib/billing/stripe/webhook";
import { queueConfig, type QueueConfig } from "@/lib/jobs/config";
import type { Outcome } from "@/lib/jobs/execute";
import { sweep } from "@/lib/jobs/sweeper";
import type { Principal } from "@/lib/auth/api-keys";
import { createTestAccount } from "../fixtures";
import { TEST_WEBHOOK_SECRET, type TestEvent } from "../stripe-webhooks";
import type { Spec } from "./prices";

// ---------------------------------------------------------------- the clock and the queue

export const UNIT_MS = 60_000;
/** Leases of 1.5 units; a job is claimed at most twice; queued 5.5 units expires; 4.5 processing. */
export const modelQueueConfig = (): QueueConfig => ({
  ...queueConfig(),
  leaseMs: 1.5 * UNIT_MS,
  maxAttempts: 2,
  queuedTtlMs: 5.5 * UNIT_MS,
  deadlineMs: 4.5 * UNIT_MS,
});
export const INITIAL_CREDIT_MICROS = 100_000n; // $0.10 of signup credit: refusals come early
export const ACCOUNTS = 2;

/** What the sequences exercised, so that a campaign's report shows it reached the hard cases. */
export const coverage: Record<string, number> = {};
export const saw = (what: string) => void (coverage[what] = (coverage[what] ?? 0) + 1);
export const WORKERS = 2;

// ---------------------------------------------------------------- the model

type Status = Job["status"];
export type ModelJob = {
  realId: string;
  account: number;
  key: string | null;
  spec: Spec;
  estimate: bigint;
  status: Status;
  charged: bigint | null;
  images: number;
  attempts: number;
  owner: number | null;
  createdAt: number;
  startedAt: number | null;
  leaseUntil: number | null;
};
type ModelAccount = { balance: bigint; held: bigint };
type ModelPayment = { account: number; micros: bigint; credited: boolean };
/** A worker's runs: jobs it claimed and has not run yet, and outcomes it has not settled yet. */
type ModelWorker = { toRun: number[]; toSettle: number[] };

export class MoneyModel {
  now = 0;
  accounts: ModelAccount[] = Array.from({ length: ACCOUNTS }, () => ({ balance: INITIAL_CREDIT_MICROS, held: 0n }));
  jobs: ModelJob[] = [];
  keys = new Map<string, { spec: string; job: number }>();
  payments: ModelPayment[] = [];
  workers: ModelWorker[] = Array.from({ length: WORKERS }, () => ({ toRun: [], toSettle: [] }));

  /** Ends an active job: its charge (0 unless it succeeded) paid, the rest of its hold released. */
  end(index: number, status: Exclude<Status, "queued" | "processing">, charge = 0n, images = 0): void {
    const job = this.jobs[index]!;
    const account = this.accounts[job.account]!;
    account.held -= job.estimate;
    account.balance -= charge;
    Object.assign(job, { status, charged: charge, images, owner: null, leaseUntil: null });
  }

  active(job: ModelJob): boolean {
    return job.status === "queued" || job.status === "processing";
  }
}

// ---------------------------------------------------------------- the real system

type Held = { job: Job; outcome?: Outcome };
export class RealSystem {
  accounts: Array<{ id: string; principal: Principal }> = [];
  workerIds = Array.from({ length: WORKERS }, (_, i) => `wkr_model_${i}_${Math.random().toString(36).slice(2, 8)}`);
  /** What each worker holds, by job id: the job as it claimed it, then its outcome. */
  held: Array<Map<string, Held>> = Array.from({ length: WORKERS }, () => new Map());
  events: TestEvent[] = [];
  /** Files of outcomes that were discarded: their bytes must be gone. */
  discarded: FileRecord[] = [];
  config = modelQueueConfig();

  static async create(): Promise<RealSystem> {
    const real = new RealSystem();
    for (let i = 0; i < ACCOUNTS; i++) {
      const { account, principal } = await createTestAccount({ creditUsd: "0.10" });
      real.accounts.push({ id: account.id, principal });
    }
    return real;
  }
}

/** Ends every job left active by earlier runs, so that this run's claims see only its own jobs. */
export async function endLeftovers(): Promise<void> {
  await sweep({ ...modelQueueConfig(), maxAttempts: 1, queuedTtlMs: 0, deadlineMs: 0 });
  const db = await getDb();
  await db.update(jobs).set({ leaseExpiresAt: sql`now() - interval '1 hour'` }).where(eq(jobs.status, "processing"));
  await sweep({ ...modelQueueConfig(), maxAttempts: 1, queuedTtlMs: 0, deadlineMs: 0 });
}

export async function deliverStripe(event: TestEvent) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return receiveStripeWebhook({ signature, readPayload: async () => Buffer.from(payload) });
}

export type Cmd = fc.AsyncCommand<MoneyModel, RealSystem>;

/** Resolves `pick` among `options` when the command is checked, so toString shows what ran. */
export const choose = <T>(options: T[], pick: number): T | undefined => (options.length === 0 ? undefined : options[pick % options.length]);
