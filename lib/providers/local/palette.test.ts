// Prompts are arbitrary text: words that name members of Object.prototype must not become colours.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { findModel } from "@/lib/catalog";
import { buildPalette, words } from "./palette";
import { createRng } from "./random";
import { renderLocalImage } from "./render";

const BUILT_INS = ["constructor", "hasOwnProperty", "toString", "valueOf", "__proto__", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString"];
const HEX = /^#[0-9a-f]{6}$/;

describe("built-in names in a prompt", () => {
  it.each(BUILT_INS)("%s gives a palette of real colours", (word) => {
    const palette = buildPalette(words(`${word} constructor hasOwnProperty`), 120, createRng(["palette", word]));
    for (const color of [palette.skyTop, palette.skyBottom, palette.glow, palette.ground, palette.ink, ...palette.accents]) {
      expect(color).toMatch(HEX);
    }
  });

  it("a vector model draws no NaN fill, and a raster model renders", async () => {
    const vector = findModel("recraft-v4-vector")!;
    const raster = findModel("recraft-v4")!;
    const text = "constructor hasOwnProperty toString";
    const base = { text, seed: 1, width: 512, height: 512, index: 0, references: [] };
    const svg = (await renderLocalImage({ ...base, model: vector })).bytes.toString("utf8");
    expect(svg).not.toContain("NaN");
    for (const [, value] of svg.matchAll(/fill="([^"]*)"/g)) expect(value).toMatch(/^(#[0-9a-f]{6}|none|url\(#[\w-]+\))$/);
    const png = await renderLocalImage({ ...base, model: raster });
    expect(await sharp(png.bytes).metadata()).toMatchObject({ format: "png", width: 512, height: 512 });
  });
});
