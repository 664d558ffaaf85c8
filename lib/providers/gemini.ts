// The Google Gemini API, for the Gemini image models (nano-banana, nano-banana-3-flash). Speaks
// the documented generateContent endpoint:
//   POST {GEMINI_BASE_URL}/v1beta/models/{model}:generateContent   header x-goog-api-key
//   {contents: [{parts: [{text}, {inlineData: {mimeType, data}}…]}],
//    generationConfig: {responseModalities: ["IMAGE"], imageConfig: {aspectRatio}}}
// answering {candidates: [{content: {parts: [{inlineData}]}, finishReason}], promptFeedback,
// responseId}. One call makes one image, so n images are n calls. Errors come as
// {error: {code, message, status, details}}.
import "server-only";
import { decodeBase64Image, errorDetail, readJson, retryAfterMs, sendUpstream } from "./http";
import { describeImage } from "./image-bytes";
import { CONTENT_POLICY_VIOLATION, ProviderError, type GeneratedImage, type ImageProvider, type ProviderRequest, type ProviderResult } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";

const NAME = "Gemini API";
const DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/** Our model id → the Gemini image model it is, and how many reference images that model takes. */
const UPSTREAM_MODELS: Readonly<Record<string, { name: string; maxReferences: number }>> = {
  "nano-banana": { name: "gemini-2.5-flash-image", maxReferences: 3 },
  "nano-banana-3-flash": { name: "gemini-3.1-flash-image-preview", maxReferences: 14 },
};

/**
 * Our sizes (width × height) → the aspect ratio Gemini is asked for. Gemini draws each ratio at
 * its own pixels (16:9 is 1344×768, 4:3 is 1184×864); the stored image keeps what it drew.
 */
const ASPECT_RATIOS: Readonly<Record<string, string>> = {
  "1024x1024": "1:1",
  "1344x768": "16:9",
  "768x1344": "9:16",
  "1152x896": "4:3",
  "896x1152": "3:4",
  "1536x640": "21:9",
};

/** Why a 200 carried no image: these mean the prompt or the picture was moderated. */
const MODERATED = new Set(["SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST", "SPII"]);

type Part = { text?: string; inlineData?: { mimeType?: string; data?: string }; thought?: boolean };
type GenerateContentResponse = {
  candidates?: Array<{ content?: { parts?: Part[] }; finishReason?: string; finishMessage?: string }>;
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  responseId?: string;
};
type GoogleError = { error?: { code?: number; message?: string; status?: string; details?: Array<Record<string, unknown>> } };

export function geminiAspectRatio(request: Pick<ProviderRequest, "width" | "height">): string | undefined {
  return ASPECT_RATIOS[`${request.width}x${request.height}`];
}

/** Google's RetryInfo detail ("retryDelay": "17s") as milliseconds. */
function retryDelayMs(error: GoogleError["error"]): number | undefined {
  const info = error?.details?.find((detail) => String(detail["@type"]).endsWith("google.rpc.RetryInfo"));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(String(info?.retryDelay ?? ""));
  return match ? Math.min(Number(match[1]) * 1000, 60_000) : undefined;
}

/**
 * A bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID — our problem, not the user's;
 * FAILED_PRECONDITION (billing, region) is ours too. 429 carries its wait in RetryInfo.
 */
function classify(status: number, body: string, headers: Headers): ProviderError | undefined {
  let parsed: GoogleError;
  try {
    parsed = JSON.parse(body) as GoogleError;
  } catch {
    return undefined;
  }
  const error = parsed.error;
  const detail = errorDetail(body);
  const reasons = (error?.details ?? []).map((item) => item.reason);
  if (reasons.includes("API_KEY_INVALID")) return new ProviderError("upstream", "provider_auth_failed", `${NAME} refused our API key.`);
  if (error?.status === "FAILED_PRECONDITION") return new ProviderError("upstream", "provider_error", `${NAME} cannot serve us: ${detail}`);
  if (status === 429) {
    const wait = retryDelayMs(error) ?? retryAfterMs(headers);
    return new ProviderError("transient", "provider_rate_limited", `${NAME} is rate limiting us: ${detail}`, { retryAfterMs: wait });
  }
  return undefined;
}

