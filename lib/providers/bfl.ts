import "server-only";
import { downloadResult, pollIntervalMs, readJson, sendUpstream, sleep } from "./http";
import { aspectRatioOf, asProviderError, decidingFailure, withRequestId } from "./request-shape";
import { CONTENT_POLICY_VIOLATION, ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

// Black Forest Labs, the makers of FLUX, through their own API. It speaks these documented
// endpoints (https://docs.bfl.ai):
//   POST {BFL_BASE_URL}/v1/flux-2-pro | /v1/flux-kontext-pro | /v1/flux-pro-1.1-ultra
//        header `x-key`, a JSON body → `{ id, polling_url }`
//   GET  {polling_url} (or {BFL_BASE_URL}/v1/get_result?id=…), header `x-key`
//        → `{ id, status, result: { sample } }`, status one of Pending, Task not found,
//          Request Moderated, Content Moderated, Ready, Error (and Failed)
// One task makes one image, so n images are n tasks, run at once; what comes back is paid for.
// `result.sample` is a signed delivery URL that expires in 10 minutes: it is downloaded at once.
//
// Failures: 422 → the input (the job fails); 401/403 → our key (next provider); 402 → out of
// credit (operator alert, next provider); 429 (too many active tasks) and 5xx → transient;
// a moderated task → content_policy_violation; Error/Failed → the next provider.

const NAME = "Black Forest Labs";
const DEFAULT_BASE_URL = "https://api.bfl.ai";
/** flux-2-pro takes input_image … input_image_8. */
const FLUX_2_REFERENCE_SLOTS = 8;
/** Sides flux-2-pro takes: multiples of 16 within these bounds. */
const FLUX_2_STEP = 16;
const FLUX_2_MIN_SIDE = 64;
const FLUX_2_MAX_SIDE = 2048;
/** "Task not found" right after a submission is BFL catching up; this many in a row is not. */
const MAX_NOT_FOUND_POLLS = 30;
/** Consecutive transient failures of a poll before the task is given up. */
const MAX_POLL_FAILURES = 5;

type Endpoint = { path: string; sizing: "pixels" | "aspect_ratio"; referenceSlots: number };

const ENDPOINTS: Record<string, Endpoint> = {
  "flux-2-pro": { path: "flux-2-pro", sizing: "pixels", referenceSlots: FLUX_2_REFERENCE_SLOTS },
  "flux-kontext-pro": { path: "flux-kontext-pro", sizing: "aspect_ratio", referenceSlots: 1 },
  "flux-1.1-ultra": { path: "flux-pro-1.1-ultra", sizing: "aspect_ratio", referenceSlots: 0 },
};

/** The nearest side flux-2-pro takes: a multiple of 16 (1080 → 1088), within its bounds. */
export function flux2Side(side: number): number {
  const stepped = Math.round(side / FLUX_2_STEP) * FLUX_2_STEP;
  return Math.min(FLUX_2_MAX_SIDE, Math.max(FLUX_2_MIN_SIDE, stepped));
}

/** The body of one task: the index-th image of the request. */
export function bflTaskBody(request: ProviderRequest, endpoint: Endpoint, index: number): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: request.prompt, output_format: "png" };
  if (endpoint.sizing === "pixels") {
    body.width = flux2Side(request.width);
    body.height = flux2Side(request.height);
  } else {
    // BFL writes aspect ratios as we do ("16:9"); kontext takes 3:7..7:3, ultra 9:21..21:9.
    body.aspect_ratio = aspectRatioOf(request);
  }
  // A seed makes a task reproducible; each further image gets the next seed, or they would be alike.
  if (request.seed !== undefined) body.seed = request.seed + index;
  request.references.forEach((reference, slot) => {
    body[slot === 0 ? "input_image" : `input_image_${slot + 1}`] = reference.bytes.toString("base64");
  });
  return body;
}

type Submitted = { id?: unknown; polling_url?: unknown };
type Polled = { id?: unknown; status?: unknown; result?: { sample?: unknown } | null; details?: unknown };

class BflProvider implements ImageProvider {
  readonly id = "bfl" as const;

  constructor(
    private readonly key: string,
    private readonly base: string,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    const endpoint = ENDPOINTS[request.model.id];
    if (!endpoint) return `Black Forest Labs does not serve ${request.model.id}`;
    if (request.references.length > endpoint.referenceSlots) {
      return `it takes at most ${endpoint.referenceSlots} reference image${endpoint.referenceSlots === 1 ? "" : "s"}`;
    }
    return undefined;
  }

