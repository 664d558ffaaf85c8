// The local renderer: serves every model when no upstream key is configured, drawing real,
// deterministic images offline. PNG for raster models, SVG for vector models; edits
// are built from the caller's reference images.
//
// Environment, read on every call so tests and operators can change it at run time:
//   LOCAL_RENDERER_LATENCY_MS    wait this long before answering (default 1500; aborts stop it)
//   LOCAL_RENDERER_FAILURE_RATE  0..1, the chance a call fails as transient (default 0)
//
// Test directives: `[[easel:…]]` anywhere in a prompt forces an outcome for that one job and is
// not drawn. Several may share one bracket: `[[easel:latency=0, images=1]]`.
//   [[easel:fail]]          fail with ProviderError("upstream", "generation_failed")
//   [[easel:timeout]]       never finish: wait for the abort signal, then reject with its reason
//   [[easel:images=K]]      return K images instead of n (never more than n; 0 is allowed)
//   [[easel:size=WxH]]      return W×H images instead of the requested size (16..4096 a side)
//   [[easel:latency=MS]]    this job's latency instead of LOCAL_RENDERER_LATENCY_MS
//   [[easel:flaky=K]]       the first K calls for this jobId fail with ProviderError("transient",
//                           "provider_unavailable"); later calls succeed
// Failures (fail, flaky, the failure rate) come after the latency, as an upstream's would.
// The parser is `parseDirectives` in ./local/directives.ts, re-exported here.
import type { GeneratedImage, ImageProvider, ProviderRequest, ProviderResult } from "./types";
import { ProviderError } from "./types";
import { parseDirectives } from "./local/directives";
import { RenderMemo, renderKey } from "./local/memo";
import { renderLocalImage, type RenderInput } from "./local/render";

export { parseDirectives, type LocalDirectives, type ParsedPrompt } from "./local/directives";

const DEFAULT_LATENCY_MS = 1500;
// Outputs are deterministic, so identical inputs may share bytes; 64 images or 128 MB at most.
const memo = new RenderMemo(64, 128 * 1024 * 1024);
// Calls seen per jobId for `flaky`; the oldest job is forgotten past this many.
const MAX_FLAKY_JOBS = 1000;
const flakyCalls = new Map<string, number>();

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Rejects with the signal's reason — an AbortError unless the caller gave another. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. `Infinity` waits for the abort. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (timer) clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = Number.isFinite(ms)
      ? setTimeout(() => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        }, ms)
      : undefined;
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** `work`, or a rejection the moment `signal` aborts (sharp cannot be interrupted mid-image). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Counts this call for `jobId` and says whether it is one of the first `failures`. */
function flakyCallFails(jobId: string, failures: number): boolean {
  const calls = (flakyCalls.get(jobId) ?? 0) + 1;
  flakyCalls.delete(jobId);
  flakyCalls.set(jobId, calls);
  const oldest = flakyCalls.keys().next();
  if (flakyCalls.size > MAX_FLAKY_JOBS && !oldest.done) flakyCalls.delete(oldest.value);
  return calls <= failures;
}

async function renderMemoised(input: RenderInput): Promise<GeneratedImage> {
  const key = renderKey(input);
  const hit = memo.get(key);
  if (hit) return hit;
  const image = await renderLocalImage(input);
  memo.set(key, image);
  return image;
}

async function generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
  if (signal.aborted) throw abortReason(signal);
  const { text, directives } = parseDirectives(request.prompt);
  if (directives.timeout) {
    await sleep(Infinity, signal);
  }
  const failsAsFlaky = directives.flaky !== undefined && flakyCallFails(request.jobId, directives.flaky);
  await sleep(directives.latencyMs ?? envNumber("LOCAL_RENDERER_LATENCY_MS", DEFAULT_LATENCY_MS, 0, 600_000), signal);

  if (directives.fail) {
    throw new ProviderError("upstream", "generation_failed", "The local renderer was told to fail this job.");
  }
  if (failsAsFlaky) {
    throw new ProviderError("transient", "provider_unavailable", "The local renderer was told to fail this call ([[easel:flaky]]).");
  }
  // Failure injection is meant to be random per call; drawing never uses Math.random.
  const failureRate = envNumber("LOCAL_RENDERER_FAILURE_RATE", 0, 0, 1);
  if (failureRate > 0 && Math.random() < failureRate) {
    throw new ProviderError("transient", "provider_unavailable", "The local renderer failed at random (LOCAL_RENDERER_FAILURE_RATE).");
  }

  const count = Math.max(0, Math.min(request.n, directives.images ?? request.n));
  const { width, height } = directives.size ?? request;
  // The catalogue validates sizes before a job exists; this guards against a caller's bug
  // turning into a gigantic allocation.
  const fits = (side: number) => Number.isInteger(side) && side >= 1 && side <= 8192;
  if (!fits(width) || !fits(height)) {
    throw new ProviderError("input", "unsupported_size", `The local renderer cannot draw ${width}×${height}.`);
  }
  const images: GeneratedImage[] = [];
  // One image at a time, checking the signal before each, so an abort stops the work promptly
  // (an image already in sharp's hands finishes, unobserved; no further one starts).
  for (let index = 0; index < count; index++) {
    if (signal.aborted) throw abortReason(signal);
    const input = { model: request.model, text, seed: request.seed, width, height, index, references: request.references };
    images.push(await unlessAborted(renderMemoised(input), signal));
  }
  return { images };
}

export const localRenderer: ImageProvider = { id: "local", generate };
