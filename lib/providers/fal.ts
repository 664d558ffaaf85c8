// fal (queue API): every model fal serves as a fallback, through fal's documented queue:
//   POST {FAL_QUEUE_URL}/{app}         the app's JSON input → {request_id, status_url, response_url, cancel_url}
//   GET  status_url                    {status: IN_QUEUE | IN_PROGRESS | COMPLETED, queue_position}
//   GET  response_url                  the app's output ({images: [{url, width, height, content_type}],
//                                      has_nsfw_concepts, seed}), or the request's error (422 {detail: [...]})
//   PUT  cancel_url                    when our job is canceled or times out while fal still runs it
// Authorization: `Key {FAL_KEY}`. The app ids and how each model's request is written are in
// ./fal/apps.ts. Result images live on fal's CDN and are downloaded at once, through the
// SSRF-safe fetcher (they are not on the queue's origin).
//
// Failures: 422 is the user's input (its `detail` is the message; a `content_policy_violation`
// detail is moderation); 401/403 are our key (the next provider serves), a 403 about the
// balance is fal being out of credit; 429 and 5xx are retried, then fall back. An image that
// fal's safety checker flagged (`has_nsfw_concepts`) is dropped; when all are, the job fails
// with content_policy_violation and nothing is charged.
import "server-only";
import { CONTENT_POLICY_VIOLATION, ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest, type ProviderResult } from "./types";
import type { ImageFetcher } from "@/lib/net/safe-fetch";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";
import { decodeBase64Image, downloadResult, errorDetail, pollIntervalMs, readJson, sendUpstream, sleep } from "./http";
import { planFal, type FalInput, type FalPlan } from "./fal/apps";

const NAME = "fal";
export const FAL_DEFAULT_QUEUE_URL = "https://queue.fal.run";
/** A cancel is sent when we stop waiting; we do not wait long for its answer. */
const CANCEL_TIMEOUT_MS = 5_000;

type Submitted = { request_id?: unknown; status_url?: unknown; response_url?: unknown; cancel_url?: unknown };
type Status = { status?: unknown; queue_position?: unknown };
type Output = { images?: unknown; has_nsfw_concepts?: unknown };
type OutputImage = { url?: unknown; width?: unknown; height?: unknown; content_type?: unknown };

/** What one submission delivered: its images, how many the safety checker dropped, its id. */
type Delivery = { images: GeneratedImage[]; dropped: number; requestId: string };

export const falUpstream: Upstream = {
  id: "fal",
  name: "fal (queue API)",
  variables: ["FAL_KEY", "FAL_QUEUE_URL"],
  disabledReason: (env) => requireVariables(env, ["FAL_KEY"]),
  create: (env) => createFalProvider(env),
};

/** The adapter; `fetcher` replaces the SSRF-safe fetcher for CDN downloads (tests of that path). */
export function createFalProvider(env: Env, options: { fetcher?: ImageFetcher } = {}): ImageProvider {
  return new FalProvider(env.FAL_KEY!.trim(), baseUrl(env, "FAL_QUEUE_URL", FAL_DEFAULT_QUEUE_URL), options.fetcher);
}

class FalProvider implements ImageProvider {
  readonly id = "fal" as const;
  private readonly origin: string;

  constructor(
    private readonly key: string,
    private readonly queueUrl: string,
    private readonly fetcher?: ImageFetcher,
  ) {
    this.origin = new URL(queueUrl).origin;
  }

  unableToServe(request: ProviderRequest): string | undefined {
    const plan = planFal(request);
    return typeof plan === "string" ? plan : undefined;
  }

  async generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const plan = planFal(request);
    if (typeof plan === "string") throw new ProviderError("upstream", "provider_unsupported", plan);

    const settled = await Promise.allSettled(plan.submissions.map((input) => this.run(plan, input, signal)));
    if (signal.aborted) throw signal.reason;

    const deliveries = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
    const ids = [...deliveries.map((d) => d.requestId), ...failures.flatMap((f) => (f instanceof ProviderError && f.upstreamRequestId ? [f.upstreamRequestId] : []))];
    const upstreamRequestId = ids.length > 0 ? ids.join(",") : undefined;

