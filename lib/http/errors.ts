// The one error type of the API, its JSON shape — {"error": {"type", "code", "message",
// "param"?}} — and the one place that turns the product's errors (lib/errors.ts) into statuses,
// error types and headers. Pure: usable in the browser too.
import {
  AccessDenied,
  AlreadyExists,
  ConcurrencyLimited,
  DomainError,
  IdempotencyKeyReused,
  InsufficientCredits,
  InvalidInput,
  JobFailed,
  JobNotCancelable,
  JobStillRunning,
  KeyBudgetExceeded,
  KeyScopeDenied,
  NotConfigured,
  NotFound,
  RateLimited,
  TemporarilyUnavailable,
  TooLarge,
  Unauthenticated,
  UnsupportedMediaType,
} from "@/lib/errors";
import { toUsd } from "@/lib/money";
import { WebhookConflict } from "@/lib/webhooks/errors";

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "billing_error"
  | "not_found_error"
  | "conflict_error"
  | "rate_limit_error"
  | "api_error";

export const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  405: "invalid_request_error",
  409: "conflict_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
};

export type ErrorBody = {
  error: { type: ErrorType; code: string; message: string; param?: string } & Record<string, unknown>;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param?: string;
  /** Extra fields for the error object (e.g. `available` on 402). */
  readonly details?: Record<string, unknown>;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { param?: string; details?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.param = options.param;
    this.details = options.details;
    this.headers = options.headers;
  }

  get type(): ErrorType {
    return TYPE_BY_STATUS[this.status] ?? "api_error";
  }

  toJSON(): ErrorBody {
    return {
      error: {
        ...this.details,
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
      },
    };
  }
}

/** A 400 about one parameter of the request, for code that still answers in HTTP terms. */
export const invalidRequest = (code: string, message: string, param?: string) => new ApiError(400, code, message, { param });

/**
 * The answer to one of the product's errors; null for anything unexpected (a bug, answered
 * with a generic 500). `origin` is where this server is reached, for the top-up link of a 402.
 */
export function toApiError(error: unknown, origin: string): ApiError | null {
  if (error instanceof ApiError) return error;
  if (!(error instanceof DomainError)) return null;
  const { code, message, param } = error;
  if (error instanceof InsufficientCredits) {
    return new ApiError(402, code, message, {
      details: { required: toUsd(error.needed), available: toUsd(error.available), topup_url: `${origin}/billing` },
    });
  }
  if (error instanceof KeyBudgetExceeded) {
    return new ApiError(402, code, message, {
      details: {
        limit: toUsd(error.limit),
        spent: toUsd(error.spent),
        required: toUsd(error.needed),
        period: error.period,
        resets_at: error.resetsAt?.toISOString() ?? null,
      },
    });
  }
  if (error instanceof KeyScopeDenied) return new ApiError(403, code, message, { details: { scope: error.scope } });
  if (error instanceof ConcurrencyLimited) {
    return new ApiError(429, code, message, { headers: { "Retry-After": String(error.retryAfterSeconds) } });
  }
  if (error instanceof RateLimited) {
    return new ApiError(429, code, message, { headers: { ...error.limitHeaders, "Retry-After": String(error.retryAfterSeconds) } });
  }
  // A synchronous answer that no automatic retry should repeat: a retry would start (and pay for)
  // another job.
  if (error instanceof JobFailed) {
    const status = { input: 400, canceled: 409, upstream: 502, expired: 502 }[error.why];
    return new ApiError(status, code, message, {
      headers: { "x-should-retry": "false" },
      details: { job_id: error.jobId, job_error: error.jobError },
    });
  }
  if (error instanceof JobStillRunning) {
    return new ApiError(504, code, message, { headers: { "x-should-retry": "false" }, details: { job_id: error.jobId } });
  }
  if (error instanceof JobNotCancelable) return new ApiError(409, code, message, { param });
  if (error instanceof WebhookConflict) return new ApiError(409, code, message, { param });
  if (error instanceof IdempotencyKeyReused) return new ApiError(422, code, message, { param });
  if (error instanceof AlreadyExists) return new ApiError(409, code, message, { param });
  if (error instanceof NotConfigured || error instanceof TemporarilyUnavailable) return new ApiError(503, code, message, { param });
  if (error instanceof Unauthenticated) return new ApiError(401, code, message, { param, headers: { "WWW-Authenticate": 'Bearer realm="easel"' } });
  if (error instanceof AccessDenied) return new ApiError(403, code, message, { param });
  if (error instanceof TooLarge) return new ApiError(413, code, message, { param });
  if (error instanceof UnsupportedMediaType) return new ApiError(415, code, message, { param });
  if (error instanceof NotFound) return new ApiError(404, code, message, { param });
  if (error instanceof InvalidInput) return new ApiError(400, code, message, { param });
  return new ApiError(400, code, message, { param });
}
