import "server-only";
import type { AspectRatio } from "@/lib/catalog";
import { downloadResult, errorDetail, readJson, sendUpstream } from "./http";
import { aspectRatioOf, asProviderError, withRequestId } from "./request-shape";
import { CONTENT_POLICY_VIOLATION, ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

// Ideogram, through its own API (https://developer.ideogram.ai). It speaks one documented
// endpoint:
//   POST {IDEOGRAM_BASE_URL}/v1/ideogram-v3/generate, header `Api-Key`, a multipart form
//        (prompt, aspect_ratio | resolution, num_images, rendering_speed, magic_prompt, seed)
//        → `{ created, data: [{ url, is_image_safe, resolution, seed, prompt }] }`
// Images Ideogram marks unsafe are left out; when all are, the job fails as moderated. Image
// URLs are ephemeral: each is downloaded at once.
//
// Failures: 422 (the prompt failed Ideogram's safety check) → content_policy_violation;
// 400 → the input (the job fails); 401/403 → our key (next provider); 402 → out of credit;
// 429 and 5xx → transient.

const NAME = "Ideogram";
const DEFAULT_BASE_URL = "https://api.ideogram.ai";

// Ideogram writes aspect ratios "16x9"; it has no 21:9 ratio, but lists 1536x640 — our 21:9 —
// among its resolutions, so that one is sent as a resolution.
const SIZES: Record<AspectRatio, { aspect_ratio: string } | { resolution: string }> = {
  "1:1": { aspect_ratio: "1x1" },
  "16:9": { aspect_ratio: "16x9" },
  "9:16": { aspect_ratio: "9x16" },
  "4:3": { aspect_ratio: "4x3" },
  "3:4": { aspect_ratio: "3x4" },
  "21:9": { resolution: "1536x640" },
};

/** ideogram-v3 has no quality setting of ours: Ideogram's own default speed (TURBO/DEFAULT/QUALITY). */
const RENDERING_SPEED = "DEFAULT";

/** The form fields Ideogram is sent for `request`, in order. */
export function ideogramFields(request: ProviderRequest): Array<[string, string]> {
  const fields: Array<[string, string]> = [["prompt", request.prompt]];
  for (const [name, value] of Object.entries(SIZES[aspectRatioOf(request)])) fields.push([name, value]);
  fields.push(["num_images", String(request.n)]);
  fields.push(["rendering_speed", RENDERING_SPEED]);
  // The caller's prompt is used as written: typography depends on it.
  fields.push(["magic_prompt", "OFF"]);
  if (request.seed !== undefined) fields.push(["seed", String(request.seed)]);
  return fields;
}

function classify(status: number, body: string): ProviderError | undefined {
  if (status === 422) return new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} refused the prompt under its content policy: ${errorDetail(body)}`);
  return undefined; // the usual meaning of the status
}

type Answer = { data?: Array<{ url?: unknown; is_image_safe?: unknown; resolution?: unknown }> };

class IdeogramProvider implements ImageProvider {
  readonly id = "ideogram" as const;

  constructor(
    private readonly key: string,
    private readonly base: string,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    return request.model.id === "ideogram-v3" ? undefined : `Ideogram does not serve ${request.model.id}`;
  }

  async generate(request: ProviderRequest, signal: AbortSignal) {
    const form = new FormData();
    for (const [name, value] of ideogramFields(request)) form.append(name, value);
    const { response, requestId } = await sendUpstream(NAME, `${this.base}/v1/ideogram-v3/generate`, {
      method: "POST",
      headers: { "api-key": this.key, accept: "application/json" },
      body: form,
      signal,
    }, { requestIdHeader: "x-request-id", classify });
    const answer = await readJson<Answer>(NAME, response, requestId);
    const items = Array.isArray(answer.data) ? answer.data : [];
    const safe = items.filter((item) => item.is_image_safe !== false);
    if (items.length > 0 && safe.length === 0) {
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} withheld every image as unsafe.`, { upstreamRequestId: requestId });
    }
    const downloads = await Promise.allSettled(safe.map((item) => this.download(item, request, signal)));
    if (signal.aborted) throw signal.reason;
    const images = downloads.flatMap((download) => (download.status === "fulfilled" ? [download.value] : []));
    const failure = downloads.find((download) => download.status === "rejected");
    if (images.length === 0 && failure) throw withRequestId(asProviderError(NAME, failure.reason), requestId);
    return { images, upstreamRequestId: requestId };
  }

  private async download(item: NonNullable<Answer["data"]>[number], request: ProviderRequest, signal: AbortSignal): Promise<GeneratedImage> {
    if (typeof item.url !== "string" || !item.url) throw new ProviderError("upstream", "provider_error", `${NAME} answered an image without a URL.`);
    const downloaded = await downloadResult(NAME, item.url, { trustedOrigin: this.base, signal });
    const [width, height] = typeof item.resolution === "string" ? item.resolution.split("x").map(Number) : [];
    return { bytes: downloaded.bytes, contentType: downloaded.contentType || "image/png", width: width || request.width, height: height || request.height };
  }
}

export const ideogramUpstream: Upstream = {
  id: "ideogram",
  name: "Ideogram",
  variables: ["IDEOGRAM_API_KEY", "IDEOGRAM_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["IDEOGRAM_API_KEY"]),
  create: (env: Env) => new IdeogramProvider(env.IDEOGRAM_API_KEY!.trim(), baseUrl(env, "IDEOGRAM_BASE_URL", DEFAULT_BASE_URL)),
};
