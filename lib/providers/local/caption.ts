// The caption of a local rendering: the prompt's words, wrapped and sized to the canvas, over a
// plain "ground" band the scene leaves free so the text always reads; the model name sits small
// in the bottom-right corner.
import { FONT, num } from "./svg";
import { escapeXml, isRightToLeft, wrap } from "./text";

export type Caption = {
  /** From this y down the scene must be one plain colour (the ground or a scrim). */
  groundY: number;
  /** The caption, a short accent rule above it and the model name, as SVG elements. */
  markup(colors: { ink: string; accent: string }): string;
};

// Font sizes to try, as fractions of the short side, largest first.
const SIZES = [0.056, 0.048, 0.041, 0.035];

export function layoutCaption(text: string, modelName: string, width: number, height: number): Caption {
  const short = Math.min(width, height);
  // Type scales with the area, not only the short side, so a 21:9 banner is not set too small.
  const scale = Math.min(Math.sqrt(width * height), short * 1.25);
  const margin = Math.round(scale * 0.065);
  const labelSize = Math.max(9, Math.round(scale * 0.019));
  const maxLines = height > width * 1.2 ? 4 : 3;

  let fontSize = 0;
  let lines: string[] = [];
  for (const fraction of SIZES) {
    fontSize = Math.max(10, Math.round(scale * fraction));
    const wrapped = wrap(text, (width - 2 * margin) / fontSize, maxLines);
    lines = wrapped.lines;
    if (!wrapped.truncated) break;
  }

  const lineHeight = fontSize * 1.24;
  const labelBaseline = height - margin * 0.72;
  const lastBaseline = labelBaseline - labelSize * 1.6 - fontSize * 0.55;
  const firstBaseline = lastBaseline - (lines.length - 1) * lineHeight;
  const ruleY = firstBaseline - fontSize * 1.45;
  const groundY = lines.length > 0 ? ruleY - margin * 0.55 : labelBaseline - labelSize - margin * 0.8;

  const rtl = isRightToLeft(text);
  const x = rtl ? width - margin : margin;
  const anchor = rtl ? ` text-anchor="end"` : "";

  return {
    groundY,
    markup: ({ ink, accent }) => {
      const ruleWidth = fontSize * 1.4;
      const rule =
        lines.length > 0
          ? `<rect x="${num(rtl ? x - ruleWidth : x)}" y="${num(ruleY)}" width="${num(ruleWidth)}" ` +
            `height="${num(Math.max(2, fontSize * 0.09))}" rx="${num(Math.max(1, fontSize * 0.045))}" fill="${accent}"/>`
          : "";
      const caption = lines
        .map(
          (line, i) =>
            `<text x="${num(x)}" y="${num(firstBaseline + i * lineHeight)}"${anchor} font-family="${FONT}" ` +
            `font-size="${fontSize}" fill="${ink}">${escapeXml(line)}</text>`,
        )
        .join("");
      const label =
        `<text x="${num(width - margin)}" y="${num(labelBaseline)}" text-anchor="end" font-family="${FONT}" ` +
        `font-size="${labelSize}" letter-spacing="${num(labelSize * 0.06)}" fill="${ink}" fill-opacity="0.62">` +
        `${escapeXml(modelName)}</text>`;
      return rule + caption + label;
    },
  };
}
