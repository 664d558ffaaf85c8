// What can go wrong in the product, said in its own terms. Domain code throws these; only
// lib/http/errors.ts decides the HTTP status, the error type and the headers each one answers
// with (docs/architecture.md). Pure: the composer runs the same validation in the browser.
import { formatUsd } from "@/lib/money";

/** An expected failure with a stable, documented `code` (and the input it is about, if any). */
export abstract class DomainError extends Error {
  readonly code: string;
  readonly param?: string;

  constructor(code: string, message: string, param?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.param = param;
  }
}

/** The input cannot be accepted: a missing or malformed field, a value out of range. */
export class InvalidInput extends DomainError {}

/** The thing asked for does not exist, or belongs to someone else. */
export class NotFound extends DomainError {}

export class JobNotFound extends NotFound {
  constructor(jobId: string, isWellFormed: boolean) {
    super("job_not_found", `No job ${isWellFormed ? jobId : "with that id"} exists on this account.`, "id");
  }
}

/** No credentials, or credentials that identify no one (a malformed, unknown or revoked key). */
export class Unauthenticated extends DomainError {}

/** The caller is known, but this is not theirs to do (a bad file signature, a capped test credit). */
export class AccessDenied extends DomainError {}

/** The thing to create clashes with one that exists (an email already signed up). */
export class AlreadyExists extends DomainError {}

/** The server could not do this just now (its database is down); the same request may work later. */
export class TemporarilyUnavailable extends DomainError {}

/** The input is larger than accepted. */
export class TooLarge extends DomainError {
  constructor(message: string) {
    super("payload_too_large", message);
  }
}

/** The input is not of a kind accepted here. */
export class UnsupportedMediaType extends DomainError {
  constructor(message: string) {
    super("unsupported_media_type", message);
  }
}

/** The job has already ended; there is nothing left to cancel. */
export class JobNotCancelable extends DomainError {
  constructor(readonly status: string) {
    super("job_not_cancelable", `The job is already ${status} and can no longer be canceled.`);
  }
}

/** The request costs more than the account has available right now. */
export class InsufficientCredits extends DomainError {
  constructor(
    readonly needed: bigint,
    readonly available: bigint,
    message = `This request costs ${formatUsd(needed)} and ${formatUsd(available)} is available. Top up to continue.`,
  ) {
    super("insufficient_credits", message);
  }
}

/** The request would take the API key past its spend limit for the period. */
export class KeyBudgetExceeded extends DomainError {
  constructor(
    readonly limit: bigint,
    readonly spent: bigint,
    readonly needed: bigint,
    readonly period: "day" | "month" | "total",
    /** When the period's count starts again from zero; null for a limit in all. */
    readonly resetsAt: Date | null,
  ) {
    const per = { day: "a day", month: "a month", total: "in all" }[period];
    const reset = resetsAt ? ` The limit resets at ${resetsAt.toISOString()}.` : " The limit does not reset; raise it on the API keys page.";
    super(
      "key_budget_exceeded",
      `This API key may spend ${formatUsd(limit)} ${per} and has spent ${formatUsd(spent)} (held or charged); this request needs ${formatUsd(needed)}.${reset}`,
    );
  }
}

/** The API key may not do this: it lacks the scope (`generate` or `read`) the request needs. */
export class KeyScopeDenied extends DomainError {
  constructor(readonly scope: string) {
    super("key_scope", `This API key does not have the "${scope}" scope this request needs. Use a key with it, or add it on the API keys page.`);
  }
}

/** A feature this server is not set up for (card payments without STRIPE_SECRET_KEY). */
export class NotConfigured extends DomainError {}

/** The account already has as many jobs queued or running as its tier allows. */
export class ConcurrencyLimited extends DomainError {
  /** A job of the local renderer ends in seconds; try again about then. */
  readonly retryAfterSeconds = 5;

  constructor(
    readonly inFlight: number,
    readonly max: number,
    readonly tier: number,
  ) {
    super("concurrency_limited", `${inFlight} jobs are queued or running; tier ${tier} allows ${max} at once. Submit again when one finishes.`);
  }
}

/** The caller's allowance for this minute is spent. */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    /** Where the caller stands: X-RateLimit-Limit, -Remaining, -Reset. */
    readonly limitHeaders: Record<string, string>,
  ) {
    super("rate_limited", message);
  }
}

/** The same idempotency key came with a different request. */
export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super(
      "idempotency_key_reused",
      "This idempotency key was already used with a different request. Use a new key for a new request.",
      "idempotency_key",
    );
  }
}

/**
 * A job a synchronous surface waited for (the OpenAI Images API, the image API) ended without
 * images: it failed, expired or was canceled, and its hold was released. `why` says whose the
 * failure was: the request's own (bad input, moderation — retrying it unchanged fails again),
 * the upstreams', or a cancel or expiry.
 */
export class JobFailed extends DomainError {
  constructor(
    readonly jobId: string,
    code: string,
    message: string,
    readonly why: "input" | "upstream" | "canceled" | "expired",
    /** The job's own error, as GET /v1/jobs/{id} shows it. */
    readonly jobError: { code: string; message: string } | null,
  ) {
    super(code, `${message} (job ${jobId}; nothing was charged)`);
  }
}

/** A synchronous request waited as long as it may; the job goes on, and is charged if it succeeds. */
export class JobStillRunning extends DomainError {
  constructor(
    readonly jobId: string,
    waitedSeconds: number,
  ) {
    super(
      "job_timeout",
      `Job ${jobId} did not finish within ${waitedSeconds} s. It is still running and will be charged if it succeeds: get it with GET /v1/jobs/${jobId}, or cancel it with POST /v1/jobs/${jobId}/cancel.`,
    );
  }
}

/** A 400 about one parameter of the request. */
export const invalidInput = (code: string, message: string, param?: string) => new InvalidInput(code, message, param);
