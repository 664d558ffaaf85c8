// Which fal app serves each catalogue model, and how one of our requests becomes that app's JSON
// input: the size written the way the app takes it, references as data URIs, and `n` either as
// `num_images` or — for apps without it — as one submission per image.
import type { ProviderRequest, ReferenceImage } from "../types";

/** The input of one submission to one fal app. */
export type FalInput = Record<string, unknown>;

export type FalPlan = {
  /** The fal app id, posted to `{FAL_QUEUE_URL}/{app}`. */
  app: string;
  /** One input per submission: a single one when the app takes `num_images`. */
  submissions: FalInput[];
  /** The app answers SVG documents (Recraft's vector apps). */
  svg: boolean;
};

type ImageSize = string | { width: number; height: number };

// fal's `image_size` presets for ~1 MP outputs; 21:9 has no preset and is sent as pixels.
const IMAGE_SIZE_PRESETS: Record<string, ImageSize> = {
  "1:1": "square_hd",
  "16:9": "landscape_16_9",
  "9:16": "portrait_16_9",
  "4:3": "landscape_4_3",
  "3:4": "portrait_4_3",
  "21:9": { width: 1536, height: 640 },
};

// Recraft V4 Pro's ~4 MP sizes, sent as pixels (the presets are ~1 MP).
const RECRAFT_PRO_SIZES: Record<string, ImageSize> = {
  "1:1": { width: 2048, height: 2048 },
  "16:9": { width: 2688, height: 1536 },
  "9:16": { width: 1536, height: 2688 },
  "4:3": { width: 2304, height: 1792 },
  "3:4": { width: 1792, height: 2304 },
  "21:9": { width: 3072, height: 1280 },
};

// Ideogram 3.0 takes only its own resolutions; each of ours is one of them.
const IDEOGRAM_SIZES: Record<string, ImageSize> = {
  "1:1": { width: 1024, height: 1024 },
  "16:9": { width: 1344, height: 768 },
  "9:16": { width: 768, height: 1344 },
  "4:3": { width: 1152, height: 896 },
  "3:4": { width: 896, height: 1152 },
  "21:9": { width: 1536, height: 640 },
};

// `aspect_ratio` strings: FLUX Kontext, FLUX1.1 Ultra and Nano Banana take all six of ours;
// Imagen 4 has no 21:9 (neither has our catalogue for it).
const FLUX_RATIOS: Record<string, string> = { "1:1": "1:1", "16:9": "16:9", "9:16": "9:16", "4:3": "4:3", "3:4": "3:4", "21:9": "21:9" };
const GEMINI_RATIOS: Record<string, string> = FLUX_RATIOS;
const IMAGEN_RATIOS: Record<string, string> = { "1:1": "1:1", "16:9": "16:9", "9:16": "9:16", "4:3": "4:3", "3:4": "3:4" };

/** FLUX.2 takes any size whose sides are multiples of 16. */
const FLUX2_STEP = 16;
/** fal's flux-2-pro/edit takes at most this many references (as Black Forest Labs' own API). */
const FLUX2_EDIT_MAX_REFERENCES = 8;
/** Nano Banana's edit apps take up to this many `image_urls`. */
const GEMINI_EDIT_MAX_REFERENCES = 10;
/** FLUX Kontext, Ultra, Ideogram, Imagen and Nano Banana take 1–4 `num_images`. */
const MAX_NUM_IMAGES = 4;

type Mapping = {
  /** The app for a text-only request, and (when the model edits) the one for references. */
  text?: string;
  edit?: string;
  /** Edit apps taking several references where `edit` takes one (FLUX Kontext). */
  multiEdit?: string;
  maxReferences: number;
  build: (request: ProviderRequest, ratio: string) => FalInput | string;
  /** False when the app has no `num_images`: one submission per image. */
  numImages: boolean;
  svg?: boolean;
};

