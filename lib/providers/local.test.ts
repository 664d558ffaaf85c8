// The local renderer: real images at the asked size, deterministic, drawn from the prompt and
// the references, with the latency, failure and directive knobs the other tests rely on.
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { findModel, type ImageModel } from "@/lib/catalog";
import { localRenderer } from "./local";
import { renderLocalImage } from "./local/render";
import { ProviderError, type ProviderRequest, type ReferenceImage } from "./types";

function model(id: string): ImageModel {
  const found = findModel(id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
}

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return { jobId: randomUUID(), model: model("recraft-v4"), prompt: "a calm lake at noon", size: "1:1", width: 1024, height: 1024, n: 1, seed: 1, references: [], ...overrides };
}

const run = (req: ProviderRequest, signal = new AbortController().signal) => localRenderer.generate(req, signal);

/** Mean absolute difference (0–255) between two images, compared at 32×32. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const small = (bytes: Buffer) => sharp(bytes).resize(32, 32, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  return x.reduce((sum, value, i) => sum + Math.abs(value - (y[i] ?? 0)), 0) / x.length;
}

/** The text drawn in an SVG, unescaped, lines joined by spaces (the model name comes last). */
function drawnText(svg: string): string {
  const unescape = (s: string) =>
    s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1] ?? "")).join(" ");
}

async function solid(r: number, g: number, b: number, format: "png" | "jpeg" | "webp" = "png"): Promise<ReferenceImage> {
  const bytes = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r, g, b } } }).toFormat(format).toBuffer();
  return { bytes, contentType: `image/${format}`, width: 400, height: 300 };
}

