// What workers, the sweeper and the clock do, one step at a time.
import { and, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobs } from "@/db/schema";
import { claimJobs, renewLeases } from "@/lib/jobs/claim";
import { executeJob } from "@/lib/jobs/execute";
import { settleOutcomes } from "@/lib/jobs/settle";
import { sweep } from "@/lib/jobs/sweeper";
import { compare } from "./compare";
import { predictDelivery } from "./prices";
import { choose, saw, UNIT_MS, type Cmd, type ModelJob, type MoneyModel, type RealSystem } from "./state";

export class Claim implements Cmd {
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
export class Execute implements Cmd {
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
export class Settle implements Cmd {
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

export class Heartbeat implements Cmd {
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

export class Advance implements Cmd {
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

export class Sweep implements Cmd {
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