/** The app id of every catalogue model fal serves, in one place. */
export const FAL_APPS: Readonly<Record<string, Mapping>> = {
  "recraft-v3": { text: "fal-ai/recraft/v3/text-to-image", maxReferences: 0, numImages: false, build: (r, ratio) => sized(r, IMAGE_SIZE_PRESETS, ratio) },
  "recraft-v4": { text: "fal-ai/recraft/v4/text-to-image", maxReferences: 0, numImages: false, build: (r, ratio) => sized(r, IMAGE_SIZE_PRESETS, ratio) },
  "recraft-v4-pro": { text: "fal-ai/recraft/v4/pro/text-to-image", maxReferences: 0, numImages: false, build: (r, ratio) => sized(r, RECRAFT_PRO_SIZES, ratio) },
  "recraft-v4-vector": { text: "fal-ai/recraft/v4/text-to-vector", maxReferences: 0, numImages: false, svg: true, build: (r, ratio) => sized(r, IMAGE_SIZE_PRESETS, ratio) },
  "recraft-v4-vector-pro": { text: "fal-ai/recraft/v4/pro/text-to-vector", maxReferences: 0, numImages: false, svg: true, build: (r, ratio) => sized(r, RECRAFT_PRO_SIZES, ratio) },
  "flux-2-pro": {
    text: "fal-ai/flux-2-pro",
    edit: "fal-ai/flux-2-pro/edit",
    maxReferences: FLUX2_EDIT_MAX_REFERENCES,
    numImages: false,
    build: (r) => ({
      prompt: r.prompt,
      image_size: { width: nearestStep(r.width), height: nearestStep(r.height) },
      ...references(r, "image_urls"),
      ...seeded(r),
      output_format: "png",
    }),
  },
  "flux-kontext-pro": {
    edit: "fal-ai/flux-pro/kontext",
    multiEdit: "fal-ai/flux-pro/kontext/multi",
    maxReferences: 4,
    numImages: true,
    build: (r, ratio) =>
      ratioed(r, FLUX_RATIOS, ratio, { ...(r.references.length > 1 ? references(r, "image_urls") : references(r, "image_url")), ...seeded(r), output_format: "png" }),
  },
  "flux-1.1-ultra": {
    text: "fal-ai/flux-pro/v1.1-ultra",
    maxReferences: 0,
    numImages: true,
    build: (r, ratio) => ratioed(r, FLUX_RATIOS, ratio, { ...seeded(r), output_format: "png" }),
  },
  "ideogram-v3": { text: "fal-ai/ideogram/v3", maxReferences: 0, numImages: true, build: (r, ratio) => sized(r, IDEOGRAM_SIZES, ratio, seeded(r)) },
  "imagen-4-fast": { text: "fal-ai/imagen4/preview/fast", maxReferences: 0, numImages: true, build: (r, ratio) => ratioed(r, IMAGEN_RATIOS, ratio, seeded(r)) },
  "imagen-4": { text: "fal-ai/imagen4/preview", maxReferences: 0, numImages: true, build: (r, ratio) => ratioed(r, IMAGEN_RATIOS, ratio, seeded(r)) },
  "imagen-4-ultra": { text: "fal-ai/imagen4/preview/ultra", maxReferences: 0, numImages: true, build: (r, ratio) => ratioed(r, IMAGEN_RATIOS, ratio, seeded(r)) },
  "nano-banana": {
    text: "fal-ai/nano-banana",
    edit: "fal-ai/nano-banana/edit",
    maxReferences: GEMINI_EDIT_MAX_REFERENCES,
    numImages: true,
    build: (r, ratio) => ratioed(r, GEMINI_RATIOS, ratio, { ...references(r, "image_urls"), output_format: "png" }),
  },
  "nano-banana-3-flash": {
    text: "fal-ai/nano-banana-2",
    edit: "fal-ai/nano-banana-2/edit",
    maxReferences: GEMINI_EDIT_MAX_REFERENCES,
    numImages: true,
    build: (r, ratio) => ratioed(r, GEMINI_RATIOS, ratio, { ...references(r, "image_urls"), ...seeded(r), output_format: "png" }),
  },
};

/** The submissions for `request`, or why fal cannot take it (the provider is then skipped). */
export function planFal(request: ProviderRequest): FalPlan | string {
  const mapping = FAL_APPS[request.model.id];
  if (!mapping) return `fal serves no app for ${request.model.id}`;
  const count = request.references.length;
  if (count > mapping.maxReferences) {
    return `fal's ${mapping.edit ?? mapping.text} takes at most ${mapping.maxReferences} reference images, not ${count}`;
  }
  const app = count === 0 ? mapping.text : count > 1 && mapping.multiEdit ? mapping.multiEdit : mapping.edit;
  if (!app) return `fal has no app for ${request.model.id} ${count === 0 ? "without" : "with"} a reference image`;

  const input = mapping.build(request, aspectRatio(request));
  if (typeof input === "string") return input;
  if (mapping.numImages) {
    if (request.n > MAX_NUM_IMAGES) return `fal's ${app} makes at most ${MAX_NUM_IMAGES} images a request`;
    return { app, svg: mapping.svg ?? false, submissions: [{ ...input, num_images: request.n }] };
  }
  // No `num_images`: one submission per image, each with its own seed so they differ.
  const submissions = Array.from({ length: request.n }, (_, index) =>
    request.seed === undefined || input.seed === undefined ? { ...input } : { ...input, seed: request.seed + index },
  );
  return { app, svg: mapping.svg ?? false, submissions };
}

/** The catalogue's aspect ratio of the resolved size, or "WxH" for a custom size. */
function aspectRatio(request: ProviderRequest): string {
  const listed = request.model.sizes.find((s) => s.width === request.width && s.height === request.height);
  return listed?.size ?? `${request.width}x${request.height}`;
}

function sized(request: ProviderRequest, table: Record<string, ImageSize>, ratio: string, extra: FalInput = {}): FalInput | string {
  const imageSize = table[ratio];
  if (imageSize === undefined) return `fal's app for ${request.model.id} has no size for ${ratio}`;
  return { prompt: request.prompt, image_size: imageSize, ...extra };
}

function ratioed(request: ProviderRequest, table: Record<string, string>, ratio: string, extra: FalInput = {}): FalInput | string {
  const aspect = table[ratio];
  if (aspect === undefined) return `fal's app for ${request.model.id} has no aspect ratio ${ratio}`;
  return { prompt: request.prompt, aspect_ratio: aspect, ...extra };
}

function seeded(request: ProviderRequest): FalInput {
  return request.seed === undefined ? {} : { seed: request.seed };
}

function references(request: ProviderRequest, field: "image_url" | "image_urls"): FalInput {
  if (request.references.length === 0) return {};
  // We hold the bytes, not a public URL: fal takes base64 data URIs in its image URL fields.
  if (field === "image_url") return { image_url: dataUri(request.references[0]!) };
  return { image_urls: request.references.map(dataUri) };
}

export function dataUri(reference: ReferenceImage): string {
  return `data:${reference.contentType};base64,${reference.bytes.toString("base64")}`;
}

/** The nearest multiple of 16 within FLUX.2's 256–2048 bounds. */
function nearestStep(side: number): number {
  return Math.min(2048, Math.max(256, Math.round(side / FLUX2_STEP) * FLUX2_STEP));
}
