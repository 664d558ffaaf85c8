// A model of Easel's money for model-based testing (lib/jobs/money-model.test.ts): a few lines
// of plain arithmetic that predict, for every command, each account's balance and held and
// each job's status, charge and images — and the real system, driven step by step through the
// same functions the worker, the sweeper, the API and the Stripe webhook call. After every
// command the database must equal the model and every ledger invariant must hold.
//
// Time: the engine reads time only as the database's now() against timestamps it wrote
// (created_at, started_at, lease_expires_at). "Advance" moves those timestamps of the run's
// active jobs back by the interval, which the engine cannot tell from now() moving forward; the
// model's clock moves by the same amount. Every threshold sits half a unit away from any time the
// model can reach, so the milliseconds that really pass while a sequence runs never decide.
//
// Prices: a table of the few (model, size, quality) combinations used, in micro-dollars, written
// out by hand from docs/product-rules.md — not computed by the catalogue's cost function.
//
// Per-key budgets are not modelled yet: add a command that sets a key's budget, a `budget` per
// key in ModelAccount, and a refusal branch in `Submit.predict`.
import Stripe from "stripe";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import fc from "fast-check";
import { getDb } from "@/db/client";
import { files, jobImages, jobs, type FileRecord, type Job } from "@/db/schema";
import { getBalance } from "@/lib/billing/balance";
import { checkLedgerInvariants } from "@/lib/billing/invariants";
import { receiveStripeWebhook } from "@/lib/billing/stripe/webhook";
import { IdempotencyKeyReused, InsufficientCredits, JobNotCancelable } from "@/lib/errors";
import { cancelJob } from "@/lib/jobs/cancel";
import { claimJobs, renewLeases } from "@/lib/jobs/claim";
import { queueConfig, type QueueConfig } from "@/lib/jobs/config";
import { executeJob, type Outcome } from "@/lib/jobs/execute";
import { settleOutcomes } from "@/lib/jobs/settle";
import { sweep } from "@/lib/jobs/sweeper";
import { readFileBytes } from "@/lib/storage/files";
import type { Principal } from "@/lib/auth/api-keys";
import { createTestAccount } from "./fixtures";
import { checkoutSession, stripeEvent, TEST_WEBHOOK_SECRET, type TestEvent } from "./stripe-webhooks";
import { submitJob } from "./jobs";

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
const saw = (what: string) => void (coverage[what] = (coverage[what] ?? 0) + 1);
export const WORKERS = 2;

// ---------------------------------------------------------------- requests and their prices

export type ForcedOutcome = { kind: "deliver" } | { kind: "fail" } | { kind: "partial"; images: number } | { kind: "bigger" };
export type Spec = { model: "minimax-image-01" | "gpt-image-2-low" | "gpt-image-2-medium" | "flux-2-pro"; n: number; outcome: ForcedOutcome };

/** Per image, at the requested size and at the bigger size the `bigger` outcome delivers (1024×1536). */
const PRICES: Record<Spec["model"], { requested: bigint; bigger: bigint }> = {
  "minimax-image-01": { requested: 5_000n, bigger: 5_000n }, // flat $0.005
  "gpt-image-2-low": { requested: 14_000n, bigger: 21_000n }, // 1024² at low; ×1.5 for 1024×1536
  "gpt-image-2-medium": { requested: 81_000n, bigger: 121_500n },
  "flux-2-pro": { requested: 40_500n, bigger: 60_750n }, // 512×512 bills 1 MP; 1024×1536 bills 2 MP
};

const directive = (outcome: ForcedOutcome) => {
  switch (outcome.kind) {
    case "deliver":
      return "";
    case "fail":
      return " [[easel:fail]]";
    case "partial":
      return ` [[easel:images=${outcome.images}]]`;
    case "bigger":
      return " [[easel:size=1024x1536]]";
  }
};

export function requestBody(spec: Spec, key: string | null): Record<string, unknown> {
  const base = { prompt: `model run${directive(spec.outcome)}`, n: spec.n, ...(key ? { idempotency_key: key } : {}) };
  switch (spec.model) {
    case "minimax-image-01":
      return { ...base, model: "minimax-image-01", size: "1:1" };
    case "gpt-image-2-low":
      return { ...base, model: "gpt-image-2", size: "1:1", quality: "low" };
    case "gpt-image-2-medium":
      return { ...base, model: "gpt-image-2", size: "1:1", quality: "medium" };
    case "flux-2-pro":
      return { ...base, model: "flux-2-pro", size: "512x512" };
  }
}

