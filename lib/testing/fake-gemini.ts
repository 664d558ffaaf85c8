// A fake of the Gemini API's generateContent for image models
// (POST /v1beta/models/{model}:generateContent), strict as the real one: an unknown field is a
// 400 INVALID_ARGUMENT "Unknown name", a bad key a 400 with reason API_KEY_INVALID, an unknown
// model a 404. It draws one real PNG per call at the pixels Gemini uses for each aspect ratio,
// and each call takes the next behaviour from `script` (then "ok").
import sharp from "sharp";
import { imageBytes, startFakeServer, type FakeServer, type Received, type Reply } from "./fake-upstream";

export type GeminiBehaviour =
  | "ok"
  | "forbidden"
  | "invalid"
  | "server_error"
  | "unavailable"
  | "hang"
  /** promptFeedback.blockReason, no candidates. */
  | "blocked"
  /** A candidate with finishReason IMAGE_SAFETY and no image. */
  | "image_safety"
  /** A candidate with finishReason NO_IMAGE and a text part. */
  | "no_image"
  /** finishReason STOP, but only text came back. */
  | "text_only"
  | { rateLimit: { retryDelay: string } }
  | { size: { width: number; height: number } };

export type FakeGemini = FakeServer & {
  apiKey: string;
  script: GeminiBehaviour[];
  env: Record<string, string>;
  reset(): void;
};

const MODELS = new Set(["gemini-2.5-flash-image", "gemini-3.1-flash-image-preview", "gemini-3-pro-image-preview"]);
/** The pixels each aspect ratio is drawn at (Gemini's published table for its 1K images). */
export const GEMINI_PIXELS: Readonly<Record<string, [number, number]>> = {
  "1:1": [1024, 1024],
  "2:3": [832, 1248],
  "3:2": [1248, 832],
  "3:4": [864, 1184],
  "4:3": [1184, 864],
  "4:5": [896, 1152],
  "5:4": [1152, 896],
  "9:16": [768, 1344],
  "16:9": [1344, 768],
  "21:9": [1536, 672],
};

const REQUEST_FIELDS = ["contents", "generationConfig", "safetySettings", "systemInstruction", "tools", "toolConfig", "cachedContent"];
const CONTENT_FIELDS = ["parts", "role"];
const PART_FIELDS = ["text", "inlineData", "fileData", "thought", "thoughtSignature"];
const BLOB_FIELDS = ["mimeType", "data"];
const CONFIG_FIELDS = ["responseModalities", "imageConfig", "candidateCount", "seed", "temperature", "topP", "topK", "maxOutputTokens", "stopSequences", "thinkingConfig"];
const IMAGE_CONFIG_FIELDS = ["aspectRatio", "imageSize"];

class Invalid extends Error {}

