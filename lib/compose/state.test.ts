import { describe, expect, test } from "vitest";
import { estimateCost, findModel } from "@/lib/catalog";
import { parseGenerationRequest } from "@/lib/jobs/generation-request";
import { chooseModel, CUSTOM_SIZE, initialState, preview, promptCount, requestBody, submitBlocker, visibleModels, withFilters } from "./state";

describe("the composer's state", () => {
  test("starts on the default model with nothing to send yet", () => {
    const state = initialState();
    expect(state).toMatchObject({ modelId: "recraft-v4", tier: "fast", size: "1:1", n: 1, prompt: "" });
    expect(submitBlocker(preview(state), 1_000_000n)).toBe("Write a prompt to start.");
  });

  test("prices the request before any prompt is written: model, size, n and quality set the cost", () => {
    for (const model of ["recraft-v4", "flux-2-pro", "gpt-image-2", "flux-kontext-pro"]) {
      const empty = { ...chooseModel(initialState(), model), n: 2 };
      const result = preview(empty);
      expect(result.problem).not.toBeNull();
      const references = findModel(model)!.maxReferences > 0 ? [{ url: "https://images.example.com/a.png", name: "a" }] : [];
      const withPrompt = { ...empty, prompt: "a harbour", references };
      const server = parseGenerationRequest(JSON.parse(JSON.stringify(requestBody(withPrompt))), "generation");
      expect(result.estimate?.totalMicros).toBe(server.estimate.totalMicros);
    }
    expect(preview({ ...chooseModel(initialState(), "gpt-image-2"), quality: "high" }).estimate?.totalMicros).toBe(297_000n);
  });

  test("previews exactly what the server would hold, for every model", () => {
    for (const model of ["recraft-v4", "flux-2-pro", "gpt-image-2", "minimax-image-01", "recraft-v4-vector-pro"]) {
      const state = { ...chooseModel(initialState(), model), prompt: "a harbour", n: 3 };
      const result = preview(state);
      expect(result.problem).toBeNull();
      const server = parseGenerationRequest(JSON.parse(JSON.stringify(requestBody(state))), "generation");
      expect(result.estimate?.totalMicros).toBe(server.estimate.totalMicros);
    }
  });

  test("n from 1 to 4 on recraft-v4: 0.054 → 0.216", () => {
    const one = preview({ ...initialState(), prompt: "p" });
    const four = preview({ ...initialState(), prompt: "p", n: 4 });
    expect(one.estimate?.totalMicros).toBe(54_000n);
    expect(four.estimate?.totalMicros).toBe(216_000n);
  });

  test("flux-2-pro prices its custom size by megapixels", () => {
    const state = { ...chooseModel(initialState(), "flux-2-pro"), prompt: "p", size: CUSTOM_SIZE, customWidth: 1920, customHeight: 1088 };
    const result = preview(state);
    expect(result.megapixels).toBe(2);
    expect(result.estimate?.totalMicros).toBe(estimateCost(findModel("flux-2-pro")!, { width: 1920, height: 1088, n: 1 }).totalMicros);
    expect(preview({ ...state, customWidth: 4000 })).toMatchObject({ estimate: null, problem: { code: "unsupported_size" } });
  });

  test("gpt-image-2 sends its quality; others do not", () => {
    expect(requestBody({ ...chooseModel(initialState(), "gpt-image-2"), quality: "high" }).quality).toBe("high");
    expect(requestBody(initialState()).quality).toBeUndefined();
  });

  test("flux-kontext-pro cannot go without a reference image", () => {
    const state = { ...chooseModel(initialState(), "flux-kontext-pro"), prompt: "make it blue" };
    expect(submitBlocker(preview(state), 1_000_000n)).toMatch(/reference image/);
    const withRef = { ...state, references: [{ url: "https://images.example.com/a.png", name: "a" }] };
    expect(submitBlocker(preview(withRef), 1_000_000n)).toBeNull();
  });

  test("refuses what the balance does not cover", () => {
    const state = { ...initialState(), prompt: "p", n: 4 };
    expect(submitBlocker(preview(state), 215_999n)).toBe("Not enough credit for this request.");
    expect(submitBlocker(preview(state), 216_000n)).toBeNull();
  });

  test("counts the prompt after NFC, against the model's cap", () => {
    expect(promptCount({ ...initialState(), prompt: "e\u0302\u0301".repeat(10) })).toEqual({ length: 10, max: 1000 });
  });

  test("filters show the tier's models and move the choice when it is hidden", () => {
    const cheap = withFilters(initialState(), { tier: "cheap" });
    expect(visibleModels(cheap).map((m) => m.id)).toEqual(["minimax-image-01", "imagen-4-fast"]);
    expect(cheap.modelId).toBe("minimax-image-01");
    const vector = withFilters(initialState(), { vectorOnly: true });
    expect(vector.modelId).toBe("recraft-v4-vector");
    expect(visibleModels({ tier: "fast", vectorOnly: false, showLegacy: false }).some((m) => m.legacy)).toBe(false);
    expect(visibleModels({ tier: "fast", vectorOnly: false, showLegacy: true }).some((m) => m.id === "recraft-v3")).toBe(true);
  });

  test("a new model keeps what still applies and resets the rest", () => {
    const flux = { ...chooseModel(initialState(), "flux-2-pro"), size: "16:9", n: 4, references: Array.from({ length: 8 }, (_, i) => ({ url: `https://x.example/${i}`, name: `${i}` })) };
    const kontext = chooseModel(flux, "flux-kontext-pro");
    expect(kontext).toMatchObject({ size: "16:9", n: 4 });
    expect(kontext.references).toHaveLength(1);
    const gpt = chooseModel(flux, "gpt-image-2");
    expect(gpt.size).toBe("1:1"); // 16:9 is not one of its sizes
  });

  test("starts again from a finished job", () => {
    const state = initialState({ model: "gpt-image-2", prompt: "a poster", params: { size: "1024x1536", n: 2, quality: "high" } });
    expect(state).toMatchObject({ modelId: "gpt-image-2", tier: "quality", prompt: "a poster", size: "1024x1536", n: 2, quality: "high" });
    const flux = initialState({ model: "flux-2-pro", prompt: "p", params: { size: "1920x1088" } });
    expect(flux).toMatchObject({ size: CUSTOM_SIZE, customWidth: 1920, customHeight: 1088 });
  });
});
