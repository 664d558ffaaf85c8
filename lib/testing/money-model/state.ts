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
import { createApiKey, type Principal } from "@/lib/auth/api-keys";
import { createTestAccount } from "../fixtures";
import { TEST_WEBHOOK_SECRET, type TestEvent } from "../stripe-webhooks";
import { estimateOf, specText, type Spec } from "./prices";

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
/** Each account's API keys: the jobs of each count against that key's spend limit, if it has one. */
export const KEYS_PER_ACCOUNT = 2;

/** What the sequences exercised, so that a campaign's report shows it reached the hard cases. */
export const coverage: Record<string, number> = {};
export const saw = (what: string) => void (coverage[what] = (coverage[what] ?? 0) + 1);
export const WORKERS = 2;

// ---------------------------------------------------------------- the model

type Status = Job["status"];
export type ModelJob = {
  realId: string;
  account: number;
  /** The API key it was submitted with (an index into the account's keys). */
  apiKey: number;
  /** Its idempotency key. */
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
/** `keyLimits`: each API key's spend limit ("in all", in micro-dollars), or null for none. */
type ModelAccount = { balance: bigint; held: bigint; keyLimits: Array<bigint | null> };
type ModelPayment = { account: number; micros: bigint; credited: boolean };
/** A worker's runs: jobs it claimed and has not run yet, and outcomes it has not settled yet. */
type ModelWorker = { toRun: number[]; toSettle: number[] };

export class MoneyModel {
  now = 0;
  accounts: ModelAccount[] = Array.from({ length: ACCOUNTS }, () => ({
    balance: INITIAL_CREDIT_MICROS,
    held: 0n,
    keyLimits: Array.from({ length: KEYS_PER_ACCOUNT }, () => null),
  }));
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

  /** What a key's limit counts: the estimates of its jobs not ended, the charges of the others. */
  keySpent(account: number, apiKey: number): bigint {
    let spent = 0n;
    for (const job of this.jobs) {
      if (job.account === account && job.apiKey === apiKey) spent += this.active(job) ? job.estimate : (job.charged ?? 0n);
    }
    return spent;
  }

  /** Why a new job of `estimate` is refused — the key's limit first, then the credit — or null. */
  refusal(account: number, apiKey: number, estimate: bigint): "key budget" | "credit" | null {
    const limit = this.accounts[account]!.keyLimits[apiKey];
    if (limit !== null && limit !== undefined && this.keySpent(account, apiKey) + estimate > limit) return "key budget";
    const { balance, held } = this.accounts[account]!;
    return balance - held < estimate ? "credit" : null;
  }

  /** A job accepted: its estimate held, and its idempotency key (if any) remembered. */
  accept(input: { realId: string; account: number; apiKey: number; key: string | null; spec: Spec }): void {
    const estimate = estimateOf(input.spec);
    this.accounts[input.account]!.held += estimate;
    this.jobs.push({
      ...input,
      estimate,
      status: "queued",
      charged: null,
      images: 0,
      attempts: 0,
      owner: null,
      createdAt: this.now,
      startedAt: null,
      leaseUntil: null,
    });
    if (input.key) this.keys.set(`${input.account}:${input.key}`, { spec: specText(input.spec), job: this.jobs.length - 1 });
  }
}

// ---------------------------------------------------------------- the real system

type Held = { job: Job; outcome?: Outcome };
/** An account: its id, a principal for each of its API keys, and its owner signed in (who edits keys). */
type RealAccount = { id: string; keys: Principal[]; owner: Principal };
export class RealSystem {
  accounts: RealAccount[] = [];
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
      const keys = [principal];
      while (keys.length < KEYS_PER_ACCOUNT) {
        const { key } = await createApiKey({ accountId: account.id, name: `model ${keys.length}` });
        keys.push({ ...principal, apiKeyId: key.id });
      }
      real.accounts.push({ id: account.id, keys, owner: { ...principal, apiKeyId: null } });
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
