// Google Vertex AI, for Imagen 4 (imagen-4-fast, imagen-4, imagen-4-ultra). Speaks the documented
// Imagen predict endpoint:
//   POST {VERTEX_BASE_URL}/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:predict
//   {instances: [{prompt}], parameters: {sampleCount, aspectRatio, …}}
// answering {predictions: [{bytesBase64Encoded, mimeType} | {raiFilteredReason}]}, authorised with
// an OAuth access token of a service account (./vertex/auth.ts). Errors come as
// {error: {code, message, status}}.
import "server-only";
import { decodeBase64Image, errorDetail, readJson, sendUpstream } from "./http";
import { describeImage } from "./image-bytes";
import { CONTENT_POLICY_VIOLATION, ProviderError, type ImageProvider, type ProviderRequest, type ProviderResult } from "./types";
import { baseUrl, requireVariables, type Env, type Upstream } from "./upstream";
import { ServiceAccountTokens } from "./vertex/auth";

const NAME = "Vertex AI";
const DEFAULT_LOCATION = "us-central1";

/** Our model id → the Imagen model on Vertex AI. */
const UPSTREAM_MODELS: Readonly<Record<string, string>> = {
  "imagen-4-fast": "imagen-4.0-fast-generate-001",
  "imagen-4": "imagen-4.0-generate-001",
  "imagen-4-ultra": "imagen-4.0-ultra-generate-001",
};

/** Every Imagen 4 model returns at most 4 images per request. */
const MAX_SAMPLES = 4;

/**
 * Our sizes (width × height) → Imagen's aspect ratio. Imagen draws each at its own pixels
 * (16:9 is 1408×768, 4:3 is 1280×896); it has no 21:9, which our Imagen sizes leave out.
 */
const ASPECT_RATIOS: Readonly<Record<string, string>> = {
  "1024x1024": "1:1",
  "1344x768": "16:9",
  "768x1344": "9:16",
  "1152x896": "4:3",
  "896x1152": "3:4",
};

/** Imagen refuses a prompt its safety filter flags with a 400 whose message says so. */
const RAI_REFUSAL = /responsible ai|sensitive words|safety (filter|setting)|violat/i;

type Prediction = { bytesBase64Encoded?: string; mimeType?: string; raiFilteredReason?: string };
type PredictResponse = { predictions?: Prediction[] };
type GoogleError = { error?: { code?: number; message?: string; status?: string } };

export function imagenAspectRatio(request: Pick<ProviderRequest, "width" | "height">): string | undefined {
  return ASPECT_RATIOS[`${request.width}x${request.height}`];
}

/** Vertex AI refused our access token (401): revoked before its expiry, or the key rotated. */
class TokenRefused extends ProviderError {}

function classify(status: number, body: string): ProviderError | undefined {
  if (status === 401) return new TokenRefused("upstream", "provider_auth_failed", "Vertex AI refused our access token (HTTP 401).");
  let parsed: GoogleError;
  try {
    parsed = JSON.parse(body) as GoogleError;
  } catch {
    return undefined;
  }
  const detail = errorDetail(body);
  if (status === 400 && RAI_REFUSAL.test(parsed.error?.message ?? "")) {
    return new ProviderError("input", CONTENT_POLICY_VIOLATION, `Imagen's safety filter refused the prompt: ${detail}`);
  }
  // Billing disabled or the billing account closed: the operator's account, like running dry.
  if (parsed.error?.status === "FAILED_PRECONDITION" && /billing/i.test(parsed.error.message ?? "")) {
    return new ProviderError("credit", "provider_out_of_credit", `Vertex AI billing is not active: ${detail}`);
  }
  if (parsed.error?.status === "FAILED_PRECONDITION") return new ProviderError("upstream", "provider_error", `Vertex AI cannot serve us: ${detail}`);
  return undefined;
}

class VertexImagen implements ImageProvider {
  readonly id = "vertex" as const;

