// SVG building blocks shared by the scenes and the caption. Everything drawn is a plain shape,
// path or text element: no scripts, no event attributes, no external references.
import { escapeXml } from "./text";

/** DejaVu Sans is what librsvg has here; Verdana shares its metrics where SVGs are viewed. */
export const FONT = "'DejaVu Sans', Verdana, sans-serif";

/** A coordinate with one decimal: small documents, identical output on every machine. */
export function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img"><title>${escapeXml(title)}</title>${body}</svg>`
  );
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ""): string {
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${fill}"${extra}/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ""): string {
  return `<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${fill}"${extra}/>`;
}

/** A ` fill-opacity` attribute, rounded to hundredths. */
export const opacity = (value: number) => ` fill-opacity="${Math.round(value * 100) / 100}"`;

/**
 * A closed shape whose top edge is a smooth curve through `points` (Catmull-Rom turned into
 * cubic Béziers) and whose bottom is the line y = `bottom`.
 */
export function ridge(points: [number, number][], bottom: number, fill: string, extra = ""): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return "";
  let d = `M${num(first[0])} ${num(bottom)}L${num(first[0])} ${num(first[1])}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)] ?? first;
    const p1 = points[i] ?? first;
    const p2 = points[i + 1] ?? last;
    const p3 = points[Math.min(points.length - 1, i + 2)] ?? last;
    const c1x = p1[0] + (p2[0] - p0[0]) / 6;
    const c1y = p1[1] + (p2[1] - p0[1]) / 6;
    const c2x = p2[0] - (p3[0] - p1[0]) / 6;
    const c2y = p2[1] - (p3[1] - p1[1]) / 6;
    d += `C${num(c1x)} ${num(c1y)} ${num(c2x)} ${num(c2y)} ${num(p2[0])} ${num(p2[1])}`;
  }
  return `<path d="${d}L${num(last[0])} ${num(bottom)}Z" fill="${fill}"${extra}/>`;
}
