// Draws one image of the local renderer: a deterministic function of (model, prompt, seed,
// size, image index, references). Vector models get the SVG document itself; raster models get
// it rasterised by librsvg (through sharp) and encoded as a fast PNG.
import sharp, { type PngOptions } from "sharp";
import type { ImageModel } from "@/lib/catalog";
import type { GeneratedImage, ReferenceImage } from "../types";
import { layoutCaption } from "./caption";
import { buildPalette, words } from "./palette";
import { createRng, digest } from "./random";
import { editOverlay, placeReferences, cropPositions } from "./references";
import { chooseScene, drawScene } from "./scenes";
import { svgDocument } from "./svg";
import { cleanText, withoutEmoji } from "./text";

export type RenderInput = {
  model: ImageModel;
  /** The prompt with directives removed. */
  text: string;
  seed: number | undefined;
  width: number;
  height: number;
  /** Which image of the request (0-based): each index draws a different picture. */
  index: number;
  references: ReferenceImage[];
};

// Speed over size: zlib level 1 without filtering or palette search encodes a 1024×1024 flat
// illustration in ~3 ms (the flat fills still compress to ~100 KB). `effort` would turn on
// palette quantisation, so it is left unset.
const FAST_PNG: PngOptions = { compressionLevel: 1, adaptiveFiltering: false, palette: false };
const LIGHT_INK = "#f8f6f1";
// The longest side of the photo embedded in an SVG edit: enough to look right, small to ship.
const EMBEDDED_SIDE = 640;
// Bump when the drawing changes, so no cache (here or downstream) mixes two versions.
const VERSION = "easel-local/1";

export async function renderLocalImage(input: RenderInput): Promise<GeneratedImage> {
  const { model, width, height, references } = input;
  const text = cleanText(input.text);
  const vector = model.outputFormat === "svg";
  const rng = createRng([VERSION, model.id, text, input.seed ?? null, width, height, input.index]);
  const promptWords = words(text);
  // The prompt alone picks the base hue, so its colours survive a change of seed.
  const palette = buildPalette(promptWords, digest([text]).readUInt16LE(0) % 360, rng);
  const caption = layoutCaption(vector ? text : withoutEmoji(text), model.name, width, height);
  // The SVG <title>: the prompt, cut short without splitting a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(299)) ? 299 : 300;
  const title = text.slice(0, cut) || model.name;

  if (references.length === 0) {
    const ctx = { rng, palette, width, height, groundY: caption.groundY, words: new Set(promptWords) };
    const body = drawScene(chooseScene(ctx.words, rng), ctx) + caption.markup({ ink: palette.ink, accent: palette.glow });
    const svg = Buffer.from(svgDocument(width, height, title, body));
    if (vector) return { bytes: svg, contentType: "image/svg+xml", width, height };
    // The scene is opaque: dropping alpha gives a smaller RGB PNG at no visual cost.
    const bytes = await sharp(svg).removeAlpha().png(FAST_PNG).toBuffer();
    return { bytes, contentType: "image/png", width, height };
  }

  const positions = cropPositions(references.length, rng);
  const overlay = editOverlay(rng, palette, width, height, caption.groundY) + caption.markup({ ink: LIGHT_INK, accent: palette.glow });
  if (vector) {
    const scale = Math.min(1, EMBEDDED_SIDE / Math.max(width, height));
    const [w, h] = [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
    const placed = await placeReferences(references, w, h, positions, palette.ground);
    const photo = await sharp({ create: { width: w, height: h, channels: 3, background: palette.ground } })
      .composite(placed)
      .jpeg({ quality: 82 })
      .toBuffer();
    const image = `<image x="0" y="0" width="${width}" height="${height}" preserveAspectRatio="none" href="data:image/jpeg;base64,${photo.toString("base64")}"/>`;
    return { bytes: Buffer.from(svgDocument(width, height, title, image + overlay)), contentType: "image/svg+xml", width, height };
  }
  const placed = await placeReferences(references, width, height, positions, palette.ground);
  const bytes = await sharp({ create: { width, height, channels: 3, background: palette.ground } })
    .composite([...placed, { input: Buffer.from(svgDocument(width, height, title, overlay)) }])
    .removeAlpha()
    .png(FAST_PNG)
    .toBuffer();
  return { bytes, contentType: "image/png", width, height };
}