  async generate(request: ProviderRequest, signal: AbortSignal) {
    const endpoint = ENDPOINTS[request.model.id];
    if (!endpoint) throw new ProviderError("upstream", "provider_error", `${NAME} does not serve ${request.model.id}.`);
    const ids: string[] = [];
    const tasks = await Promise.allSettled(
      Array.from({ length: request.n }, (_, index) => this.runTask(request, endpoint, index, signal, (id) => ids.push(id))),
    );
    if (signal.aborted) throw signal.reason;
    const upstreamRequestId = ids.length > 0 ? ids.join(",") : undefined;
    const images = tasks.flatMap((task) => (task.status === "fulfilled" ? [task.value] : []));
    if (images.length > 0) return { images, upstreamRequestId };
    const errors = tasks.map((task) => asProviderError(NAME, (task as PromiseRejectedResult).reason));
    throw withRequestId(decidingFailure(errors), upstreamRequestId);
  }

  private async runTask(request: ProviderRequest, endpoint: Endpoint, index: number, signal: AbortSignal, started: (id: string) => void): Promise<GeneratedImage> {
    const body = bflTaskBody(request, endpoint, index);
    const { response } = await sendUpstream(NAME, `${this.base}/v1/${endpoint.path}`, {
      method: "POST",
      headers: { "x-key": this.key, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    const submitted = await readJson<Submitted>(NAME, response);
    if (typeof submitted.id !== "string" || !submitted.id) {
      throw new ProviderError("upstream", "provider_error", `${NAME} accepted the task without an id.`);
    }
    const id = submitted.id;
    started(id);
    try {
      const sample = await this.waitForSample(id, this.pollingUrl(id, submitted.polling_url), signal);
      const downloaded = await downloadResult(NAME, sample, { trustedOrigin: this.base, signal });
      // The dimensions asked for; the job reads the real ones from the bytes.
      const width = typeof body.width === "number" ? body.width : request.width;
      const height = typeof body.height === "number" ? body.height : request.height;
      return { bytes: downloaded.bytes, contentType: downloaded.contentType || "image/png", width, height };
    } catch (error) {
      throw withRequestId(asProviderError(NAME, error), id);
    }
  }

  /**
   * Where to poll. BFL answers a regional URL (api.eu1.bfl.ai, …); our key goes only to BFL's
   * own hosts or the configured base URL, never to whatever host an answer names.
   */
  private pollingUrl(id: string, given: unknown): string {
    const fallback = `${this.base}/v1/get_result?id=${encodeURIComponent(id)}`;
    if (typeof given !== "string") return fallback;
    try {
      const url = new URL(given);
      const ours = url.origin === new URL(this.base).origin;
      const bfls = url.protocol === "https:" && (url.hostname === "bfl.ai" || url.hostname.endsWith(".bfl.ai"));
      return ours || bfls ? url.href : fallback;
    } catch {
      return fallback;
    }
  }

  private async waitForSample(id: string, url: string, signal: AbortSignal): Promise<string> {
    let notFound = 0;
    let failures = 0;
    for (;;) {
      let polled: Polled;
      try {
        const { response } = await sendUpstream(NAME, url, { headers: { "x-key": this.key, accept: "application/json" }, signal });
        polled = await readJson<Polled>(NAME, response);
        failures = 0;
      } catch (error) {
        // A busy or failing poll is not a failed task: wait and ask again, a few times.
        if (error instanceof ProviderError && error.kind === "transient" && ++failures < MAX_POLL_FAILURES) {
          await sleep(error.retryAfterMs ?? pollIntervalMs(), signal);
          continue;
        }
        throw error;
      }
      switch (polled.status) {
        case "Ready": {
          const sample = polled.result?.sample;
          if (typeof sample === "string" && sample) return sample;
          throw new ProviderError("upstream", "provider_error", `${NAME} finished task ${id} without an image.`);
        }
        case "Request Moderated":
        case "Content Moderated":
          throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} refused the request under its content policy (${polled.status}).`);
        case "Error":
        case "Failed":
          throw new ProviderError("upstream", "provider_error", `${NAME} could not make the image (${polled.status}${detailOf(polled.details)}).`);
        case "Task not found":
          if (++notFound >= MAX_NOT_FOUND_POLLS) throw new ProviderError("upstream", "provider_error", `${NAME} lost task ${id}.`);
          break;
        default:
          notFound = 0; // Pending, or a status of progress we do not know yet: keep waiting
      }
      await sleep(pollIntervalMs(), signal);
    }
  }
}

function detailOf(details: unknown): string {
  if (details === undefined || details === null) return "";
  const text = typeof details === "string" ? details : JSON.stringify(details);
  return `: ${text.slice(0, 200)}`;
}

export const bflUpstream: Upstream = {
  id: "bfl",
  name: "Black Forest Labs",
  variables: ["BFL_API_KEY", "BFL_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["BFL_API_KEY"]),
  create: (env: Env) => new BflProvider(env.BFL_API_KEY!.trim(), baseUrl(env, "BFL_BASE_URL", DEFAULT_BASE_URL)),
};
