import { describe, expect, test } from "vitest";
import { billedMegapixels, estimateCost, findModel, imageCost, MODELS, resolveSize, settledCost, type ImageModel } from "@/lib/catalog";
import { toUsd } from "@/lib/money";

const model = (id: string): ImageModel => {
  const found = findModel(id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
};
const usd = (micros: bigint) => toUsd(micros);

describe("the seed's figures", () => {
  test("recraft-v4 n=4 costs 0.216", () => {
    expect(usd(estimateCost(model("recraft-v4"), { width: 1024, height: 1024, n: 4 }).totalMicros)).toBe(0.216);
  });

  test.each([
    [1024, 1024, 1, 0.0405],
    [1920, 1080, 2, 0.06075],
    [2048, 2048, 4, 0.10125],
  ])("flux-2-pro at %i×%i is %i MP and costs %f", (width, height, megapixels, price) => {
    const estimate = estimateCost(model("flux-2-pro"), { width, height, n: 1 });
    expect(estimate.megapixels).toBe(megapixels);
    expect(usd(estimate.totalMicros)).toBe(price);
  });

  test.each([
    ["low", 0.014],
    ["medium", 0.081],
    ["high", 0.297],
  ] as const)("gpt-image-2 %s at 1024×1024 costs %f", (quality, price) => {
    expect(usd(imageCost(model("gpt-image-2"), { width: 1024, height: 1024, quality }))).toBe(price);
  });

  test("gpt-image-2 defaults to medium and scales by size: × 1.5 for 1024×1536, × 4 for 2048×2048", () => {
    const gpt = model("gpt-image-2");
    expect(estimateCost(gpt, { width: 1024, height: 1024, n: 1 }).quality).toBe("medium");
    expect(usd(imageCost(gpt, { width: 1024, height: 1536, quality: "high" }))).toBe(0.4455);
    expect(usd(imageCost(gpt, { width: 1536, height: 1024, quality: "low" }))).toBe(0.021);
    expect(usd(imageCost(gpt, { width: 2048, height: 2048, quality: "medium" }))).toBe(0.324);
  });

  test("minimax-image-01 costs 0.005", () => {
    expect(usd(imageCost(model("minimax-image-01"), { width: 1024, height: 1024 }))).toBe(0.005);
  });

  test.each([
    ["recraft-v4", 0.054],
    ["recraft-v4-pro", 0.338],
    ["recraft-v4-vector", 0.108],
    ["recraft-v4-vector-pro", 0.405],
    ["flux-kontext-pro", 0.054],
    ["ideogram-v3", 0.108],
    ["imagen-4-fast", 0.027],
    ["imagen-4", 0.054],
    ["imagen-4-ultra", 0.081],
    ["nano-banana", 0.046],
    ["nano-banana-3-flash", 0.046],
    ["flux-1.1-ultra", 0.081],
    ["recraft-v3", 0.054],
  ])("flat price of %s is %f", (id, price) => {
    expect(usd(imageCost(model(id), { width: 1024, height: 1024 }))).toBe(price);
  });
});

describe("the catalogue", () => {
  test("has the 16 models of docs/product-rules.md, recraft-v3 and flux-1.1-ultra legacy", () => {
    expect(MODELS).toHaveLength(16);
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(16);
    expect(MODELS.filter((m) => m.legacy).map((m) => m.id).sort()).toEqual(["flux-1.1-ultra", "recraft-v3"]);
  });

  test("every model ends its provider chain with the local renderer and accepts its default size", () => {
    for (const m of MODELS) {
      expect(m.providers.at(-1), m.id).toBe("local");
      expect(resolveSize(m.defaultSize, m.sizes, m.customSize), m.id).not.toBeNull();
      expect(m.maxN).toBe(4);
    }
  });

  test("sizes per model", () => {
    const dims = (id: string) => Object.fromEntries(model(id).sizes.map((s) => [s.size, `${s.width}x${s.height}`]));
    expect(dims("recraft-v4")).toEqual({
      "1:1": "1024x1024",
      "16:9": "1344x768",
      "9:16": "768x1344",
      "4:3": "1152x896",
      "3:4": "896x1152",
      "21:9": "1536x640",
    });
    expect(dims("recraft-v4-pro")).toEqual({
      "1:1": "2048x2048",
      "16:9": "2688x1536",
      "9:16": "1536x2688",
      "4:3": "2304x1792",
      "3:4": "1792x2304",
      "21:9": "3072x1280",
    });
    expect(dims("recraft-v4-vector-pro")).toEqual(dims("recraft-v4-pro"));
    expect(Object.keys(dims("imagen-4"))).toEqual(["1:1", "16:9", "9:16", "4:3", "3:4"]);
    expect(dims("gpt-image-2")).toEqual({
      "1:1": "1024x1024",
      "1024x1536": "1024x1536",
      "1536x1024": "1536x1024",
      "2048x2048": "2048x2048",
    });
  });

  test("standard sizes are about one megapixel and pro sizes about four", () => {
    for (const m of MODELS) {
      const target = m.capabilities.includes("high_resolution") ? 4 : 1;
      for (const s of m.sizes) {
        if (m.id === "gpt-image-2") continue; // its sizes are the upstream's fixed four
        expect(Math.abs((s.width * s.height) / 1_048_576 - target) / target, `${m.id} ${s.size}`).toBeLessThan(0.1);
      }
    }
  });

  test("flux-2-pro takes any custom size within 256–2048 (1920x1080 too); others only their list", () => {
    const flux = model("flux-2-pro");
    expect(resolveSize("1920x1088", flux.sizes, flux.customSize)).toEqual({ size: "1920x1088", width: 1920, height: 1088 });
    expect(resolveSize("256x2048", flux.sizes, flux.customSize)).not.toBeNull();
    expect(resolveSize("1920x1080", flux.sizes, flux.customSize)).toEqual({ size: "1920x1080", width: 1920, height: 1080 });
    expect(resolveSize("240x1024", flux.sizes, flux.customSize)).toBeNull();
    expect(resolveSize("2064x1024", flux.sizes, flux.customSize)).toBeNull();
    const recraft = model("recraft-v4");
    expect(resolveSize("1344x768", recraft.sizes, recraft.customSize)?.size).toBe("16:9");
    expect(resolveSize("1000x1000", recraft.sizes, recraft.customSize)).toBeNull();
    expect(resolveSize("2:1", recraft.sizes, recraft.customSize)).toBeNull();
  });
});

describe("megapixel rounding", () => {
  test.each([
    [512, 512, 1], // 0.26 MP still bills one
    [1024, 1024, 1],
    [1224, 1224, 1], // 1.498
    [1225, 1225, 2], // 1.5006 rounds up
    [2048, 2048, 4],
  ])("%i×%i bills %i MP", (w, h, mp) => expect(billedMegapixels(w, h)).toBe(mp));
});

describe("settlement cost", () => {
  test("pays only for images delivered", () => {
    const recraft = model("recraft-v4");
    const estimate = estimateCost(recraft, { width: 1024, height: 1024, n: 4 }).totalMicros;
    const three = Array.from({ length: 3 }, () => ({ width: 1024, height: 1024 }));
    expect(usd(settledCost(recraft, three, estimate))).toBe(0.162);
    expect(settledCost(recraft, [], estimate)).toBe(0n);
  });

  test("flux-2-pro is charged on the dimensions returned, never above the estimate", () => {
    const flux = model("flux-2-pro");
    const estimate = estimateCost(flux, { width: 1920, height: 1088, n: 1 }).totalMicros; // 2 MP
    expect(usd(settledCost(flux, [{ width: 1024, height: 1024 }], estimate))).toBe(0.0405);
    expect(settledCost(flux, [{ width: 2048, height: 2048 }], estimate)).toBe(estimate);
  });
});
