// A fake of OpenAI's Images API (POST /v1/images/generations, POST /v1/images/edits), strict as
// the real one: a wrong key is a 401, an unknown or misspelt parameter or a value the GPT image
// models do not take is a 400 in OpenAI's error shape. It answers real PNG/JPEG/WebP bytes as
// base64, and each request takes the next behaviour from `script` (then "ok").
import sharp from "sharp";
import { FakeRejection, imageBytes, jsonObject, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export type OpenAIBehaviour =
  | "ok"
  | "unauthorized"
  | "invalid"
  | "moderation"
  /** The older moderation code, still documented. */
  | "content_policy"
  | "quota"
  | "server_error"
  | "hang"
  | "empty"
  | { rateLimit: { retryAfter?: string; retryAfterMs?: string } }
  /** Answer this many images whatever n was. */
  | { images: number }
  /** Answer images of this size instead of the one asked. */
  | { size: { width: number; height: number } };

export type FakeOpenAI = FakeServer & {
  apiKey: string;
  /** The base URL to set as OPENAI_BASE_URL. */
  baseUrl: string;
  script: OpenAIBehaviour[];
  env: Record<string, string>;
  /** Forgets what was received and scripted, and numbers request ids from 1 again. */
  reset(): void;
};

const MODELS = new Set(["gpt-image-1", "gpt-image-1-mini", "gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21"]);
const QUALITIES = new Set(["low", "medium", "high", "auto"]);
const FORMATS = new Set(["png", "jpeg", "webp"]);
const GENERATION_FIELDS = ["model", "n", "size", "quality", "output_format", "output_compression", "background", "moderation", "partial_images", "stream", "style", "response_format", "user"];
const EDIT_FIELDS = ["model", "n", "size", "quality", "output_format", "output_compression", "background", "input_fidelity", "partial_images", "stream", "user"];

type Params = { model: unknown; prompt: unknown; n: unknown; size: unknown; quality: unknown; output_format: unknown };

function openaiError(status: number, message: string, type: string, code: string | null, param: string | null = null, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { error: { message, type, param, code } } };
}

class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

function checkParams(params: Params): { n: number; width: number; height: number; format: "png" | "jpeg" | "webp" } {
  if (typeof params.prompt !== "string" || params.prompt === "") throw new InvalidRequest("prompt is required.", "prompt");
  if (typeof params.model !== "string" || !MODELS.has(params.model)) throw new InvalidRequest(`Invalid model ${String(params.model)}.`, "model");
  const n = params.n === undefined ? 1 : params.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 10) throw new InvalidRequest("n must be between 1 and 10.", "n");
  const size = /^(\d+)x(\d+)$/.exec(typeof params.size === "string" ? params.size : "");
  if (!size) throw new InvalidRequest(`Invalid size ${String(params.size)}.`, "size");
  const width = Number(size[1]);
  const height = Number(size[2]);
  if (width % 16 !== 0 || height % 16 !== 0 || width * height > 3840 * 2160 || width / height > 3 || height / width > 3) {
    throw new InvalidRequest(`Invalid size ${String(params.size)}: sides must be multiples of 16, at most 3840x2160, ratio within 1:3..3:1.`, "size");
  }
  if (params.quality !== undefined && !QUALITIES.has(String(params.quality))) throw new InvalidRequest(`Invalid quality ${String(params.quality)}.`, "quality");
  const format = params.output_format ?? "png";
  if (!FORMATS.has(String(format))) throw new InvalidRequest(`Invalid output_format ${String(format)}.`, "output_format");
  return { n, width, height, format: format as "png" | "jpeg" | "webp" };
}

/** The multipart edit's fields as generation parameters, numbers parsed as OpenAI does. */
async function editParams(request: Received): Promise<Params> {
  if (!request.fields || !request.files) throw new InvalidRequest("Expected multipart/form-data.", "image");
  const fields = new Map<string, string>();
  for (const { name, value } of request.fields) {
    if (name !== "prompt" && !EDIT_FIELDS.includes(name)) throw new InvalidRequest(`Unknown parameter: '${name}'.`, name);
    if (fields.has(name)) throw new InvalidRequest(`Duplicate parameter: '${name}'.`, name);
    fields.set(name, value);
  }
  const images = request.files.filter((file) => file.field === "image[]" || file.field === "image");
  const stray = request.files.find((file) => file.field !== "image[]" && file.field !== "image" && file.field !== "mask");
  if (stray) throw new InvalidRequest(`Unknown parameter: '${stray.field}'.`, stray.field);
  if (images.length === 0) throw new InvalidRequest("image is required.", "image");
  if (images.length > 16) throw new InvalidRequest("At most 16 images.", "image");
  for (const image of images) {
    const format = await sharp(image.bytes).metadata().then((meta) => meta.format, () => undefined);
    if (!format || !["png", "jpeg", "webp"].includes(format)) throw new InvalidRequest(`Invalid image file ${image.filename}.`, "image");
  }
  const n = fields.get("n");
  return {
    model: fields.get("model"),
    prompt: fields.get("prompt"),
    n: n === undefined ? undefined : /^\d+$/.test(n) ? Number(n) : n,
    size: fields.get("size"),
    quality: fields.get("quality"),
    output_format: fields.get("output_format"),
  };
}