  constructor(
    private readonly project: string,
    private readonly location: string,
    private readonly base: string,
    private readonly tokens: ServiceAccountTokens,
  ) {}

  unableToServe(request: ProviderRequest): string | undefined {
    if (!UPSTREAM_MODELS[request.model.id]) return `Vertex AI does not serve ${request.model.id}`;
    if (!imagenAspectRatio(request)) return `Imagen has no ${request.width}x${request.height} size`;
    if (request.n > MAX_SAMPLES) return `Imagen makes at most ${MAX_SAMPLES} images per request`;
    if (request.references.length > 0) return "Imagen on Vertex AI takes no reference images here";
    return undefined;
  }

  async generate(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const model = UPSTREAM_MODELS[request.model.id]!;
    const parameters: Record<string, unknown> = {
      sampleCount: request.n,
      aspectRatio: imagenAspectRatio(request)!,
      // Filtered images then say why, instead of silently missing.
      includeRaiReason: true,
      outputOptions: { mimeType: "image/png" },
    };
    // A seed only works without the invisible watermark; Imagen takes 1 to 2^31 − 1.
    if (request.seed !== undefined) Object.assign(parameters, { seed: (request.seed % (2 ** 31 - 1)) + 1, addWatermark: false });

    const url = `${this.base}/v1/projects/${encodeURIComponent(this.project)}/locations/${encodeURIComponent(this.location)}/publishers/google/models/${model}:predict`;
    const body = JSON.stringify({ instances: [{ prompt: request.prompt }], parameters });
    const send = async () => {
      const token = await this.tokens.accessToken(signal);
      return sendUpstream(NAME, url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json; charset=utf-8" }, body, signal }, { classify });
    };
    let response: Response;
    try {
      ({ response } = await send());
    } catch (error) {
      // A cached token refused before its expiry was revoked: once more with a fresh one.
      if (!(error instanceof TokenRefused)) throw error;
      this.tokens.forget();
      ({ response } = await send());
    }
    const answer = await readJson<PredictResponse>(NAME, response);
    const predictions = answer.predictions ?? [];
    const drawn = predictions.filter((prediction) => prediction.bytesBase64Encoded);
    if (drawn.length === 0) {
      // Imagen answers a 200 without images when its filter removed every one of them.
      const reasons = [...new Set(predictions.map((prediction) => prediction.raiFilteredReason).filter(Boolean))];
      const why = reasons.length > 0 ? `: ${reasons.join("; ")}` : "";
      throw new ProviderError("input", CONTENT_POLICY_VIOLATION, `Imagen's safety filter removed every image${why}`);
    }
    const images = await Promise.all(drawn.map((prediction) => describeImage(NAME, decodeBase64Image(NAME, prediction.bytesBase64Encoded!))));
    return { images };
  }
}

export const vertexUpstream: Upstream = {
  id: "vertex",
  name: "Google Vertex AI (Imagen)",
  variables: ["GOOGLE_VERTEX_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_VERTEX_LOCATION", "VERTEX_BASE_URL", "GOOGLE_TOKEN_URL"],
  disabledReason: (env: Env) => requireVariables(env, ["GOOGLE_VERTEX_PROJECT", "GOOGLE_APPLICATION_CREDENTIALS"]),
  create: (env: Env) => {
    const location = env.GOOGLE_VERTEX_LOCATION?.trim() || DEFAULT_LOCATION;
    // The global location has no regional host.
    const host = location === "global" ? "https://aiplatform.googleapis.com" : `https://${location}-aiplatform.googleapis.com`;
    return new VertexImagen(
      env.GOOGLE_VERTEX_PROJECT!.trim(),
      location,
      baseUrl(env, "VERTEX_BASE_URL", host),
      new ServiceAccountTokens(env.GOOGLE_APPLICATION_CREDENTIALS!.trim(), env.GOOGLE_TOKEN_URL?.trim() || undefined),
    );
  },
};