    // Whatever was delivered is served (and paid for), even when a sibling submission failed.
    const images = deliveries.flatMap((d) => d.images);
    if (images.length > 0) return { images, upstreamRequestId };
    const failure = failures.find((f) => f instanceof ProviderError && f.kind === "input") ?? failures[0];
    if (failure !== undefined) throw failure;
    if (deliveries.some((d) => d.dropped > 0)) {
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, "fal's safety checker withheld every image of this request.", { upstreamRequestId });
    }
    return { images: [], upstreamRequestId };
  }

  /** One submission, from the queue to downloaded bytes. */
  private async run(plan: FalPlan, input: FalInput, signal: AbortSignal): Promise<Delivery> {
    const submitted = await readJson<Submitted>(NAME, (await this.send(`${this.queueUrl}/${plan.app}`, "POST", signal, undefined, input)).response);
    const requestId = typeof submitted.request_id === "string" ? submitted.request_id : undefined;
    if (!requestId) throw new ProviderError("upstream", "provider_error", "fal accepted the request without a request_id.");
    const statusUrl = this.ownUrl(submitted.status_url, "status_url", requestId);
    const responseUrl = this.ownUrl(submitted.response_url, "response_url", requestId);
    const cancelUrl = submitted.cancel_url === undefined ? undefined : this.ownUrl(submitted.cancel_url, "cancel_url", requestId);

    // Until the output is in hand, stopping (a cancel, a timeout, shutdown) cancels at fal too.
    const onAbort = () => cancelUrl && this.cancel(cancelUrl);
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    let output: Output;
    try {
      await this.untilCompleted(statusUrl, requestId, signal);
      output = await readJson<Output>(NAME, (await this.send(responseUrl, "GET", signal, requestId)).response, requestId);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    return this.download(plan, output, requestId, signal);
  }

  private async untilCompleted(statusUrl: string, requestId: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      const status = await readJson<Status>(NAME, (await this.send(statusUrl, "GET", signal, requestId)).response, requestId);
      if (status.status === "COMPLETED") return;
      if (status.status !== "IN_QUEUE" && status.status !== "IN_PROGRESS") {
        throw new ProviderError("upstream", "provider_error", `fal reported an unknown status ${JSON.stringify(status.status)}.`, { upstreamRequestId: requestId });
      }
      await sleep(pollIntervalMs(), signal);
    }
  }

  private async download(plan: FalPlan, output: Output, requestId: string, signal: AbortSignal): Promise<Delivery> {
    const listed: OutputImage[] = Array.isArray(output.images) ? (output.images as OutputImage[]) : [];
    const flagged: unknown[] = Array.isArray(output.has_nsfw_concepts) ? output.has_nsfw_concepts : [];
    const kept = listed.filter((_, index) => flagged[index] !== true);
    const accept = plan.svg ? ["image/svg+xml"] : undefined;
    const images = await Promise.all(
      kept.map(async (image): Promise<GeneratedImage> => {
        if (typeof image.url !== "string") throw new ProviderError("upstream", "provider_error", "fal returned an image without a URL.", { upstreamRequestId: requestId });
        const said = typeof image.content_type === "string" ? image.content_type : plan.svg ? "image/svg+xml" : "image/png";
        const fetched = image.url.startsWith("data:")
          ? { bytes: decodeBase64Image(NAME, image.url), contentType: said }
          : await downloadResult(NAME, image.url, { trustedOrigin: this.origin, signal, accept, fetcher: this.fetcher }).catch((error: unknown) => {
              throw withRequestId(error, requestId);
            });
        return {
          bytes: fetched.bytes,
          contentType: fetched.contentType || said,
          width: typeof image.width === "number" ? image.width : 0,
          height: typeof image.height === "number" ? image.height : 0,
        };
      }),
    );
    return { images, dropped: listed.length - kept.length, requestId };
  }

  private async send(url: string, method: "GET" | "POST", signal: AbortSignal, requestId?: string, body?: FalInput) {
    const headers: Record<string, string> = { authorization: `Key ${this.key}`, accept: "application/json" };
    if (body) headers["content-type"] = "application/json";
    try {
      return await sendUpstream(NAME, url, { method, headers, body: body ? JSON.stringify(body) : undefined, signal }, { classify: classifyFal });
    } catch (error) {
      throw withRequestId(error, requestId);
    }
  }

  /** Fire and forget: the job is already over for us; fal stops billing a request it cancels. */
  private cancel(cancelUrl: string): void {
    void fetch(cancelUrl, { method: "PUT", headers: { authorization: `Key ${this.key}` }, signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS), redirect: "error" })
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
  }

  /** A queue URL fal answered, accepted only on the configured origin: our key goes with it. */
  private ownUrl(value: unknown, field: string, requestId: string): string {
    let url: URL | undefined;
    try {
      url = typeof value === "string" ? new URL(value) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || url.origin !== this.origin) {
      throw new ProviderError("upstream", "provider_error", `fal answered a ${field} outside ${this.origin}.`, { upstreamRequestId: requestId });
    }
    return url.href;
  }
}

/** fal's own error bodies, read before the usual meaning of the status. */
function classifyFal(status: number, body: string): ProviderError | undefined {
  if (status === 422) {
    const types = detailTypes(body);
    const message = errorDetail(body) || "fal rejected the request.";
    if (types.includes("content_policy_violation")) return new ProviderError("input", CONTENT_POLICY_VIOLATION, `fal refused the request: ${message}`);
    return new ProviderError("input", "invalid_request", `fal rejected the request: ${message}`);
  }
  if (status === 403 && /balance|billing|credit/i.test(body)) {
    return new ProviderError("credit", "provider_out_of_credit", `fal is out of credit: ${errorDetail(body)}`);
  }
  return undefined;
}

/** The `type` of each entry of a 422 `{detail: [...]}`. */
function detailTypes(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { detail?: unknown };
    return Array.isArray(parsed.detail) ? parsed.detail.flatMap((d) => (d && typeof d === "object" && typeof (d as { type?: unknown }).type === "string" ? [(d as { type: string }).type] : [])) : [];
  } catch {
    return [];
  }
}

function withRequestId(error: unknown, requestId: string | undefined): unknown {
  if (!(error instanceof ProviderError) || !requestId || error.upstreamRequestId) return error;
  return new ProviderError(error.kind, error.code, error.message, { cause: error.cause, retryAfterMs: error.retryAfterMs, upstreamRequestId: requestId });
}
