import { ASPECT_RATIOS, type AspectRatio } from "@/lib/catalog";
import { ProviderError, type ProviderRequest } from "./types";

// Small pieces several upstream adapters share: which of our aspect ratios a request is, and
// how to report the failures of a request an adapter split into several upstream calls.

const ratioOf = (ratio: string) => {
  const [w, h] = ratio.split(":").map(Number);
  return w! / h!;
};

/**
 * The aspect ratio of a request, as one of ours ("16:9"): the size the caller wrote when it is
 * one, the listed size of the model with these pixels, else the nearest of ours.
 */
export function aspectRatioOf(request: Pick<ProviderRequest, "size" | "width" | "height" | "model">): AspectRatio {
  const written = request.size.trim() as AspectRatio;
  if (ASPECT_RATIOS.includes(written)) return written;
  const listed = request.model.sizes.find((option) => option.width === request.width && option.height === request.height);
  if (listed && ASPECT_RATIOS.includes(listed.size as AspectRatio)) return listed.size as AspectRatio;
  return nearestRatio(request.width / request.height, ASPECT_RATIOS);
}

/** Of `ratios` ("W:H"), the one nearest `wanted` (compared as logarithms, so 2:1 and 1:2 are alike). */
export function nearestRatio<T extends string>(wanted: number, ratios: readonly T[]): T {
  let best = ratios[0]!;
  for (const ratio of ratios) {
    if (Math.abs(Math.log(ratioOf(ratio) / wanted)) < Math.abs(Math.log(ratioOf(best) / wanted))) best = ratio;
  }
  return best;
}

/** The same error, carrying the upstream's request id. */
export function withRequestId(error: ProviderError, upstreamRequestId: string | undefined): ProviderError {
  if (!upstreamRequestId || error.upstreamRequestId === upstreamRequestId) return error;
  return new ProviderError(error.kind, error.code, error.message, { cause: error.cause, retryAfterMs: error.retryAfterMs, upstreamRequestId });
}

// When every call of a split request failed, the one that decides what happens next: a refusal
// of the input (moderation) fails the job wherever it happened; then an empty account (operator
// alert); then a transient failure (worth a retry); then any other.
const PRECEDENCE = ["input", "credit", "transient", "upstream"] as const;

export function decidingFailure(errors: ProviderError[]): ProviderError {
  const sorted = [...errors].sort((a, b) => PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind));
  return sorted[0]!;
}

/** An unexpected throw (a bug, a network error) as a ProviderError of kind `upstream`. */
export function asProviderError(name: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("upstream", "provider_error", `${name} failed: ${message}`, { cause: error });
}