export async function startFakeOpenAI(options: { apiKey?: string } = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? "sk-test-fake-openai";
  const script: OpenAIBehaviour[] = [];
  let counter = 0;

  const server = await startFakeServer(async (request) => {
    const requestId = `req_fake_${++counter}`;
    const ids = { "x-request-id": requestId };
    if (request.method !== "POST" || (request.path !== "/v1/images/generations" && request.path !== "/v1/images/edits")) {
      return openaiError(404, `Invalid URL (${request.method} ${request.path})`, "invalid_request_error", null);
    }
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return openaiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null, ids);
    }

    let params: Params;
    let checked: ReturnType<typeof checkParams>;
    try {
      if (request.path === "/v1/images/generations") {
        const body = jsonObject(request);
        for (const name of Object.keys(body)) {
          if (name !== "prompt" && !GENERATION_FIELDS.includes(name)) throw new InvalidRequest(`Unknown parameter: '${name}'.`, name);
        }
        params = body as Params;
      } else {
        params = await editParams(request);
      }
      checked = checkParams(params);
    } catch (error) {
      if (error instanceof InvalidRequest) return openaiError(400, error.message, "invalid_request_error", "invalid_value", error.param, ids);
      if (error instanceof FakeRejection) return openaiError(400, error.message, "invalid_request_error", null, null, ids);
      throw error;
    }

    const behaviour = script.shift() ?? "ok";
    switch (behaviour) {
      case "unauthorized":
        return openaiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null, ids);
      case "invalid":
        return openaiError(400, "Invalid value for 'size'.", "invalid_request_error", "invalid_value", "size", ids);
      case "moderation":
        return openaiError(400, "Your request was rejected by the safety system.", "image_generation_user_error", "moderation_blocked", null, ids);
      case "content_policy":
        return openaiError(400, "Your request was rejected as a result of our safety system.", "invalid_request_error", "content_policy_violation", null, ids);
      case "quota":
        return openaiError(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota", null, ids);
      case "server_error":
        return openaiError(500, "The server had an error while processing your request.", "server_error", null, null, ids);
      case "hang":
        return { hang: true };
      case "empty":
        return { headers: ids, body: { created: Math.floor(Date.now() / 1000), data: [] } };
      default:
        break;
    }
    if (typeof behaviour === "object" && "rateLimit" in behaviour) {
      const headers: Record<string, string> = { ...ids };
      if (behaviour.rateLimit.retryAfter) headers["retry-after"] = behaviour.rateLimit.retryAfter;
      if (behaviour.rateLimit.retryAfterMs) headers["retry-after-ms"] = behaviour.rateLimit.retryAfterMs;
      return openaiError(429, "Rate limit reached for images per minute.", "requests", "rate_limit_exceeded", null, headers);
    }
    const count = typeof behaviour === "object" && "images" in behaviour ? behaviour.images : checked.n;
    const size = typeof behaviour === "object" && "size" in behaviour ? behaviour.size : checked;
    const bytes = await imageBytes(size.width, size.height, checked.format);
    return {
      headers: ids,
      body: {
        created: Math.floor(Date.now() / 1000),
        background: "opaque",
        output_format: checked.format,
        quality: params.quality ?? "auto",
        size: `${size.width}x${size.height}`,
        data: Array.from({ length: count }, () => ({ b64_json: bytes.toString("base64") })),
        usage: { input_tokens: 50, output_tokens: 4160 * count, total_tokens: 50 + 4160 * count, input_tokens_details: { text_tokens: 50, image_tokens: 0 } },
      },
    };
  });

  const baseUrl = `${server.origin}/v1`;
  const reset = () => {
    script.length = 0;
    server.received.length = 0;
    counter = 0;
  };
  return { ...server, apiKey, baseUrl, script, env: { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: baseUrl }, reset };
}
