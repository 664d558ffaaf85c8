// The one mapping from the product's errors to HTTP: status, error type, extra fields, headers.
import { describe, expect, test } from "vitest";
import {
  AccessDenied,
  ConcurrencyLimited,
  IdempotencyKeyReused,
  InsufficientCredits,
  InvalidInput,
  JobNotCancelable,
  JobNotFound,
  NotConfigured,
  RateLimited,
  TooLarge,
  UnsupportedMediaType,
} from "@/lib/errors";
import { toApiError } from "./errors";

const ORIGIN = "https://easel.example";
const answer = (error: unknown) => {
  const api = toApiError(error, ORIGIN);
  return api && { status: api.status, headers: api.headers ?? {}, body: api.toJSON().error };
};

describe("toApiError", () => {
  test("a 402 says what it needs, what there is, and where to top up", () => {
    expect(answer(new InsufficientCredits(216_000n, 200_000n))).toEqual({
      status: 402,
      headers: {},
      body: {
        type: "billing_error",
        code: "insufficient_credits",
        message: "This request costs $0.216 and $0.20 is available. Top up to continue.",
        required: 0.216,
        available: 0.2,
        topup_url: "https://easel.example/billing",
      },
    });
  });

  test("429s carry Retry-After, and a rate limit its X-RateLimit headers", () => {
    expect(answer(new ConcurrencyLimited(5, 5, 0))).toMatchObject({ status: 429, headers: { "Retry-After": "5" }, body: { type: "rate_limit_error", code: "concurrency_limited" } });
    const limits = { "X-RateLimit-Limit": "30", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "42" };
    expect(answer(new RateLimited("slow down", 42, limits))).toMatchObject({ status: 429, headers: { ...limits, "Retry-After": "42" }, body: { code: "rate_limited" } });
  });

  test.each([
    [new InvalidInput("prompt_required", "m", "prompt"), 400, "invalid_request_error", "prompt"],
    [new JobNotFound("job_x", false), 404, "not_found_error", "id"],
    [new JobNotCancelable("succeeded"), 409, "conflict_error", undefined],
    [new IdempotencyKeyReused(), 422, "invalid_request_error", "idempotency_key"],
    [new AccessDenied("url_expired", "m"), 403, "permission_error", undefined],
    [new TooLarge("m"), 413, "invalid_request_error", undefined],
    [new UnsupportedMediaType("m"), 415, "invalid_request_error", undefined],
    [new NotConfigured("payments_not_configured", "m"), 503, "api_error", undefined],
  ])("%s → %i %s", (error, status, type, param) => {
    const mapped = answer(error)!;
    expect(mapped.status).toBe(status);
    expect(mapped.body.type).toBe(type);
    expect(mapped.body.code).toBe(error.code);
    expect(mapped.body.param).toBe(param);
  });

  test("anything else is not ours to explain: null, for the generic 500", () => {
    expect(toApiError(new Error("boom"), ORIGIN)).toBeNull();
    expect(toApiError("a string", ORIGIN)).toBeNull();
  });
});
