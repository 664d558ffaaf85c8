import "server-only";
import pRetry, { AbortError } from "p-retry";
import sharp from "sharp";
import type { FileRecord, Job } from "@/db/schema";
import { findModel, type ImageModel, type ProviderId } from "@/lib/catalog";
import { logger } from "@/lib/http/logger";
import { providerSlots } from "@/lib/providers/concurrency";
import { providerChain } from "@/lib/providers/registry";
import { sleep } from "@/lib/providers/http";
import { ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest } from "@/lib/providers/types";
import { writeFileBytes } from "@/lib/storage/files";
import { queueConfig, type QueueConfig } from "./config";
import { crashPoint } from "./crash-points";
import { loadReferences, ReferenceError } from "./references";

/** A delivered image whose bytes are stored; its record is inserted when the job settles. */
export type StoredImage = { file: FileRecord; width: number; height: number };

export type Outcome =
  | { status: "succeeded"; provider: ProviderId; fallbackLayer: number; upstreamRequestId?: string; images: StoredImage[] }
  | {
      status: "failed";
      code: string;
      message: string;
      provider: ProviderId | null;
      fallbackLayer: number | null;
      upstreamRequestId?: string;
    };

type Dependencies = { chain?: ImageProvider[]; config?: QueueConfig };

const SERVED_RASTER = new Set(["image/png", "image/jpeg", "image/webp"]);

/**
 * Runs one claimed job: its reference images, then its model's providers in order — each call
 * with a timeout, transient failures retried with backoff, then the next provider — and stores
 * what comes back the moment it arrives. Throws only when `signal` aborts (the job was canceled,
 * its lease lost, or the worker is stopping); every other problem is a failed outcome.
 */
export async function executeJob(job: Job, signal: AbortSignal, deps: Dependencies = {}): Promise<Outcome> {
  const model = findModel(job.model);
  if (!model) return failed("unknown_model", `The model ${job.model} is no longer served.`);
  const config = deps.config ?? queueConfig();

  let references;
  try {
    references = await loadReferences(job, signal);
  } catch (error) {
    if (error instanceof ReferenceError) return failed(error.code, error.message);
    throw error;
  }

  const request: ProviderRequest = {
    jobId: job.id,
    model,
    prompt: job.prompt,
    size: job.params.size,
    width: job.params.width,
    height: job.params.height,
    n: job.params.n,
    quality: job.params.quality,
    seed: job.params.seed,
    references,
  };

  const chain = deps.chain ?? providerChain(model);
  let last: Outcome = failed("provider_unavailable", "No provider could serve this model.");
  let skipped: string[] = [];
  // `fallback_layer` counts the position in the chain, skipped providers included, so that it
  // says which provider served: 0 is the model's first choice.
  for (const [layer, provider] of chain.entries()) {
    const unable = provider.unableToServe?.(request);
    if (unable) {
      skipped = [...skipped, `${provider.id}: ${unable}`];
      continue;
    }
    try {
      const result = await callWithRetries(provider, request, signal, config);
      crashPoint("after-provider");
      const delivered = result.images.slice(0, job.params.n); // never more than asked for
      if (delivered.length === 0) {
        last = failed("no_images", `${provider.id} returned no images.`, provider.id, layer, result.upstreamRequestId);
        continue;
      }
      const images = await storeOutputs(job.accountId, model, delivered);
      crashPoint("after-store");
      return { status: "succeeded", provider: provider.id, fallbackLayer: layer, upstreamRequestId: result.upstreamRequestId, images };
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      const providerError = asProviderError(error);
      last = failed(providerError.code, providerError.message, provider.id, layer, providerError.upstreamRequestId);
      if (providerError.kind === "credit") {
        // Our upstream account ran dry: the operator must act; the user is served by the next.
        logger.error({ alert: "provider_out_of_credit", provider: provider.id, job_id: job.id }, providerError.message);
      }
      if (providerError.kind === "input") return last;
    }
  }
  if (last.status === "failed" && last.provider === null && skipped.length > 0) {
    return failed("provider_unavailable", `No provider of ${model.id} can take this request (${skipped.join("; ")}).`);
  }
  return last;
}

function failed(
  code: string,
  message: string,
  provider: ProviderId | null = null,
  fallbackLayer: number | null = null,
  upstreamRequestId?: string,
): Outcome {
  return { status: "failed", code, message, provider, fallbackLayer, upstreamRequestId };
}

async function callWithRetries(provider: ImageProvider, request: ProviderRequest, signal: AbortSignal, config: QueueConfig) {
  return pRetry(
    async () => {
      // A provider at its cap of calls in flight is waited for, not called (and answered 429);
      // the wait is not part of the call's timeout.
      let release: () => void;
      try {
        release = await providerSlots().acquire(provider.id, signal);
      } catch (error) {
        throw new AbortError(error as Error);
      }
      const timeout = AbortSignal.timeout(config.providerTimeoutMs);
      const attempt = AbortSignal.any([signal, timeout]);
      try {
        return await untilAborted(provider.generate(request, attempt), attempt);
      } catch (error) {
        if (signal.aborted) throw new AbortError(error as Error);
        if (timeout.aborted) {
          throw new ProviderError("transient", "provider_timeout", `${provider.id} did not answer within ${config.providerTimeoutMs} ms.`);
        }
        throw error;
      } finally {
        release();
      }
    },
    {
      retries: config.providerRetries,
      minTimeout: config.providerRetryBaseMs,
      factor: 2,
      randomize: true,
      signal,
      shouldRetry: ({ error }) => error instanceof ProviderError && error.kind === "transient",
      // An upstream that says how long to wait is believed (capped), on top of the backoff.
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const wait = error instanceof ProviderError && error.kind === "transient" ? error.retryAfterMs : undefined;
        if (wait && retriesLeft > 0) await sleep(wait, signal);
      },
    },
  );
}

/**
 * The provider's answer, or a rejection as soon as `signal` aborts — even from an adapter that
 * ignores its signal, so that a timeout or a cancel always ends the call.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof AbortError && error.originalError instanceof ProviderError) return error.originalError;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("upstream", "provider_error", `The provider failed: ${message}`);
}

/**
 * Copies delivered images into our storage the moment they arrive (upstream URLs expire in
 * minutes). Dimensions are read from the bytes, not taken from the provider's word: they decide
 * what per-megapixel models cost. A raster format we do not serve is converted to PNG.
 */
async function storeOutputs(accountId: string, model: ImageModel, images: GeneratedImage[]): Promise<StoredImage[]> {
  return Promise.all(
    images.map(async (image) => {
      const meta = await sharp(image.bytes).metadata();
      let bytes = image.bytes;
      let contentType = model.outputFormat === "svg" ? "image/svg+xml" : `image/${meta.format}`;
      if (model.outputFormat !== "svg" && !SERVED_RASTER.has(contentType)) {
        bytes = await sharp(image.bytes).png().toBuffer();
        contentType = "image/png";
      }
      const width = meta.width ?? image.width;
      const height = meta.height ?? image.height;
      const file = await writeFileBytes({ accountId, purpose: "output", bytes, contentType, width, height });
      return { file, width, height };
    }),
  );
}
