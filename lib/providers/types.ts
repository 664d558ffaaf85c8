// The one interface every upstream implements: the local renderer, fal, OpenAI, Google (Vertex AI
// and the Gemini API), Black Forest Labs, MiniMax, Recraft and Ideogram, one file each.
import type { ImageModel, ProviderId } from "@/lib/catalog";
import type { JobParams } from "@/lib/jobs/schemas";

/** A reference image, already fetched (through the SSRF-safe fetcher) or read from storage. */
export type ReferenceImage = { bytes: Buffer; contentType: string; width: number; height: number };

/** What a job asks of an upstream: its accepted parameters (the pixel size, not the name). */
export type ProviderRequest = Pick<JobParams, "size" | "width" | "height" | "n" | "quality" | "seed"> & {
  jobId: string;
  model: ImageModel;
  /** NFC-normalised, as accepted by the API. */
  prompt: string;
  references: ReferenceImage[];
};

/** One delivered image, in memory, as the upstream returned it (not necessarily as asked). */
export type GeneratedImage = { bytes: Buffer; contentType: string; width: number; height: number };

export type ProviderResult = {
  images: GeneratedImage[];
  /** The upstream's id for this request (fal's request_id, BFL's id, OpenAI's x-request-id). */
  upstreamRequestId?: string;
};

export interface ImageProvider {
  readonly id: ProviderId;
  /**
   * Why this provider cannot take `request` (more references than it has slots, a size it
   * lacks), or undefined when it can. A provider that cannot is skipped, not failed.
   */
  unableToServe?(request: ProviderRequest): string | undefined;
  /** Must stop promptly when `signal` aborts (timeout, cancellation, shutdown). */
  generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult>;
}

/**
 * What went wrong upstream, and so what to do next:
 * - `transient`: worth retrying here (timeouts, 5xx, 429, connection resets), then the next
 *   provider of the chain; `retryAfterMs` when the upstream said how long to wait;
 * - `upstream`: this provider refused (bad key, a protocol mismatch); try the next provider;
 * - `credit`: the upstream account is out of credit — the operator's problem, never the
 *   user's: logged as an alert, then the next provider;
 * - `input`: the request itself cannot work anywhere (the upstream rejected the prompt or a
 *   reference, or moderated it); fail the job at once with `code`, trying no other provider.
 */
export type ProviderErrorKind = "transient" | "upstream" | "credit" | "input";

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly code: string;
  readonly retryAfterMs?: number;
  readonly upstreamRequestId?: string;

  constructor(
    kind: ProviderErrorKind,
    code: string,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number; upstreamRequestId?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamRequestId = options.upstreamRequestId;
  }
}

/** The job error code of a moderation refusal, whichever upstream refused. */
export const CONTENT_POLICY_VIOLATION = "content_policy_violation";
