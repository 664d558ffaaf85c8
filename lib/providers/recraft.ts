import "server-only";
import type { AspectRatio } from "@/lib/catalog";
import { decodeBase64Image, downloadResult, errorDetail, readJson, sendUpstream } from "./http";
import { aspectRatioOf, asProviderError, withRequestId } from "./request-shape";
import { CONTENT_POLICY_VIOLATION, ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

// Recraft, through its own API (https://www.recraft.ai/docs/api-reference). It speaks one
// documented endpoint:
//   POST {RECRAFT_BASE_URL}/v1/images/generations, `Authorization: Bearer …`, a JSON body
//        `{ prompt, model, n, size, response_format: "url" }` → `{ created, data: [{ url }] }`
// `size` is one of the sizes Recraft lists for that model ("WxH" for raster models, an aspect
// ratio "w:h" for vector models, which answer SVG). Result URLs are public, signed and
// temporary: each image is downloaded at once.
//
// Failures: 400/422 → the input (the job fails), or moderation when Recraft says the content is
// inappropriate; 401/403 → our token (next provider); 402 or "not enough credits" → out of
// credit (operator alert, next provider); 429 and 5xx → transient.

const NAME = "Recraft";
const DEFAULT_BASE_URL = "https://external.api.recraft.ai";

type Sizes = Record<AspectRatio, string>;

// Each of our aspect ratios, mapped explicitly to the nearest size Recraft takes for the model.
// Recraft has no 21:9: its 2:1 is the nearest. Its V3 sizes are not V4's (V3's 4:3 is 1365x1024).
const V4_SIZES: Sizes = { "1:1": "1024x1024", "16:9": "1344x768", "9:16": "768x1344", "4:3": "1216x896", "3:4": "896x1216", "21:9": "1536x768" };
const V4_PRO_SIZES: Sizes = { "1:1": "2048x2048", "16:9": "2688x1536", "9:16": "1536x2688", "4:3": "2432x1792", "3:4": "1792x2432", "21:9": "3072x1536" };
const V3_SIZES: Sizes = { "1:1": "1024x1024", "16:9": "1820x1024", "9:16": "1024x1820", "4:3": "1365x1024", "3:4": "1024x1365", "21:9": "2048x1024" };
/** Vector models take an aspect ratio, not pixels. */
const VECTOR_ASPECTS: Sizes = { "1:1": "1:1", "16:9": "16:9", "9:16": "9:16", "4:3": "4:3", "3:4": "3:4", "21:9": "2:1" };

type RecraftModel = { name: string; sizes: Sizes; vector: boolean };

const RECRAFT_MODELS: Record<string, RecraftModel> = {
  "recraft-v4": { name: "recraftv4", sizes: V4_SIZES, vector: false },
  "recraft-v4-pro": { name: "recraftv4_pro", sizes: V4_PRO_SIZES, vector: false },
  "recraft-v4-vector": { name: "recraftv4_vector", sizes: VECTOR_ASPECTS, vector: true },
  "recraft-v4-vector-pro": { name: "recraftv4_pro_vector", sizes: VECTOR_ASPECTS, vector: true },
  "recraft-v3": { name: "recraftv3", sizes: V3_SIZES, vector: false },
};

/** The request body Recraft is sent for `request`. */
export function recraftBody(request: ProviderRequest): Record<string, unknown> {
  const model = RECRAFT_MODELS[request.model.id];
  if (!model) throw new ProviderError("upstream", "provider_error", `${NAME} does not serve ${request.model.id}.`);
  return { prompt: request.prompt, model: model.name, n: request.n, size: model.sizes[aspectRatioOf(request)], response_format: "url" };
}

const MODERATION = /inappropriate|nsfw|moderat|content[ _-]?polic|unsafe|prohibited/i;
const NO_CREDIT = /not[ _-]?enough[ _-]?credits|insufficient[ _-]?(credits|balance)/i;

/** Recraft's error body (`{ code, message }`) read before the status. */
function classify(status: number, body: string): ProviderError | undefined {
  if (NO_CREDIT.test(body)) return new ProviderError("credit", "provider_out_of_credit", `${NAME} is out of credit: ${errorDetail(body)}`);
  if ((status === 400 || status === 422) && MODERATION.test(body)) {
    return new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} refused the prompt under its content policy: ${errorDetail(body)}`);
  }
  return undefined; // the usual meaning of the status
}

type Answer = { data?: Array<{ url?: unknown; b64_json?: unknown; image_id?: unknown }> };

class RecraftProvider implements ImageProvider {
  readonly id = "recraft" as const;

  constructor(
    private readonly token: string,
    private readonly base: string,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    return RECRAFT_MODELS[request.model.id] ? undefined : `Recraft does not serve ${request.model.id}`;
  }

  async generate(request: ProviderRequest, signal: AbortSignal) {
    const model = RECRAFT_MODELS[request.model.id];
    const body = recraftBody(request);
    const { response, requestId } = await sendUpstream(NAME, `${this.base}/v1/images/generations`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal,
    }, { requestIdHeader: "x-request-id", classify });
    const answer = await readJson<Answer>(NAME, response, requestId);
    const items = Array.isArray(answer.data) ? answer.data : [];
    const [width, height] = String(body.size).includes("x") ? String(body.size).split("x").map(Number) : [request.width, request.height];
    const upstreamRequestId = requestId ?? (items.map((item) => item.image_id).filter((id) => typeof id === "string").join(",") || undefined);
    // Each image is downloaded on its own: the ones that arrive are delivered (and paid for).
    const downloads = await Promise.allSettled(items.map((item) => this.fetchImage(item, model!.vector, width!, height!, signal)));
    if (signal.aborted) throw signal.reason;
    const images = downloads.flatMap((download) => (download.status === "fulfilled" ? [download.value] : []));
    const failure = downloads.find((download) => download.status === "rejected");
    if (images.length === 0 && failure) throw withRequestId(asProviderError(NAME, failure.reason), upstreamRequestId);
    return { images, upstreamRequestId };
  }

  private async fetchImage(item: NonNullable<Answer["data"]>[number], vector: boolean, width: number, height: number, signal: AbortSignal): Promise<GeneratedImage> {
    const fallbackType = vector ? "image/svg+xml" : "image/png";
    if (typeof item.b64_json === "string") return { bytes: decodeBase64Image(NAME, item.b64_json), contentType: fallbackType, width, height };
    if (typeof item.url !== "string") throw new ProviderError("upstream", "provider_error", `${NAME} answered an image without a URL.`);
    const downloaded = await downloadResult(NAME, item.url, {
      trustedOrigin: this.base,
      signal,
      accept: vector ? ["image/svg+xml"] : undefined,
    });
    return { bytes: downloaded.bytes, contentType: downloaded.contentType || fallbackType, width, height };
  }
}

export const recraftUpstream: Upstream = {
  id: "recraft",
  name: "Recraft",
  variables: ["RECRAFT_API_TOKEN", "RECRAFT_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["RECRAFT_API_TOKEN"]),
  create: (env: Env) => new RecraftProvider(env.RECRAFT_API_TOKEN!.trim(), baseUrl(env, "RECRAFT_BASE_URL", DEFAULT_BASE_URL)),
};
