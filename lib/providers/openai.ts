// OpenAI Images, for gpt-image-2. Speaks the documented Images API:
//   POST {OPENAI_BASE_URL}/images/generations  JSON {model, prompt, n, size, quality, output_format}
//   POST {OPENAI_BASE_URL}/images/edits        multipart, the references as `image[]` files
// both answering {created, data: [{b64_json}], usage}, authorised with `Authorization: Bearer`,
// the request id in `x-request-id`. Errors come as {error: {message, type, code, param}}.
import "server-only";
import type { ImageModel, Quality } from "@/lib/catalog";
import { decodeBase64Image, errorDetail, readJson, retryAfterMs, sendUpstream } from "./http";
import { describeImage } from "./image-bytes";
import { CONTENT_POLICY_VIOLATION, ProviderError, type ImageProvider, type ProviderRequest, type ProviderResult } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

const NAME = "OpenAI";
const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** Our model id → OpenAI's model name. */
const UPSTREAM_MODELS: Readonly<Record<string, string>> = { "gpt-image-2": "gpt-image-2" };

/** Documented limits of the GPT image models: n from 1 to 10, up to 16 edit images. */
const MAX_N = 10;
const MAX_EDIT_IMAGES = 16;
/** gpt-image-2 takes any WIDTHxHEIGHT with both sides multiples of 16, up to 3840×2160 pixels. */
const SIZE_STEP = 16;
const MAX_PIXELS = 3840 * 2160;

/** Error codes OpenAI answers when its moderation refuses a prompt or an image. */
const MODERATION_CODES = new Set(["moderation_blocked", "content_policy_violation"]);

type OpenAIError = { error?: { message?: string; type?: string; code?: string | null; param?: string | null } };
type ImagesResponse = { created?: number; data?: Array<{ b64_json?: string }> };

/**
 * The size OpenAI is sent. Every size our catalogue lists for gpt-image-2 (1024x1024,
 * 1024x1536, 1536x1024, 2048x2048) is sent as those pixels; "1:1" is 1024x1024.
 */
export function openaiSize(request: Pick<ProviderRequest, "width" | "height">): string | undefined {
  const { width, height } = request;
  const fits = width % SIZE_STEP === 0 && height % SIZE_STEP === 0 && width * height <= MAX_PIXELS;
  const ratio = width / height;
  return fits && ratio >= 1 / 3 && ratio <= 3 ? `${width}x${height}` : undefined;
}

function qualityOf(model: ImageModel, quality: Quality | undefined): Quality {
  return quality ?? (model.pricing.mode === "per_quality" ? model.pricing.defaultQuality : "medium");
}

/** OpenAI's own error codes first; everything else by status (401 → upstream, 5xx → transient). */
function classify(status: number, body: string, headers: Headers): ProviderError | undefined {
  let parsed: OpenAIError = {};
  try {
    parsed = JSON.parse(body) as OpenAIError;
  } catch {
    return undefined;
  }
  const code = parsed.error?.code ?? undefined;
  const requestId = headers.get("x-request-id") ?? undefined;
  const detail = errorDetail(body);
  if (status === 400 && code && MODERATION_CODES.has(code)) {
    return new ProviderError("input", CONTENT_POLICY_VIOLATION, `OpenAI's moderation refused the request: ${detail}`, { upstreamRequestId: requestId });
  }
  if (status === 429 && code === "insufficient_quota") {
    return new ProviderError("credit", "provider_out_of_credit", `OpenAI is out of credit: ${detail}`, { upstreamRequestId: requestId });
  }
  if (status === 429) {
    return new ProviderError("transient", "provider_rate_limited", `OpenAI is rate limiting us: ${detail}`, {
      retryAfterMs: retryAfterMs(headers),
      upstreamRequestId: requestId,
    });
  }
  return undefined;
}

class OpenAIImages implements ImageProvider {
  readonly id = "openai" as const;

  constructor(
    private readonly apiKey: string,
    private readonly base: string,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    if (!UPSTREAM_MODELS[request.model.id]) return `OpenAI does not serve ${request.model.id}`;
    if (!openaiSize(request)) return `OpenAI has no ${request.width}x${request.height} size`;
    if (request.n > MAX_N) return `OpenAI makes at most ${MAX_N} images per request`;
    if (request.references.length > MAX_EDIT_IMAGES) return `OpenAI takes at most ${MAX_EDIT_IMAGES} reference images`;
    return undefined;
  }

  async generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const params = {
      model: UPSTREAM_MODELS[request.model.id]!,
      prompt: request.prompt,
      n: request.n,
      size: openaiSize(request)!,
      quality: qualityOf(request.model, request.quality),
      output_format: "png",
    };
    const headers = { authorization: `Bearer ${this.apiKey}` };
    let init: RequestInit & { signal: AbortSignal };
    let url: string;
    if (request.references.length === 0) {
      url = `${this.base}/images/generations`;
      init = { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(params), signal };
    } else {
      // Edits are multipart: numbers as strings, each reference an `image[]` file.
      url = `${this.base}/images/edits`;
      const form = new FormData();
      for (const [name, value] of Object.entries(params)) form.append(name, String(value));
      request.references.forEach((reference, index) => {
        const extension = reference.contentType.split("/")[1] ?? "png";
        form.append("image[]", new Blob([new Uint8Array(reference.bytes)], { type: reference.contentType }), `reference-${index + 1}.${extension}`);
      });
      init = { method: "POST", headers, body: form, signal };
    }

    const { response, requestId } = await sendUpstream(NAME, url, init, { requestIdHeader: "x-request-id", classify });
    const answer = await readJson<ImagesResponse>(NAME, response, requestId);
    const encoded = (answer.data ?? []).map((item) => item.b64_json).filter((data): data is string => typeof data === "string" && data !== "");
    if (encoded.length === 0) {
      throw new ProviderError("upstream", "no_images", "OpenAI answered without an image.", { upstreamRequestId: requestId });
    }
    const images = await Promise.all(encoded.map((data) => describeImage(NAME, decodeBase64Image(NAME, data), requestId)));
    return { images, upstreamRequestId: requestId };
  }
}

export const openaiUpstream: Upstream = {
  id: "openai",
  name: "OpenAI Images",
  variables: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["OPENAI_API_KEY"]),
  create: (env: Env) => new OpenAIImages(env.OPENAI_API_KEY!.trim(), baseUrl(env, "OPENAI_BASE_URL", DEFAULT_BASE_URL)),
};
