// The one interface every upstream implements: the local renderer now; fal, OpenAI, Google,
// Black Forest Labs, MiniMax, Recraft and Ideogram later, one file each.
import type { ImageModel, ProviderId } from "@/lib/catalog";
import type { JobParams } from "@/lib/jobs/schemas";

/** A reference image, already fetched (through the SSRF-safe fetcher) or read from storage. */
export type ReferenceImage = { bytes: Buffer; contentType: string; width: number; height: number };

/** What a job asks of an upstream: its accepted parameters (the pixel size, not the name). */
export type ProviderRequest = Pick<JobParams, "width" | "height" | "n" | "quality" | "seed"> & {
  jobId: string;
  model: ImageModel;
  /** NFC-normalised, as accepted by the API. */
  prompt: string;
  references: ReferenceImage[];
};

/** One delivered image, in memory, as the upstream returned it (not necessarily as asked). */
export type GeneratedImage = { bytes: Buffer; contentType: string; width: number; height: number };

export type ProviderResult = { images: GeneratedImage[] };

export interface ImageProvider {
  readonly id: ProviderId;
  /** Must stop promptly when `signal` aborts (timeout, cancellation, shutdown). */
  generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult>;
}

/**
 * What went wrong upstream, and so what to do next:
 * - `transient`: worth retrying here (timeouts, 5xx, 429, connection resets), then the next
 *   provider of the chain;
 * - `upstream`: this provider refused (bad key, its own validation); try the next provider;
 * - `input`: the request itself cannot work anywhere (an unusable reference image); fail the
 *   job at once with `code`.
 */
export class ProviderError extends Error {
  readonly kind: "transient" | "upstream" | "input";
  readonly code: string;

  constructor(kind: ProviderError["kind"], code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProviderError";
    this.kind = kind;
    this.code = code;
  }
}
