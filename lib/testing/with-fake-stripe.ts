// For a test file that talks to Stripe: starts the fake server once, and before each test points
// the SDK at it (STRIPE_SECRET_KEY, STRIPE_API_HOST/PORT/PROTOCOL); unstubs after each.
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { startFakeStripe, type FakeStripe } from "./fake-stripe";

export function withFakeStripe(): () => FakeStripe {
  let fake: FakeStripe | undefined;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake?.close());
  beforeEach(() => {
    for (const [name, value] of Object.entries(fake!.env)) vi.stubEnv(name, value);
  });
  afterEach(() => vi.unstubAllEnvs());
  return () => fake!;
}