const estimateOf = (spec: Spec) => PRICES[spec.model].requested * BigInt(spec.n);

/** Images delivered and what they cost (never more than the estimate), or null: the job fails. */
function predictDelivery(spec: Spec): { images: number; charge: bigint } | null {
  const price = PRICES[spec.model];
  const estimate = estimateOf(spec);
  const cap = (amount: bigint) => (amount < estimate ? amount : estimate);
  switch (spec.outcome.kind) {
    case "fail":
      return null;
    case "deliver":
      return { images: spec.n, charge: estimate };
    case "partial":
      return spec.outcome.images === 0 ? null : { images: spec.outcome.images, charge: cap(price.requested * BigInt(spec.outcome.images)) };
    case "bigger":
      return { images: spec.n, charge: cap(price.bigger * BigInt(spec.n)) };
  }
}

const specText = (spec: Spec) => {
  const o = spec.outcome;
  const outcome = o.kind === "partial" ? `partial(${o.images})` : o.kind;
  return `${spec.model}×${spec.n}:${outcome}`;
};

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

async function deliverStripe(event: TestEvent) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return receiveStripeWebhook({ signature, readPayload: async () => Buffer.from(payload) });
}

// ---------------------------------------------------------------- the comparison

/** Throws, saying what differs, unless the database equals the model and every invariant holds. */
export async function compare(model: MoneyModel, real: RealSystem): Promise<void> {
  const problems: string[] = [];
  await Promise.all(
    real.accounts.map(async (account, i) => {
      const [balance, violations] = await Promise.all([getBalance({ accountId: account.id }), checkLedgerInvariants({ accountId: account.id })]);
      const expected = model.accounts[i]!;
      if (balance!.balanceMicros !== expected.balance || balance!.heldMicros !== expected.held) {
        problems.push(`account ${i}: balance/held ${balance!.balanceMicros}/${balance!.heldMicros}, model ${expected.balance}/${expected.held}`);
      }
      for (const v of violations) problems.push(`invariant ${v.invariant}: ${v.subject} (${v.detail})`);
    }),
  );
  if (model.jobs.length > 0) {
    const db = await getDb();
    const ids = model.jobs.map((job) => job.realId);
    const rows = new Map((await db.select().from(jobs).where(inArray(jobs.id, ids))).map((row) => [row.id, row]));
    const imageCounts = new Map(
      (await db.select({ jobId: jobImages.jobId, n: count() }).from(jobImages).where(inArray(jobImages.jobId, ids)).groupBy(jobImages.jobId)).map(
        (row) => [row.jobId, row.n],
      ),
    );
    for (const [index, job] of model.jobs.entries()) {
      const row = rows.get(job.realId);
      const owner = job.owner === null ? null : real.workerIds[job.owner];
      const images = imageCounts.get(job.realId) ?? 0;
      if (!row) {
        problems.push(`job#${index}: missing`);
        continue;
      }
      const got = `${row.status} charged ${row.chargedMicros ?? "-"} images ${images} attempts ${row.attempts} owner ${row.leaseOwner ?? "-"}`;
      const want = `${job.status} charged ${job.charged ?? "-"} images ${job.images} attempts ${job.attempts} owner ${owner ?? "-"}`;
      if (got !== want) problems.push(`job#${index} (${specText(job.spec)}): ${got}; model ${want}`);
    }
  }
  // Every file of a discarded result is gone; every image recorded has its bytes.
  for (const file of real.discarded) {
    if (await readFileBytes(file)) problems.push(`file ${file.id} of a discarded result still stored`);
  }
  real.discarded = [];
  if (problems.length > 0) throw new Error(`The database differs from the model:\n- ${problems.join("\n- ")}`);
}

export async function assertRecordedFilesStored(real: RealSystem): Promise<void> {
  const db = await getDb();
  const stored = await db
    .select()
    .from(files)
    .innerJoin(jobImages, eq(jobImages.fileId, files.id))
    .where(inArray(files.accountId, real.accounts.map((a) => a.id)));
  for (const { files: file } of stored) {
    if (!(await readFileBytes(file))) throw new Error(`file ${file.id} is recorded but its bytes are missing`);
  }
  const referenced = await db
    .select({ fileId: jobImages.fileId, n: count() })
    .from(jobImages)
    .innerJoin(jobs, eq(jobs.id, jobImages.jobId))
    .where(and(inArray(jobs.accountId, real.accounts.map((a) => a.id))))
    .groupBy(jobImages.fileId);
  const twice = referenced.filter((row) => row.n !== 1);
  if (twice.length > 0) throw new Error(`files referenced more than once: ${twice.map((r) => r.fileId).join(", ")}`);
}

