// What clients and Stripe do: submit (fresh keys, reused keys, racing copies, retries), cancel,
// top up, and redeliver.
import { IdempotencyKeyReused, InsufficientCredits, JobNotCancelable } from "@/lib/errors";
import type { Job } from "@/db/schema";
import { cancelJob } from "@/lib/jobs/cancel";
import { submitJob } from "../jobs";
import { checkoutSession, stripeEvent, type TestEvent } from "../stripe-webhooks";
import { compare } from "./compare";
import { estimateOf, requestBody, specText, type Spec } from "./prices";
import { choose, deliverStripe, saw, type Cmd, type MoneyModel, type RealSystem } from "./state";

export class Submit implements Cmd {
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
export class RacingSubmits implements Cmd {
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
export class Retry implements Cmd {
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

export class Cancel implements Cmd {
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

export class TopUp implements Cmd {
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
export class Redeliver implements Cmd {
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
  // A delivery Stripe would have to send again throws: the model expects every one accepted.
  const receipt = await deliverStripe(event);
  if (!receipt.received) throw new Error(`the webhook was not received: ${JSON.stringify(receipt)}`);
  const p = model.payments[payment]!;
  saw(p.credited ? "top-up redelivered" : "top-up credited");
  if (!p.credited) {
    p.credited = true;
    model.accounts[p.account]!.balance += p.micros;
  }
  await compare(model, real);
}
