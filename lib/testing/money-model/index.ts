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
// API keys: each account has two; the owner sets, changes and removes their spend limits ("in
// all" — a day's or a month's count would depend on the wall clock the model does not move). A
// key's count is predicted from its jobs, as the invariant defines it, never kept as a total.
import fc from "fast-check";
import { Cancel, RacingSubmits, Redeliver, Retry, SetKeyLimit, Submit, TopUp } from "./client-commands";
import type { ForcedOutcome, Spec } from "./prices";
import { ACCOUNTS, KEYS_PER_ACCOUNT, WORKERS, type Cmd } from "./state";
import { Advance, Claim, Execute, Heartbeat, Settle, Sweep } from "./worker-commands";

export { assertRecordedFilesStored, compare } from "./compare";
export { coverage, endLeftovers, MoneyModel, RealSystem } from "./state";

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
const apiKey = fc.nat(KEYS_PER_ACCOUNT - 1);
const worker = fc.nat(WORKERS - 1);
/** Limits around what a few jobs hold ($0.01 to $0.12), or none. */
const keyLimit = fc.option(fc.constantFrom(10_000n, 30_000n, 60_000n, 120_000n), { freq: 4 });

const submit = fc
  .tuple(account, apiKey, specArb, fc.option(fc.constantFrom("k0", "k1", "k2"), { freq: 2 }))
  .map(([a, k, s, idem]) => new Submit(a, k, s, idem));
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
    .tuple(account, apiKey, specArb, fc.constantFrom("k0", "k1", "k2", "k3"), fc.integer({ min: 2, max: 4 }))
    .map(([a, k, s, idem, copies]) => new RacingSubmits(a, k, s, idem, copies)),
  fc.tuple(account, apiKey, keyLimit).map(([a, k, limit]) => new SetKeyLimit(a, k, limit)),
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