// ---------------------------------------------------------------- the commands

type Cmd = fc.AsyncCommand<MoneyModel, RealSystem>;

/** Resolves `pick` among `options` when the command is checked, so toString shows what ran. */
const choose = <T>(options: T[], pick: number): T | undefined => (options.length === 0 ? undefined : options[pick % options.length]);

class Submit implements Cmd {
  constructor(
    readonly account: number,
    readonly spec: Spec,
    readonly key: string | null,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const body = requestBody(this.spec, this.key);
    const known = this.key ? model.keys.get(`${this.account}:${this.key}`) : undefined;
    const account = model.accounts[this.account]!;
    const estimate = estimateOf(this.spec);
    let result: { job: Job } | { error: unknown };
    try {
      result = { job: await submitJob(real.accounts[this.account]!.principal, body) };
    } catch (error) {
      result = { error };
    }
    if (known) {
      saw(known.spec === specText(this.spec) ? "idempotent replay" : "idempotency key reused");
      if (known.spec !== specText(this.spec)) {
        if (!("error" in result) || !(result.error instanceof IdempotencyKeyReused)) throw new Error(`${this}: expected idempotency_key_reused`);
      } else if ("error" in result || result.job.id !== model.jobs[known.job]!.realId) {
        throw new Error(`${this}: expected the replay of job#${known.job}, got ${"error" in result ? String(result.error) : result.job.id}`);
      }
      return;
    }
    saw(account.balance - account.held < estimate ? "submit refused" : "submit accepted");
    if (account.balance - account.held < estimate) {
      if (!("error" in result) || !(result.error instanceof InsufficientCredits)) throw new Error(`${this}: expected insufficient_credits`);
      return;
    }
    if ("error" in result) throw new Error(`${this}: expected acceptance, got ${String(result.error)}`);
    account.held += estimate;
    model.jobs.push({
      realId: result.job.id,
      account: this.account,
      key: this.key,
      spec: this.spec,
      estimate,
      status: "queued",
      charged: null,
      images: 0,
      attempts: 0,
      owner: null,
      createdAt: model.now,
      startedAt: null,
      leaseUntil: null,
    });
    if (this.key) model.keys.set(`${this.account}:${this.key}`, { spec: specText(this.spec), job: model.jobs.length - 1 });
    await compare(model, real);
  }
  toString = () => `submit(acct${this.account}, ${specText(this.spec)}${this.key ? `, key=${this.key}` : ""})`;
}

/** A client sending one keyed request several times at once: at most one job, the others its replays. */
class RacingSubmits implements Cmd {
  constructor(
    readonly account: number,
    readonly spec: Spec,
    readonly key: string,
    readonly copies: number,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const known = model.keys.get(`${this.account}:${this.key}`);
    const account = model.accounts[this.account]!;
    const accepted = known ? known.spec === specText(this.spec) : account.balance - account.held >= estimateOf(this.spec);
    const answers = await Promise.allSettled(
      Array.from({ length: this.copies }, () => submitJob(real.accounts[this.account]!.principal, requestBody(this.spec, this.key))),
    );
    const ids = new Set(answers.map((a) => (a.status === "fulfilled" ? a.value.id : `refused: ${String(a.reason)}`)));
    if (ids.size !== 1) throw new Error(`${this}: the copies got different answers: ${[...ids].join("; ")}`);
    const answer = answers[0]!;
    if (accepted !== (answer.status === "fulfilled")) throw new Error(`${this}: expected ${accepted ? "one job" : "a refusal"}, got ${[...ids][0]}`);
    saw(known ? "racing retries of a known key" : accepted ? "racing first submits accepted once" : "racing first submits refused");
    if (!known && answer.status === "fulfilled") {
      account.held += estimateOf(this.spec);
      model.jobs.push({
        realId: answer.value.id,
        account: this.account,
        key: this.key,
        spec: this.spec,
        estimate: estimateOf(this.spec),
        status: "queued",
        charged: null,
        images: 0,
        attempts: 0,
        owner: null,
        createdAt: model.now,
        startedAt: null,
        leaseUntil: null,
      });
      model.keys.set(`${this.account}:${this.key}`, { spec: specText(this.spec), job: model.jobs.length - 1 });
    }
    await compare(model, real);
  }
  toString = () => `racingSubmits(acct${this.account}, ${specText(this.spec)}, key=${this.key}, ×${this.copies})`;
}

