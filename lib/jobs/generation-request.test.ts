import { describe, expect, test } from "vitest";
import { toApiError } from "@/lib/http/errors";
import { toUsd } from "@/lib/money";
import { parseGenerationRequest, promptLength, type Endpoint } from "./generation-request";

const refs = (count: number) => Array.from({ length: count }, (_, i) => `https://images.example.com/${i}.png`);

function rejection(body: unknown, kind: Endpoint = "generation") {
  try {
    parseGenerationRequest(body, kind);
  } catch (error) {
    // As the API answers it: through the one mapper from the product's errors to HTTP.
    const answer = toApiError(error, "http://localhost:3000");
    if (!answer) throw error;
    return { status: answer.status, code: answer.code, param: answer.param, message: answer.message };
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe("a valid request", () => {
  test("defaults to recraft-v4, 1:1, one image", () => {
    const request = parseGenerationRequest({ prompt: "a cat" }, "generation");
    expect(request.model.id).toBe("recraft-v4");
    expect(request.params).toEqual({ size: "1:1", width: 1024, height: 1024, n: 1 });
    expect(toUsd(request.estimate.totalMicros)).toBe(0.054);
  });

  test("edits default to flux-kontext-pro", () => {
    const request = parseGenerationRequest({ prompt: "make it blue", image_url: "https://x.example/a.png" }, "edit");
    expect(request.model.id).toBe("flux-kontext-pro");
    expect(request.params.image_urls).toEqual(["https://x.example/a.png"]);
  });

  test("prices gpt-image-2 by quality and size, flux-2-pro by requested megapixels", () => {
    const gpt = parseGenerationRequest({ model: "gpt-image-2", prompt: "p", quality: "high", size: "1024x1536", n: 2 }, "generation");
    expect(toUsd(gpt.estimate.totalMicros)).toBe(0.891);
    const flux = parseGenerationRequest({ model: "flux-2-pro", prompt: "p", size: "2048x2048", n: 3 }, "generation");
    expect(toUsd(flux.estimate.totalMicros)).toBe(0.30375);
  });

  test("combines image_url and image_urls for multi-reference models, up to 10", () => {
    const request = parseGenerationRequest({ model: "flux-2-pro", prompt: "blend", image_url: refs(1)[0], image_urls: refs(9) }, "generation");
    expect(request.params.image_urls).toHaveLength(10);
  });

  test("normalises the prompt to NFC and ignores null optionals", () => {
    const request = parseGenerationRequest({ prompt: "cafe\u0301", size: null, n: null, seed: 7 }, "generation");
    expect(request.prompt).toBe("café");
    expect(request.params.seed).toBe(7);
  });
});

describe("prompt length is counted after NFC normalisation", () => {
  // Vietnamese written with combining marks: 3 code points per letter before NFC, 1 after.
  const decomposed = "e\u0302\u0301".repeat(1000); // "ế" decomposed
  test("a 1000-letter prompt in decomposed form fits recraft-v4's 1000", () => {
    expect(decomposed.length).toBe(3000);
    expect(promptLength(decomposed)).toBe(1000);
    expect(parseGenerationRequest({ prompt: decomposed }, "generation").prompt).toHaveLength(1000);
  });
  test("one more letter is too long", () => {
    expect(rejection({ prompt: `${decomposed}x` })).toMatchObject({ status: 400, code: "prompt_too_long", param: "prompt" });
  });
  test("astral characters count once", () => {
    expect(promptLength("🎨".repeat(10))).toBe(10);
  });
});

describe("every validation error", () => {
  test.each([
    ["not an object", [1, 2], "invalid_json", undefined],
    ["a null body", null, "invalid_json", undefined],
    ["no prompt", {}, "prompt_required", "prompt"],
    ["a blank prompt", { prompt: "  \n " }, "prompt_required", "prompt"],
    ["a prompt that is not a string", { prompt: 42 }, "invalid_parameter", "prompt"],
    ["an unknown model", { prompt: "p", model: "dall-e-9" }, "unknown_model", "model"],
    ["an unknown parameter", { prompt: "p", style: "anime" }, "unknown_parameter", "style"],
    ["n = 0", { prompt: "p", n: 0 }, "n_out_of_range", "n"],
    ["n = 5", { prompt: "p", n: 5 }, "n_out_of_range", "n"],
    ["a fractional n", { prompt: "p", n: 1.5 }, "invalid_parameter", "n"],
    ["n as a string", { prompt: "p", n: "2" }, "invalid_parameter", "n"],
    ["an unknown size", { prompt: "p", size: "2:1" }, "unsupported_size", "size"],
    ["custom pixels on a fixed-size model", { prompt: "p", size: "1000x1000" }, "unsupported_size", "size"],
    ["21:9 on Imagen", { prompt: "p", model: "imagen-4", size: "21:9" }, "unsupported_size", "size"],
    ["flux-2-pro beyond 2048", { prompt: "p", model: "flux-2-pro", size: "4096x1024" }, "unsupported_size", "size"],
    ["quality on a model without it", { prompt: "p", quality: "high" }, "unsupported_quality", "quality"],
    ["an unknown quality", { prompt: "p", model: "gpt-image-2", quality: "ultra" }, "unsupported_quality", "quality"],
    ["an image for a text-only model", { prompt: "p", image_url: "https://x.example/a.png" }, "not_multimodal", "image_url"],
    ["images for a text-only model", { prompt: "p", model: "imagen-4", image_urls: refs(2) }, "not_multimodal", "image_urls"],
    ["11 references", { prompt: "p", model: "flux-2-pro", image_urls: refs(11) }, "too_many_references", "image_urls"],
    ["2 references for flux-kontext-pro", { prompt: "p", model: "flux-kontext-pro", image_urls: refs(2) }, "too_many_references", "image_urls"],
    ["flux-kontext-pro without an image", { prompt: "p", model: "flux-kontext-pro" }, "image_url_required", "image_url"],
    ["an http image url", { prompt: "p", model: "flux-2-pro", image_url: "http://x.example/a.png" }, "invalid_image_url", "image_url"],
    ["a non-url", { prompt: "p", model: "flux-2-pro", image_urls: ["not a url"] }, "invalid_image_url", "image_urls[0]"],
    ["credentials in the url", { prompt: "p", model: "flux-2-pro", image_url: "https://u:p@x.example/a.png" }, "invalid_image_url", "image_url"],
    ["a negative seed", { prompt: "p", seed: -1 }, "invalid_parameter", "seed"],
    ["an empty idempotency key", { prompt: "p", idempotency_key: "" }, "invalid_parameter", "idempotency_key"],
  ])("%s → %s", (_name, body, code, param) => {
    const error = rejection(body);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.param).toBe(param);
    expect(error.message.length).toBeGreaterThan(10);
  });

  test("an edit without an image → image_url_required, even on a model that also generates", () => {
    expect(rejection({ prompt: "p", model: "flux-2-pro" }, "edit")).toMatchObject({ code: "image_url_required" });
  });

  test("an edit on a text-only model → not_multimodal", () => {
    expect(rejection({ prompt: "p", model: "recraft-v4", image_url: "https://x.example/a.png" }, "edit")).toMatchObject({
      code: "not_multimodal",
    });
  });
});
