// Caption text and the render memo: the small pieces the local renderer's pictures rely on.
import { describe, expect, it } from "vitest";
import { RenderMemo } from "./memo";
import { cleanText, escapeXml, measure, withoutEmoji, wrap } from "./text";

describe("caption text", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
  });

  it("drops characters XML cannot carry and collapses whitespace", () => {
    expect(cleanText("a\u0001b \uFFFE c\n\td \uDC00e 😀")).toBe("a b c d e 😀");
  });

  it("drops emoji for raster captions but keeps text symbols", () => {
    expect(withoutEmoji("sun ☀ star ★ rocket 🚀 family 👩‍👩‍👧 flag 🇫🇷 done")).toBe("sun ☀ star ★ rocket family flag done");
  });

  it("wraps at spaces within the width", () => {
    const { lines, truncated } = wrap("the quick brown fox jumps over the lazy dog", 10, 5);
    expect(truncated).toBe(false);
    expect(lines.join(" ")).toBe("the quick brown fox jumps over the lazy dog");
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(10);
  });

  it("breaks words longer than a line, and scripts written without spaces", () => {
    const { lines } = wrap("東京の夜景とネオンの光と雨に濡れた通り", 6, 5);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join("")).toBe("東京の夜景とネオンの光と雨に濡れた通り");
  });

  it("ends a text too long for its lines with an ellipsis, within the width", () => {
    const { lines, truncated } = wrap("lorem ipsum dolor sit amet ".repeat(50), 12, 3);
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/…$/);
    expect(measure(lines[2] ?? "")).toBeLessThanOrEqual(12);
  });
});

describe("RenderMemo", () => {
  const image = (size: number) => ({ bytes: Buffer.alloc(size, 1), contentType: "image/png", width: 1, height: 1 });

  it("evicts the least recently used entry beyond its entry bound", () => {
    const memo = new RenderMemo(2, 1000);
    memo.set("a", image(1));
    memo.set("b", image(1));
    memo.get("a");
    memo.set("c", image(1));
    expect([memo.get("a"), memo.get("b"), memo.get("c")].map(Boolean)).toEqual([true, false, true]);
  });

  it("stays within its byte bound and skips images larger than it", () => {
    const memo = new RenderMemo(10, 100);
    memo.set("a", image(60));
    memo.set("b", image(60));
    expect(memo.size).toBe(1);
    memo.set("huge", image(101));
    expect(memo.get("huge")).toBeUndefined();
  });

  it("hands out copies", () => {
    const memo = new RenderMemo(2, 100);
    const original = image(4);
    memo.set("a", original);
    original.bytes.fill(9);
    const first = memo.get("a");
    first?.bytes.fill(7);
    expect([...(memo.get("a")?.bytes ?? [])]).toEqual([1, 1, 1, 1]);
  });
});