class GeminiImages implements ImageProvider {
  readonly id = "gemini" as const;

  constructor(
    private readonly apiKey: string,
    private readonly base: string,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    const model = UPSTREAM_MODELS[request.model.id];
    if (!model) return `the Gemini API does not serve ${request.model.id}`;
    if (!geminiAspectRatio(request)) return `the Gemini API has no ${request.width}x${request.height} size`;
    if (request.references.length > model.maxReferences) return `${model.name} takes at most ${model.maxReferences} reference images`;
    return undefined;
  }

  async generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    // One image per call: n calls at once. What arrives is delivered (and paid for) even when
    // some calls fail; only when none brings an image does the request fail.
    const calls = await Promise.allSettled(Array.from({ length: request.n }, (_, index) => this.one(request, index, signal)));
    if (signal.aborted) throw signal.reason;
    const images: GeneratedImage[] = [];
    const ids: string[] = [];
    const failures: ProviderError[] = [];
    for (const call of calls) {
      if (call.status === "fulfilled") {
        images.push(call.value.image);
        if (call.value.id) ids.push(call.value.id);
      } else {
        failures.push(call.reason instanceof ProviderError ? call.reason : new ProviderError("upstream", "provider_error", `${NAME} failed.`, { cause: call.reason }));
      }
    }
    if (images.length > 0) return { images, upstreamRequestId: ids.join(",") || undefined };
    // The most telling failure: a moderation or bad input first, then one worth retrying.
    const rank = { input: 0, credit: 1, transient: 2, upstream: 3 } as const;
    throw failures.sort((a, b) => rank[a.kind] - rank[b.kind])[0]!;
  }

  private async one(request: ProviderRequest, index: number, signal: AbortSignal): Promise<{ image: GeneratedImage; id?: string }> {
    const model = UPSTREAM_MODELS[request.model.id]!;
    const parts: Part[] = [
      { text: request.prompt },
      ...request.references.map((reference) => ({ inlineData: { mimeType: reference.contentType, data: reference.bytes.toString("base64") } })),
    ];
    const generationConfig: Record<string, unknown> = {
      responseModalities: ["IMAGE"],
      imageConfig: { aspectRatio: geminiAspectRatio(request)! },
    };
    // Distinct seeds, so that n calls with one seed do not draw the same picture n times.
    if (request.seed !== undefined) generationConfig.seed = (request.seed + index) % 2 ** 31;
    const { response } = await sendUpstream(
      NAME,
      `${this.base}/v1beta/models/${model.name}:generateContent`,
      {
        method: "POST",
        headers: { "x-goog-api-key": this.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ parts }], generationConfig }),
        signal,
      },
      { classify },
    );
    const answer = await readJson<GenerateContentResponse>(NAME, response);
    const id = answer.responseId;
    const options = { upstreamRequestId: id };

    const blocked = answer.promptFeedback?.blockReason;
    if (blocked) {
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} blocked the prompt (${blocked}).`, options);
    }
    const candidate = answer.candidates?.[0];
    // Gemini 3 models may show interim "thought" images before the final one: those are skipped.
    const data = candidate?.content?.parts?.find((part) => !part.thought && part.inlineData?.data)?.inlineData?.data;
    if (data) return { image: await describeImage(NAME, decodeBase64Image(NAME, data), id), id };

    const reason = candidate?.finishReason ?? "no candidate";
    if (MODERATED.has(reason)) {
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `${NAME} refused to draw this (${reason}).`, options);
    }
    throw new ProviderError("upstream", "no_images", `${NAME} answered without an image (${reason}).`, options);
  }
}

export const geminiUpstream: Upstream = {
  id: "gemini",
  name: "Google Gemini API",
  variables: ["GEMINI_API_KEY", "GEMINI_BASE_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["GEMINI_API_KEY"]),
  create: (env: Env) => new GeminiImages(env.GEMINI_API_KEY!.trim(), baseUrl(env, "GEMINI_BASE_URL", DEFAULT_BASE_URL)),
};