/** A client's retry: the exact request of an earlier keyed submit, key included. */
class Retry implements Cmd {
  target?: { account: number; key: string; spec: Spec };
  constructor(readonly pick: number) {}
  check(model: MoneyModel) {
    const keyed = model.jobs.filter((job) => job.key !== null).map((job) => ({ account: job.account, key: job.key!, spec: job.spec }));
    this.target = choose(keyed, this.pick);
    return this.target !== undefined;
  }
  run(model: MoneyModel, real: RealSystem) {
    return new Submit(this.target!.account, this.target!.spec, this.target!.key).run(model, real);
  }
  toString = () => (this.target ? `retry(acct${this.target.account}, key=${this.target.key})` : `retry(?${this.pick})`);
}

class Cancel implements Cmd {
  target?: number;
  constructor(readonly pick: number) {}
  check(model: MoneyModel) {
    this.target = model.jobs.length === 0 ? undefined : this.pick % model.jobs.length;
    return this.target !== undefined;
  }
  async run(model: MoneyModel, real: RealSystem) {
    const job = model.jobs[this.target!]!;
    let error: unknown;
    try {
      await cancelJob({ accountId: real.accounts[job.account]!.id, jobId: job.realId });
    } catch (caught) {
      error = caught;
    }
    if (model.active(job)) {
      if (error) throw new Error(`${this}: expected the cancel to succeed, got ${String(error)}`);
      saw(`canceled while ${job.status}`);
      model.end(this.target!, "canceled");
    } else if (!(error instanceof JobNotCancelable)) {
      throw new Error(`${this}: a ${job.status} job must not be cancelable`);
    }
    await compare(model, real);
  }
  toString = () => `cancel(job#${this.target ?? `?${this.pick}`})`;
}

class TopUp implements Cmd {
  constructor(
    readonly account: number,
    readonly dollars: number,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const session = checkoutSession({ accountId: real.accounts[this.account]!.id, amountCents: this.dollars * 100 });
    const event = stripeEvent("checkout.session.completed", session);
    real.events.push(event);
    model.payments.push({ account: this.account, micros: BigInt(this.dollars) * 1_000_000n, credited: false });
    await deliverAndPredict(model, real, model.payments.length - 1, event);
  }
  toString = () => `topUp(acct${this.account}, $${this.dollars})`;
}

/** The same event again (`redeliver`), or the session's other "paid" event (a new event id). */
class Redeliver implements Cmd {
  target?: number;
  constructor(
    readonly pick: number,
    readonly sameEvent: boolean,
  ) {}
  check(model: MoneyModel) {
    this.target = model.payments.length === 0 ? undefined : this.pick % model.payments.length;
    return this.target !== undefined;
  }
  async run(model: MoneyModel, real: RealSystem) {
    const first = real.events[this.target!]!;
    const event = this.sameEvent ? first : stripeEvent("checkout.session.async_payment_succeeded", first.data.object);
    await deliverAndPredict(model, real, this.target!, event);
  }
  toString = () => `${this.sameEvent ? "redeliver" : "otherPaidEvent"}(topUp#${this.target ?? `?${this.pick}`})`;
}

