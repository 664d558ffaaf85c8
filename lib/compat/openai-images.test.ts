import { describe, expect, test } from "vitest";
import { checkGenerationRequest } from "@/lib/jobs/generation-check";
import { readOpenAiImageBody } from "./openai-images";

const read = (body: Record<string, unknown>, kind: "generation" | "edit" = "generation") => readOpenAiImageBody(body, kind);
const checked = (body: Record<string, unknown>) => checkGenerationRequest(read(body).input, "generation");

describe("an OpenAI Images request read as Easel's", () => {
  test("sizes map to the nearest the model takes, and the job is priced on that", () => {
    expect(checked({ model: "gpt-image-2", prompt: "p", size: "1536x1024" }).params).toMatchObject({ width: 1536, height: 1024 });
    expect(checked({ model: "recraft-v4", prompt: "p", size: "1792x1024" }).params).toMatchObject({ size: "16:9", width: 1344, height: 768 });
    expect(checked({ model: "recraft-v4", prompt: "p", size: "auto" }).params).toMatchObject({ size: "1:1" });
    expect(checked({ model: "flux-2-pro", prompt: "p", size: "1920x1080" }).params).toMatchObject({ width: 1920, height: 1080 });
  });

  test("a size the model cannot approach is a 400, not a silent default", () => {
    expect(() => read({ model: "gpt-image-2", prompt: "p", size: "3000x1000" })).toThrow(expect.objectContaining({ name: "InvalidInput", code: "unsupported_size", param: "size" }));
  });

  test("quality maps standard → medium, hd → high, auto → the model's default; models without it ignore it", () => {
    expect(read({ model: "gpt-image-2", prompt: "p", quality: "standard" }).quality).toBe("medium");
    expect(read({ model: "gpt-image-2", prompt: "p", quality: "hd" }).quality).toBe("high");
    expect(read({ model: "gpt-image-2", prompt: "p", quality: "auto" }).quality).toBe("medium");
    expect(read({ model: "gpt-image-2", prompt: "p", quality: "low" }).input.quality).toBe("low");
    expect(read({ model: "recraft-v4", prompt: "p", quality: "hd" })).toMatchObject({ quality: "auto", input: { quality: undefined } });
    expect(checked({ model: "gpt-image-2", prompt: "p", quality: "hd" }).estimate.totalMicros).toBe(297_000n);
  });

  test("numbers sent as strings (multipart) are numbers", () => {
    expect(read({ model: "gpt-image-2", prompt: "p", n: "2", output_compression: "80", stream: "false" }).input.n).toBe(2);
  });

  test("controls Easel's models lack are accepted; unknown parameters and streaming are refused", () => {
    expect(() => read({ prompt: "p", user: "u-1", style: "vivid", moderation: "low", background: "auto", output_format: "png" })).not.toThrow();
    expect(() => read({ prompt: "p", colour: "red" })).toThrow(expect.objectContaining({ code: "unknown_parameter", param: "colour" }));
    expect(() => read({ prompt: "p", stream: true })).toThrow(expect.objectContaining({ code: "streaming_unsupported", param: "stream" }));
    expect(() => read({ prompt: "p", quality: "ultra" })).toThrow(expect.objectContaining({ code: "invalid_parameter", param: "quality" }));
  });

  test("b64_json is the default answer; an unknown model is left for the catalogue to refuse", () => {
    expect(read({ prompt: "p" }).responseFormat).toBe("b64_json");
    expect(read({ prompt: "p", response_format: "url" }).responseFormat).toBe("url");
    expect(() => checked({ model: "dall-e-3", prompt: "p" })).toThrow(expect.objectContaining({ code: "unknown_model" }));
  });
});
