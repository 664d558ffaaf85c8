// What clients, the account's owner and Stripe do: submit (fresh idempotency keys, reused ones,
// racing copies, retries) with one of the account's API keys, change a key's spend limit,
// cancel, top up, and redeliver.
import { IdempotencyKeyReused, InsufficientCredits, JobNotCancelable, KeyBudgetExceeded } from "@/lib/errors";
import type { Job } from "@/db/schema";
import { cancelJob } from "@/lib/jobs/cancel";
import { updateKey } from "@/lib/keys/manage";
import { submitJob } from "../jobs";
import { checkoutSession, stripeEvent, type TestEvent } from "../stripe-webhooks";
import { compare } from "./compare";
import { estimateOf, requestBody, specText, type Spec } from "./prices";
import { choose, deliverStripe, saw, type Cmd, type MoneyModel, type RealSystem } from "./state";

export class Submit implements Cmd {
  constructor(
    readonly account: number,
    readonly apiKey: number,
    readonly spec: Spec,
    readonly key: string | null,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const body = requestBody(this.spec, this.key);
    const known = this.key ? model.keys.get(`${this.account}:${this.key}`) : undefined;
    let result: { job: Job } | { error: unknown };
    try {
      result = { job: await submitJob(real.accounts[this.account]!.keys[this.apiKey]!, body) };
    } catch (error) {
      result = { error };
    }
    if (known) {
      // An idempotency key is the account's: its replay answers whichever of its API keys asks.
      saw(known.spec === specText(this.spec) ? "idempotent replay" : "idempotency key reused");
      if (known.spec !== specText(this.spec)) {
        if (!("error" in result) || !(result.error instanceof IdempotencyKeyReused)) throw new Error(`${this}: expected idempotency_key_reused`);
      } else if ("error" in result || result.job.id !== model.jobs[known.job]!.realId) {
        throw new Error(`${this}: expected the replay of job#${known.job}, got ${"error" in result ? String(result.error) : result.job.id}`);
      }
      return;
    }
    const refusal = model.refusal(this.account, this.apiKey, estimateOf(this.spec));
    saw(refusal ? `submit refused: ${refusal}` : "submit accepted");
    if (refusal) {
      const expected = refusal === "key budget" ? KeyBudgetExceeded : InsufficientCredits;
      if (!("error" in result) || !(result.error instanceof expected)) {
        throw new Error(`${this}: expected ${expected.name}, got ${"error" in result ? String(result.error) : `job ${result.job.id}`}`);
      }
      return;
    }
    if ("error" in result) throw new Error(`${this}: expected acceptance, got ${String(result.error)}`);
    model.accept({ realId: result.job.id, account: this.account, apiKey: this.apiKey, key: this.key, spec: this.spec });
    await compare(model, real);
  }
  toString = () => `submit(acct${this.account}/key${this.apiKey}, ${specText(this.spec)}${this.key ? `, idem=${this.key}` : ""})`;
}

/** A client sending one keyed request several times at once: at most one job, the others its replays. */
export class RacingSubmits implements Cmd {
  constructor(
    readonly account: number,
    readonly apiKey: number,
    readonly spec: Spec,
    readonly key: string,
    readonly copies: number,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const known = model.keys.get(`${this.account}:${this.key}`);
    const accepted = known ? known.spec === specText(this.spec) : model.refusal(this.account, this.apiKey, estimateOf(this.spec)) === null;
    const principal = real.accounts[this.account]!.keys[this.apiKey]!;
    const answers = await Promise.allSettled(Array.from({ length: this.copies }, () => submitJob(principal, requestBody(this.spec, this.key))));
    const ids = new Set(answers.map((a) => (a.status === "fulfilled" ? a.value.id : `refused: ${String(a.reason)}`)));
    if (ids.size !== 1) throw new Error(`${this}: the copies got different answers: ${[...ids].join("; ")}`);
    const answer = answers[0]!;
    if (accepted !== (answer.status === "fulfilled")) throw new Error(`${this}: expected ${accepted ? "one job" : "a refusal"}, got ${[...ids][0]}`);
    saw(known ? "racing retries of a known key" : accepted ? "racing first submits accepted once" : "racing first submits refused");
    if (!known && answer.status === "fulfilled") {
      model.accept({ realId: answer.value.id, account: this.account, apiKey: this.apiKey, key: this.key, spec: this.spec });
    }
    await compare(model, real);
  }
  toString = () => `racingSubmits(acct${this.account}/key${this.apiKey}, ${specText(this.spec)}, idem=${this.key}, ×${this.copies})`;
}

/**
 * The owner sets, changes or removes a key's spend limit ("in all"): the key's count is made
 * afresh from its jobs, and its next submits are held to the new limit.
 */
export class SetKeyLimit implements Cmd {
  constructor(
    readonly account: number,
    readonly apiKey: number,
    readonly limitMicros: bigint | null,
  ) {}
  check = () => true;
  async run(model: MoneyModel, real: RealSystem) {
    const account = real.accounts[this.account]!;
    const spendLimit = this.limitMicros === null ? null : { micros: this.limitMicros, period: "total" as const };
    await updateKey(account.owner, { keyId: account.keys[this.apiKey]!.apiKeyId!, spendLimit });
    const limits = model.accounts[this.account]!.keyLimits;
    saw(this.limitMicros === null ? "key limit removed" : limits[this.apiKey] === null ? "key limit set" : "key limit changed");
    if (this.limitMicros !== null && model.keySpent(this.account, this.apiKey) > this.limitMicros) saw("key limit set below its spend");
    limits[this.apiKey] = this.limitMicros;
    await compare(model, real);
  }
  toString = () => `setKeyLimit(acct${this.account}/key${this.apiKey}, ${this.limitMicros === null ? "none" : `${this.limitMicros} µ$`})`;
}

/** A client's retry: the exact request of an earlier keyed submit, key included. */
export class Retry implements Cmd {
  target?: { account: number; apiKey: number; key: string; spec: Spec };
  constructor(readonly pick: number) {}
  check(model: MoneyModel) {
    const keyed = model.jobs.filter((job) => job.key !== null).map((job) => ({ account: job.account, apiKey: job.apiKey, key: job.key!, spec: job.spec }));
    this.target = choose(keyed, this.pick);
    return this.target !== undefined;
  }
  run(model: MoneyModel, real: RealSystem) {
    return new Submit(this.target!.account, this.target!.apiKey, this.target!.spec, this.target!.key).run(model, real);
  }
  toString = () => (this.target ? `retry(acct${this.target.account}/key${this.target.apiKey}, idem=${this.target.key})` : `retry(?${this.pick})`);
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