async function deliverAndPredict(model: MoneyModel, real: RealSystem, payment: number, event: TestEvent) {
  const answer = await deliverStripe(event);
  if (answer.status !== 200) throw new Error(`the webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  const p = model.payments[payment]!;
  saw(p.credited ? "top-up redelivered" : "top-up credited");
  if (!p.credited) {
    p.credited = true;
    model.accounts[p.account]!.balance += p.micros;
  }
  await compare(model, real);
}

class Claim implements Cmd {
  constructor(
    readonly worker: number,
    readonly limit: number,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const claimed = await claimJobs({ workerId: real.workerIds[this.worker]!, limit: this.limit, leaseMs: real.config.leaseMs });
    const queued = model.jobs.filter((job) => job.status === "queued").length;
    if (claimed.length > this.limit) throw new Error(`${this}: claimed ${claimed.length}`);
    if (queued > 0 && claimed.length === 0) throw new Error(`${this}: claimed nothing of ${queued} queued`);
    for (const row of claimed) {
      const index = model.jobs.findIndex((job) => job.realId === row.id);
      const job = model.jobs[index];
      if (!job || job.status !== "queued") throw new Error(`${this}: claimed ${row.id}, which the model has ${job?.status ?? "never seen"}`);
      Object.assign(job, {
        status: "processing",
        owner: this.worker,
        attempts: job.attempts + 1,
        startedAt: job.startedAt ?? model.now,
        leaseUntil: model.now + real.config.leaseMs,
      });
      // Claimed again by a worker still running its earlier claim: that run is stopped (JobWorker.run).
      const w = model.workers[this.worker]!;
      w.toRun = [...w.toRun.filter((j) => j !== index), index];
      w.toSettle = w.toSettle.filter((j) => j !== index);
      real.held[this.worker]!.set(row.id, { job: row });
    }
    await compare(model, real);
  }
  toString = () => `claim(w${this.worker}, limit ${this.limit})`;
}

/** A worker runs one job it claimed: the local renderer answers as the prompt forces it. */
class Execute implements Cmd {
  target?: number;
  constructor(
    readonly worker: number,
    readonly pick: number,
  ) {}
  check(model: MoneyModel) {
    this.target = choose(model.workers[this.worker]!.toRun, this.pick);
    return this.target !== undefined;
  }
  async run(model: MoneyModel, real: RealSystem) {
    const job = model.jobs[this.target!]!;
    const held = real.held[this.worker]!.get(job.realId)!;
    held.outcome = await executeJob(held.job, new AbortController().signal, { config: real.config });
    const predicted = predictDelivery(job.spec);
    const got = held.outcome.status === "succeeded" ? held.outcome.images.length : null;
    if (got !== (predicted?.images ?? null)) throw new Error(`${this}: the renderer delivered ${got ?? "a failure"}, model ${predicted?.images ?? "a failure"}`);
    const w = model.workers[this.worker]!;
    w.toRun = w.toRun.filter((j) => j !== this.target);
    w.toSettle.push(this.target!);
    await compare(model, real);
  }
  toString = () => `execute(w${this.worker}, job#${this.target ?? `?${this.pick}`})`;
}

/** A worker settles up to `count` of its outcomes in one transaction, as its group commit does. */
class Settle implements Cmd {
  targets: number[] = [];
  constructor(
    readonly worker: number,
    readonly count: number,
  ) {}
  check(model: MoneyModel) {
    this.targets = model.workers[this.worker]!.toSettle.slice(0, this.count);
    return this.targets.length > 0;
  }
  async run(model: MoneyModel, real: RealSystem) {
    const items = this.targets.map((index) => {
      const held = real.held[this.worker]!.get(model.jobs[index]!.realId)!;
      return { job: held.job, outcome: held.outcome! };
    });
    const ended = await settleOutcomes(real.workerIds[this.worker]!, items);
    for (const [n, index] of this.targets.entries()) {
      const job = model.jobs[index]!;
      const ours = job.status === "processing" && job.owner === this.worker;
      if (Boolean(ended[n]) !== ours) throw new Error(`${this}: job#${index} ${ended[n] ? "settled" : "discarded"}, model ${ours ? "settles" : "discards"}`);
      const delivery = predictDelivery(job.spec);
      if (ours) model.end(index, delivery ? "succeeded" : "failed", delivery?.charge ?? 0n, delivery?.images ?? 0);
      saw(ours ? `settled ${delivery ? "succeeded" : "failed"}` : job.status === "processing" ? "late result discarded: job now another worker's" : `late result discarded: job ${job.status}`);
      const outcome = items[n]!.outcome;
      if (!ours && outcome.status === "succeeded") real.discarded.push(...outcome.images.map((image) => image.file));
      real.held[this.worker]!.delete(job.realId);
    }
    const w = model.workers[this.worker]!;
    w.toSettle = w.toSettle.filter((j) => !this.targets.includes(j));
    await compare(model, real);
  }
  toString = () => `settle(w${this.worker}, ${this.targets.length ? this.targets.map((t) => `job#${t}`).join(" ") : `first ${this.count}`})`;
}

class Heartbeat implements Cmd {
  constructor(readonly worker: number) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const ids = [...real.held[this.worker]!.keys()];
    const kept = await renewLeases({ workerId: real.workerIds[this.worker]!, jobIds: ids, leaseMs: real.config.leaseMs });
    for (const job of model.jobs) {
      const ours = job.status === "processing" && job.owner === this.worker && ids.includes(job.realId);
      if (ours !== kept.has(job.realId)) throw new Error(`${this}: lease of ${job.realId} ${kept.has(job.realId) ? "renewed" : "not renewed"}`);
      if (ours) job.leaseUntil = model.now + real.config.leaseMs;
    }
    await compare(model, real);
  }
  toString = () => `heartbeat(w${this.worker})`;
}

class Advance implements Cmd {
  constructor(readonly units: number) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const ms = this.units * UNIT_MS;
    const db = await getDb();
    const shift = sql`${ms}::int * interval '1 millisecond'`;
    await db
      .update(jobs)
      .set({ createdAt: sql`${jobs.createdAt} - ${shift}`, startedAt: sql`${jobs.startedAt} - ${shift}`, leaseExpiresAt: sql`${jobs.leaseExpiresAt} - ${shift}` })
      .where(and(inArray(jobs.accountId, real.accounts.map((a) => a.id)), inArray(jobs.status, ["queued", "processing"])));
    model.now += ms;
  }
  toString = () => `advance(${this.units} min)`;
}

