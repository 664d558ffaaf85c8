// A fake fal shared by a vitest file's tests (vitest only: Playwright specs start their own).
import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { startFakeFal, type FakeFal } from "./fake-fal";

/**
 * A fake fal for the whole test file, reset before each test, with fal polled every 5 ms and
 * the local renderer (the usual fallback) instant. Returns a getter: the fake starts in beforeAll.
 */
export function fakeFalForEachTest(): () => FakeFal {
  let fake: FakeFal | undefined;
  beforeAll(async () => {
    fake = await startFakeFal();
  });
  afterAll(() => fake?.close());
  beforeEach(() => {
    fake!.reset();
    vi.stubEnv("EASEL_PROVIDER_POLL_MS", "5");
    vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "0");
  });
  return () => fake!;
}