beforeEach(() => {
  vi.stubEnv("LOCAL_RENDERER_LATENCY_MS", "0");
  vi.stubEnv("LOCAL_RENDERER_FAILURE_RATE", "0");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("output", () => {
  it.each([
    ["recraft-v4", 1024, 1024],
    ["imagen-4", 1344, 768],
    ["recraft-v4-pro", 2048, 2048],
  ])("%s draws a %i×%i PNG", async (id, width, height) => {
    const { images } = await run(request({ model: model(id), width, height }));
    expect(images).toHaveLength(1);
    const [image] = images;
    expect(image?.contentType).toBe("image/png");
    expect(image).toMatchObject({ width, height });
    const meta = await sharp(image?.bytes).metadata();
    expect(meta).toMatchObject({ format: "png", width, height });
  });

  it.each([
    ["recraft-v4-vector", 1024, 1024],
    ["recraft-v4-vector-pro", 2688, 1536],
  ])("%s draws a %i×%i SVG document", async (id, width, height) => {
    const [image] = (await run(request({ model: model(id), width, height }))).images;
    expect(image?.contentType).toBe("image/svg+xml");
    const svg = image?.bytes.toString("utf8") ?? "";
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`));
    expect(svg).toMatch(/<(path|circle|rect) /);
    expect(await sharp(image?.bytes).metadata()).toMatchObject({ format: "svg", width, height });
  });

  it("returns n visibly different images", async () => {
    const { images } = await run(request({ n: 4 }));
    expect(images).toHaveLength(4);
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) {
        expect(await difference(images[i]?.bytes ?? Buffer.alloc(0), images[j]?.bytes ?? Buffer.alloc(0))).toBeGreaterThan(4);
      }
    }
  });

  it("is deterministic: two separate renderings are byte-identical", async () => {
    const input = { model: model("recraft-v4"), text: "golden hills, navy sky", seed: 42, width: 768, height: 512, index: 2, references: [] };
    const [a, b] = [await renderLocalImage(input), await renderLocalImage(input)];
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const svgInput = { ...input, model: model("recraft-v4-vector") };
    expect((await renderLocalImage(svgInput)).bytes.equals((await renderLocalImage(svgInput)).bytes)).toBe(true);
  });

  it("repeats itself through the memo without sharing buffers with callers", async () => {
    const req = request({ prompt: "memo check" });
    const [first] = (await run(req)).images;
    const copy = Buffer.from(first?.bytes ?? Buffer.alloc(0));
    first?.bytes.fill(0);
    const [second] = (await run({ ...req, jobId: randomUUID() })).images;
    expect(second?.bytes.equals(copy)).toBe(true);
  });

  it("draws a different image for another prompt or another seed", async () => {
    const [base] = (await run(request())).images;
    const [otherSeed] = (await run(request({ seed: 2 }))).images;
    const [otherPrompt] = (await run(request({ prompt: "a red fox in the snow" }))).images;
    const [noSeed] = (await run(request({ seed: undefined }))).images;
    for (const other of [otherSeed, otherPrompt, noSeed]) {
      expect(other?.bytes.equals(base?.bytes ?? Buffer.alloc(0))).toBe(false);
      expect(await difference(base?.bytes ?? Buffer.alloc(0), other?.bytes ?? Buffer.alloc(0))).toBeGreaterThan(2);
    }
  });
});

describe("the SVG and its caption", () => {
  const hostile = `Tom & Jerry <script>alert(1)</script> onload="steal()" href='http://evil.example/x' <3 > done`;

  it("has no scripts, event handlers, foreignObject or external references", async () => {
    const references = [await solid(20, 120, 200)];
    for (const refs of [[], references]) {
      const [image] = (await run(request({ model: model("recraft-v4-vector"), prompt: hostile, references: refs }))).images;
      const svg = image?.bytes.toString("utf8") ?? "";
      expect(svg).not.toMatch(/<script|<foreignObject/i);
      // Text is escaped, so every "<" opens a real tag: check each tag's name and attributes.
      const tags = svg.match(/<[^>]*>/g) ?? [];
      for (const tag of tags) {
        expect(tag).toMatch(/^<\/?(svg|title|rect|circle|path|text|image)[\s>/]/);
        const attributes = [...tag.matchAll(/\s([\w:-]+)\s*=\s*"([^"]*)"/g)];
        for (const [, name = "", value = ""] of attributes) {
          expect(name).not.toMatch(/^on/i);
          if (/href$/i.test(name)) expect(value).toMatch(/^data:image\//);
          if (name !== "xmlns") expect(value).not.toMatch(/https?:|url\(/i);
        }
      }
      await expect(sharp(image?.bytes).png().toBuffer()).resolves.toBeInstanceOf(Buffer);
    }
  });

  it("draws the prompt's words, XML-special characters included", async () => {
    const [image] = (await run(request({ model: model("recraft-v4-vector"), prompt: hostile }))).images;
    const svg = image?.bytes.toString("utf8") ?? "";
    expect(svg).toContain("Tom &amp; Jerry &lt;script&gt;");
    expect(drawnText(svg)).toBe(`${hostile} Recraft V4 Vector`);
  });

  it("survives arbitrary Unicode and never draws the directives", async () => {
    const prompt = `مرحبا بالعالم 日本語の夜 😀👩‍👩‍👧 e\u0301 \u0007bell \uD800lone [[easel:latency=0]] end`;
    for (const id of ["recraft-v4-vector", "recraft-v4"]) {
      const [image] = (await run(request({ model: model(id), prompt }))).images;
      expect(await sharp(image?.bytes).metadata()).toMatchObject({ width: 1024, height: 1024 });
    }
    const [vector] = (await run(request({ model: model("recraft-v4-vector"), prompt }))).images;
    const text = drawnText(vector?.bytes.toString("utf8") ?? "");
    expect(text).toContain("مرحبا بالعالم");
    expect(text).toContain("日本語の夜");
    expect(text).toContain("bell");
    expect(text).not.toContain("easel");
    expect(text).not.toMatch(/[\u0007\uD800]/);
  });

  it("wraps and truncates a long prompt with an ellipsis", async () => {
    const prompt = "word ".repeat(2000);
    const [image] = (await run(request({ model: model("recraft-v4-vector"), prompt }))).images;
    const lines = [...(image?.bytes.toString("utf8") ?? "").matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[lines.length - 2]).toMatch(/…$/);
  });
});

describe("edits", () => {
  const edit = (references: ReferenceImage[], overrides: Partial<ProviderRequest> = {}) =>
    run(request({ model: model("flux-kontext-pro"), prompt: "make it brighter", references, ...overrides }));

  /** Mean colour of the top half, above the caption. */
  async function topMean(bytes: Buffer) {
    const { channels } = await sharp(bytes).extract({ left: 0, top: 0, width: 1024, height: 512 }).stats();
    return channels.map((channel) => channel.mean);
  }

  it("builds the image from the reference: a red reference gives a red picture", async () => {
    const [image] = (await edit([await solid(220, 20, 20)])).images;
    const [r = 0, g = 0, b = 0] = await topMean(image?.bytes ?? Buffer.alloc(0));
    expect(r).toBeGreaterThan(140);
    expect(r - g).toBeGreaterThan(60);
    expect(r - b).toBeGreaterThan(60);
  });

  it("changes with the reference", async () => {
    const [red] = (await edit([await solid(220, 20, 20)])).images;
    const [blue] = (await edit([await solid(20, 40, 220)])).images;
    expect(await difference(red?.bytes ?? Buffer.alloc(0), blue?.bytes ?? Buffer.alloc(0))).toBeGreaterThan(40);
    const [r = 0, , b = 0] = await topMean(blue?.bytes ?? Buffer.alloc(0));
    expect(b - r).toBeGreaterThan(60);
  });

  it("composes several references, in PNG and in SVG", async () => {
    const references = [await solid(220, 20, 20), await solid(20, 200, 40, "jpeg"), await solid(20, 40, 220, "webp")];
    const [png] = (await edit(references, { model: model("flux-2-pro"), width: 1344, height: 768 })).images;
    expect(await sharp(png?.bytes).metadata()).toMatchObject({ format: "png", width: 1344, height: 768 });
    const { channels } = await sharp(png?.bytes).stats();
    // All three colours show: no channel is starved.
    for (const channel of channels.slice(0, 3)) expect(channel.mean).toBeGreaterThan(40);
    const [svg] = (await edit(references, { model: model("recraft-v4-vector") })).images;
    expect(svg?.bytes.toString("utf8")).toMatch(/<image [^>]*href="data:image\/jpeg;base64,/);
  });

  it("refuses a reference that is not an image as an input error", async () => {
    const bogus = { bytes: Buffer.from("not an image"), contentType: "image/png", width: 10, height: 10 };
    const failure = edit([bogus]);
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ kind: "input", code: "invalid_image_url" });
    // An SVG is an image too, but librsvg must never parse a caller's XML.
    const svg = { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'), contentType: "image/png", width: 8, height: 8 };
    await expect(edit([svg])).rejects.toMatchObject({ kind: "input" });
  });
});
