// The provider chain with real adapters against their fakes: Recraft first, fal behind it. The
// primary failing transiently past its retries, or out of credit, hands the job to fal
// (fallback layer 1, the alert logged for the operator); the user's own bad input stops there.
import "@/lib/testing/isolated-database";
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { logger } from "@/lib/http/logger";
import { startFakeFal, type FakeFal } from "@/lib/testing/fake-fal";
import { startFakeRecraft, type FakeRecraft } from "@/lib/testing/fake-recraft";
import { runJobWith } from "@/lib/testing/provider-jobs";

let recraft: FakeRecraft;
let fal: FakeFal;
beforeAll(async () => {
  [recraft, fal] = await Promise.all([startFakeRecraft(), startFakeFal()]);
  process.env.EASEL_PROVIDER_POLL_MS = "5";
});
afterAll(async () => {
  await Promise.all([recraft.close(), fal.close()]);
});
beforeEach(() => {
  recraft.received.length = 0;
  recraft.script.length = 0;
  fal.reset();
});

const both = () => ({ ...recraft.env, ...fal.env });

describe("the chain of recraft-v4: Recraft, then fal", () => {
  test("Recraft answering 429 past its retries: fal serves it as fallback layer 1, charged once", async () => {
    recraft.script.push("rate_limited", "rate_limited", "rate_limited");
    const run = await runJobWith(both(), { model: "recraft-v4", prompt: "a paper boat" }, { providerRetryBaseMs: 1 });
    expect(recraft.generations()).toHaveLength(3); // the first try and two retries
    expect(fal.submissions()).toHaveLength(1);
    expect(run.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 1 });
    expect(run.job.upstreamRequestId).toBe(fal.issued()[0]);
    expect(run.before.balanceMicros - run.after.balanceMicros).toBe(run.job.estimatedMicros);
    expect(run.after.heldMicros).toBe(0n);
  });

  test("Recraft out of credit: an operator alert, and fal serves the user without a retry at Recraft", async () => {
    const errors = vi.spyOn(logger, "error");
    try {
      recraft.script.push("out_of_credit");
      const run = await runJobWith(both(), { model: "recraft-v4", prompt: "a paper boat" });
      expect(recraft.generations()).toHaveLength(1);
      expect(run.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 1 });
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ alert: "provider_out_of_credit", provider: "recraft" }), expect.any(String));
    } finally {
      errors.mockRestore();
    }
  });

  test("Recraft refusing the user's input: the job fails there, fal is never asked, the hold released", async () => {
    recraft.script.push("invalid");
    const run = await runJobWith(both(), { model: "recraft-v4", prompt: "a paper boat" });
    expect(run.job).toMatchObject({ status: "failed", provider: "recraft", fallbackLayer: 0, chargedMicros: 0n });
    expect(fal.submissions()).toHaveLength(0);
    expect(run.after.balanceMicros).toBe(run.before.balanceMicros);
    expect(run.after.heldMicros).toBe(0n);
  });

  test("with only fal's key set, fal is the first choice (layer 0)", async () => {
    const run = await runJobWith(fal.env, { model: "recraft-v4", prompt: "a paper boat" });
    expect(run.job).toMatchObject({ status: "succeeded", provider: "fal", fallbackLayer: 0 });
    expect(recraft.generations()).toHaveLength(0);
  });
});