function googleError(code: number, status: string, message: string, details?: unknown[]): Reply {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

function record(value: unknown, where: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(`Invalid value at '${where}': expected an object.`);
  for (const name of Object.keys(value)) {
    if (!allowed.includes(name)) throw new Invalid(`Invalid JSON payload received. Unknown name "${name}" at '${where}': Cannot find field.`);
  }
  return value as Record<string, unknown>;
}

type Checked = { aspectRatio: string; references: number };

async function checkBody(request: Received): Promise<Checked> {
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) throw new Invalid("Expected a JSON body.");
  const body = record(request.json, "", REQUEST_FIELDS);
  if (!Array.isArray(body.contents) || body.contents.length === 0) throw new Invalid("* GenerateContentRequest.contents: contents is not specified");
  let text = "";
  let references = 0;
  for (const [i, content] of body.contents.entries()) {
    const c = record(content, `contents[${i}]`, CONTENT_FIELDS);
    if (c.role !== undefined && c.role !== "user") throw new Invalid(`Invalid role ${String(c.role)}.`);
    if (!Array.isArray(c.parts) || c.parts.length === 0) throw new Invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    for (const [j, part] of c.parts.entries()) {
      const p = record(part, `contents[${i}].parts[${j}]`, PART_FIELDS);
      if (typeof p.text === "string") text += p.text;
      if (p.inlineData !== undefined) {
        const blob = record(p.inlineData, `contents[${i}].parts[${j}].inline_data`, BLOB_FIELDS);
        if (typeof blob.mimeType !== "string" || !/^image\/(png|jpeg|webp|heic|heif)$/.test(blob.mimeType)) throw new Invalid(`Unsupported MIME type: ${String(blob.mimeType)}`);
        const bytes = Buffer.from(String(blob.data ?? ""), "base64");
        const format = await sharp(bytes).metadata().then((meta) => meta.format, () => undefined);
        if (!format || `image/${format}` !== blob.mimeType) throw new Invalid("Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
        references++;
      }
    }
  }
  if (text.trim() === "") throw new Invalid("* GenerateContentRequest.contents: a text part is required.");
  const config = record(body.generationConfig ?? {}, "generation_config", CONFIG_FIELDS);
  const modalities = config.responseModalities;
  if (!Array.isArray(modalities) || !modalities.includes("IMAGE") || modalities.some((m) => m !== "IMAGE" && m !== "TEXT")) {
    throw new Invalid("Model only supports responseModalities including IMAGE.");
  }
  const imageConfig = record(config.imageConfig ?? {}, "generation_config.image_config", IMAGE_CONFIG_FIELDS);
  const aspectRatio = imageConfig.aspectRatio ?? "1:1";
  if (typeof aspectRatio !== "string" || !GEMINI_PIXELS[aspectRatio]) throw new Invalid(`Unsupported aspect ratio: ${String(aspectRatio)}.`);
  if (config.seed !== undefined && !Number.isInteger(config.seed)) throw new Invalid("Invalid value at 'generation_config.seed' (TYPE_INT32).");
  return { aspectRatio, references };
}

export async function startFakeGemini(options: { apiKey?: string } = {}): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? "AIza-test-fake-gemini";
  const script: GeminiBehaviour[] = [];
  let counter = 0;

  const server = await startFakeServer(async (request) => {
    const match = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(request.path);
    if (request.method !== "POST" || !match) return googleError(404, "NOT_FOUND", `Unknown path ${request.method} ${request.path}.`);
    const key = request.headers["x-goog-api-key"];
    if (!key) return googleError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    if (key !== apiKey) {
      return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
      ]);
    }
    if (!MODELS.has(match[1]!)) return googleError(404, "NOT_FOUND", `models/${match[1]} is not found for API version v1beta, or is not supported for generateContent.`);
    let checked: Checked;
    try {
      checked = await checkBody(request);
    } catch (error) {
      if (error instanceof Invalid) return googleError(400, "INVALID_ARGUMENT", error.message);
      throw error;
    }

    const responseId = `resp-fake-${++counter}`;
    const usageMetadata = { promptTokenCount: 12 + 258 * checked.references, candidatesTokenCount: 1290, totalTokenCount: 1302 + 258 * checked.references };
    const base = { modelVersion: match[1], responseId, usageMetadata };
    const behaviour = script.shift() ?? "ok";
    switch (behaviour) {
      case "forbidden":
        return googleError(403, "PERMISSION_DENIED", "Permission denied: Consumer has been suspended.");
      case "invalid":
        return googleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
      case "server_error":
        return googleError(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting");
      case "unavailable":
        return googleError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      case "hang":
        return { hang: true };
      case "blocked":
        return { body: { promptFeedback: { blockReason: "PROHIBITED_CONTENT" }, ...base } };
      case "image_safety":
        return { body: { candidates: [{ content: { role: "model" }, finishReason: "IMAGE_SAFETY", index: 0 }], ...base } };
      case "no_image":
        return { body: { candidates: [{ content: { role: "model", parts: [{ text: "I was unable to create that image." }] }, finishReason: "NO_IMAGE", index: 0 }], ...base } };
      case "text_only":
        return { body: { candidates: [{ content: { role: "model", parts: [{ text: "Here is a description instead." }] }, finishReason: "STOP", index: 0 }], ...base } };
      default:
        break;
    }
    if (typeof behaviour === "object" && "rateLimit" in behaviour) {
      return googleError(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: behaviour.rateLimit.retryDelay },
      ]);
    }
    const [width, height] = typeof behaviour === "object" && "size" in behaviour ? [behaviour.size.width, behaviour.size.height] : GEMINI_PIXELS[checked.aspectRatio]!;
    const bytes = await imageBytes(width, height, "png");
    const parts: unknown[] = [{ inlineData: { mimeType: "image/png", data: bytes.toString("base64") } }];
    // Gemini 3 image models think in pictures first: an interim draft precedes the answer.
    if (match[1]!.startsWith("gemini-3")) parts.unshift({ inlineData: { mimeType: "image/png", data: (await imageBytes(256, 256, "png")).toString("base64") }, thought: true });
    return {
      body: {
        candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
        ...base,
      },
    };
  });

  const reset = () => {
    script.length = 0;
    server.received.length = 0;
    counter = 0;
  };
  return { ...server, apiKey, script, env: { GEMINI_API_KEY: apiKey, GEMINI_BASE_URL: server.origin }, reset };
}
