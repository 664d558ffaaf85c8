// Text for the local renderer's captions: make any Unicode safe for XML, estimate how wide it
// renders in DejaVu Sans (librsvg has no text wrapping of its own), wrap and truncate it.

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

// Characters XML 1.0 cannot carry (C0/C1 controls, U+FFFE/FFFF) and unpaired surrogates,
// which would otherwise become U+FFFD or make librsvg reject the whole document.
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The prompt as it should be drawn: XML-safe characters and single spaces. */
export function cleanText(text: string): string {
  return text.replace(UNSAFE, " ").replace(/\s+/gu, " ").trim();
}

// Emoji-style characters and their joiners, variation selectors, keycaps and tags. DejaVu has
// none of them, and librsvg rarely finds a colour-emoji font, so a raster caption would show
// empty boxes. Text-style symbols (★ ☀ ❤) stay: DejaVu draws those.
const EMOJI = /\p{Emoji_Presentation}|[\u200D\uFE0F\u20E3]|[\u{E0020}-\u{E007F}]/gu;

/** `text` without emoji, for captions rasterised here (SVG captions keep them for browsers). */
export function withoutEmoji(text: string): string {
  return text.replace(EMOJI, " ").replace(/\s+/gu, " ").trim();
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) =>
    ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : "&apos;",
  );
}

const NARROW = new Set(" .,:;'!|il`ıìíîï");
const SEMI = new Set("frtjI()[]{}\"-/\\*");
const WIDE = new Set("mwMW@%—…");

/** East Asian wide characters, Hangul and emoji: about one em each. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Advance of one grapheme in em, from DejaVu Sans' metrics, rounded up to stay inside lines. */
function graphemeWidth(grapheme: string): number {
  const cp = grapheme.codePointAt(0) ?? 0;
  if (isWide(cp)) return 1.05;
  if (NARROW.has(grapheme)) return 0.34;
  if (SEMI.has(grapheme)) return 0.44;
  if (WIDE.has(grapheme)) return 1.0;
  if (cp >= 0x30 && cp <= 0x39) return 0.64;
  if (cp >= 0x41 && cp <= 0x5a) return 0.74;
  if (cp < 0x80) return 0.62;
  return 0.68;
}

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Estimated rendered width of `text`, in em. */
export function measure(text: string): number {
  return graphemes(text).reduce((sum, g) => sum + graphemeWidth(g), 0);
}

/** The longest prefix of `text` that fits `maxEm`, and what is left. */
function split(text: string, maxEm: number): [string, string] {
  const parts = graphemes(text);
  let width = 0;
  let count = 0;
  for (const part of parts) {
    width += graphemeWidth(part);
    if (width > maxEm && count > 0) break;
    count++;
  }
  return [parts.slice(0, count).join(""), parts.slice(count).join("")];
}

export type Wrapped = { lines: string[]; truncated: boolean };

/**
 * Greedy word wrap into at most `maxLines` lines of `maxEm` each. Words longer than a line
 * (and scripts written without spaces) break between graphemes. Text that does not fit ends
 * in "…".
 */
export function wrap(text: string, maxEm: number, maxLines: number): Wrapped {
  // Long prompts: only the start can ever be drawn, so do not measure 30,000 characters.
  const words = text.slice(0, 2000).split(" ").filter(Boolean);
  const lines: string[] = [];
  let line = "";
  let truncated = text.length > 2000;
  for (const [index, next] of words.entries()) {
    const candidate = line ? `${line} ${next}` : next;
    if (measure(candidate) <= maxEm) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let word = next;
    while (measure(word) > maxEm && lines.length < maxLines) {
      const [head, rest] = split(word, maxEm);
      lines.push(head);
      word = rest;
    }
    line = word;
    if (lines.length >= maxLines) {
      truncated ||= line !== "" || index < words.length - 1;
      line = "";
      break;
    }
  }
  if (line && lines.length < maxLines) lines.push(line);
  if (!truncated) return { lines, truncated };
  const kept = lines.slice(0, maxLines);
  const [head] = split(kept.pop() ?? "", maxEm - measure(" …"));
  kept.push(`${head.replace(/[\s,.;:!?-]+$/u, "")}…`);
  return { lines: kept, truncated };
}

/** True when the first strongly directional character is Hebrew or Arabic script. */
export function isRightToLeft(text: string): boolean {
  const strong = /[\p{L}]/u.exec(text);
  return strong !== null && /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u.test(strong[0]);
}
