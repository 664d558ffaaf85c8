import { describe, expect, test } from "vitest";
import { findModel, nearestSize, type ImageModel } from "@/lib/catalog";

const model = (id: string): ImageModel => findModel(id)!;
const nearest = (id: string, width: number, height: number) => {
  const m = model(id);
  return nearestSize(width, height, m.sizes, m.customSize)?.size ?? null;
};

describe("the nearest size a model takes", () => {
  test("a listed size in pixels is itself", () => {
    expect(nearest("gpt-image-2", 1536, 1024)).toBe("1536x1024");
    expect(nearest("recraft-v4", 1024, 1024)).toBe("1:1");
    expect(nearest("recraft-v4", 1344, 768)).toBe("16:9");
  });

  test("any size within the bounds of a free-size model is taken as asked", () => {
    expect(nearest("flux-2-pro", 1920, 1080)).toBe("1920x1080");
  });

  test("other pixels map to the listed size closest in aspect ratio, then area", () => {
    expect(nearest("recraft-v4", 1792, 1024)).toBe("16:9"); // 1.75
    expect(nearest("recraft-v4", 1024, 1792)).toBe("9:16");
    expect(nearest("recraft-v4", 256, 256)).toBe("1:1");
    expect(nearest("recraft-v4-pro", 1024, 1024)).toBe("1:1");
    expect(nearest("gpt-image-2", 1792, 1024)).toBe("1536x1024");
    expect(nearest("gpt-image-2", 2048, 2048)).toBe("2048x2048");
    expect(nearest("gpt-image-2", 512, 512)).toBe("1:1");
  });

  test("a shape no listed size comes near is refused", () => {
    expect(nearest("gpt-image-2", 3000, 1000)).toBeNull(); // 3:1 against at most 3:2
    expect(nearest("imagen-4", 2100, 900)).toBeNull(); // 21:9, which Imagen lacks
    expect(nearest("recraft-v4", 4000, 500)).toBeNull();
    expect(nearest("recraft-v4", 0, 500)).toBeNull();
    expect(nearest("flux-2-pro", 4000, 500)).toBeNull();
  });
});
