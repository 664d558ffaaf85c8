// Model-based test of the money on Postgres: random sequences of submits (fresh and reused
// idempotency keys, forced outcomes), cancels, Stripe top-ups and their redeliveries, worker steps
// (claim, the provider's answer, settlement — late ones included), heartbeats, the clock moving
// and the sweeper. After every command the database equals the model of lib/testing/money-model/
// and every ledger invariant holds. CI runs a slice; `npm run test:model -- --runs 10000` the campaign.
import "@/lib/testing/isolated-database";
import fc from "fast-check";
import { afterAll, beforeAll, describe, test } from "vitest";
import { assertRecordedFilesStored, commandArbs, coverage, endLeftovers, MoneyModel, RealSystem } from "@/lib/testing/money-model";
import { TEST_WEBHOOK_SECRET } from "@/lib/testing/stripe-webhooks";

const runs = Number(process.env.EASEL_MODEL_RUNS ?? 120);
const seed = process.env.EASEL_MODEL_SEED ? Number(process.env.EASEL_MODEL_SEED) : undefined;

const saved = { secret: process.env.STRIPE_WEBHOOK_SECRET, key: process.env.STRIPE_SECRET_KEY };
beforeAll(() => {
  process.env.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;
  process.env.STRIPE_SECRET_KEY = ""; // no Stripe API: a checkout's card is not looked up
});
afterAll(() => {
  process.env.STRIPE_WEBHOOK_SECRET = saved.secret;
  process.env.STRIPE_SECRET_KEY = saved.key;
});

describe.runIf(process.env.DATABASE_URL)("the money, against a model", () => {
  test(`${runs} random command sequences: the database equals the model after every command`, { timeout: 60_000 + runs * 2_000 }, async () => {
    const started = Date.now();
    let done = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 80, size: "max" }), async (commands) => {
        // A long campaign says how far it got.
        if (++done % 500 === 0) console.log(`money model: ${done} sequences, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        await endLeftovers();
        const real = await RealSystem.create();
        await fc.asyncModelRun(() => ({ model: new MoneyModel(), real }), commands);
        await assertRecordedFilesStored(real);
      }),
      { numRuns: runs, seed },
    );
    console.log(Object.entries(coverage).sort().map(([what, n]) => `  ${what}: ${n}`).join("\n"));
    console.log(`money model: ${runs} sequences, 0 violations, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