class Sweep implements Cmd {
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const config = real.config;
    await sweep(config);
    const lost = (job: ModelJob) => job.status === "processing" && job.leaseUntil! < model.now;
    for (const [index, job] of model.jobs.entries()) {
      if (!lost(job)) continue;
      saw(job.attempts < config.maxAttempts ? "sweep requeued" : "sweep failed (attempts)");
      if (job.attempts < config.maxAttempts) Object.assign(job, { status: "queued", owner: null, leaseUntil: null });
      else model.end(index, "failed");
    }
    for (const [index, job] of model.jobs.entries()) {
      if (job.status === "queued" && model.now - job.createdAt > config.queuedTtlMs) {
        saw("sweep expired queued");
        model.end(index, "expired");
      } else if (job.status === "processing" && model.now - job.startedAt! > config.deadlineMs) {
        saw("sweep expired processing");
        model.end(index, "expired");
      }
    }
    await compare(model, real);
  }
  toString = () => "sweep()";
}

// ---------------------------------------------------------------- the generators

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    model: fc.constantFrom("minimax-image-01", "gpt-image-2-low", "gpt-image-2-medium", "flux-2-pro") as fc.Arbitrary<Spec["model"]>,
    n: fc.integer({ min: 1, max: 4 }),
    outcome: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ kind: "deliver" } as ForcedOutcome) },
      { weight: 2, arbitrary: fc.constant({ kind: "fail" } as ForcedOutcome) },
      { weight: 2, arbitrary: fc.nat(3).map((images): ForcedOutcome => ({ kind: "partial", images })) },
      { weight: 1, arbitrary: fc.constant({ kind: "bigger" } as ForcedOutcome) },
    ),
  })
  .map((spec) => (spec.outcome.kind === "partial" && spec.outcome.images >= spec.n ? { ...spec, outcome: { kind: "partial" as const, images: spec.n - 1 } } : spec));

const account = fc.nat(ACCOUNTS - 1);
const worker = fc.nat(WORKERS - 1);

const submit = fc.tuple(account, specArb, fc.option(fc.constantFrom("k0", "k1", "k2"), { freq: 2 })).map(([a, s, k]) => new Submit(a, s, k));
const claim = fc.tuple(worker, fc.integer({ min: 1, max: 3 })).map(([w, limit]) => new Claim(w, limit));
const execute = fc.tuple(worker, fc.nat(10)).map(([w, pick]) => new Execute(w, pick));
const settle = fc.tuple(worker, fc.integer({ min: 1, max: 3 })).map(([w, n]) => new Settle(w, n));
const advance = fc.integer({ min: 1, max: 2 }).map((units) => new Advance(units));

/** The commands, repeated to weigh them: fc.commands picks among them evenly. */
export const commandArbs: Array<fc.Arbitrary<Cmd>> = [
  submit,
  submit,
  fc.nat(50).map((pick) => new Retry(pick)),
  fc
    .tuple(account, specArb, fc.constantFrom("k0", "k1", "k2", "k3"), fc.integer({ min: 2, max: 4 }))
    .map(([a, s, k, copies]) => new RacingSubmits(a, s, k, copies)),
  fc.nat(50).map((pick) => new Cancel(pick)),
  fc.tuple(account, fc.constantFrom(5, 20)).map(([a, dollars]) => new TopUp(a, dollars)),
  fc.tuple(fc.nat(20), fc.boolean()).map(([pick, same]) => new Redeliver(pick, same)),
  claim,
  claim,
  claim,
  execute,
  execute,
  execute,
  settle,
  settle,
  settle,
  worker.map((w) => new Heartbeat(w)),
  advance,
  advance,
  fc.constant(new Sweep()),
  fc.constant(new Sweep()),
];
