// Money is integer micro-dollars (1 USD = 1,000,000 µ$) held in bigint. No float touches an
// amount; conversion to a JSON number happens only at the edge, for display.

export const MICROS_PER_USD = 1_000_000n;

/**
 * Parses a decimal USD string ("1", "0.054", "-2.5") into micro-dollars, exactly.
 * Returns null for anything else, including more than 6 decimal places.
 */
export function parseUsd(text: string): bigint | null {
  const match = /^(-)?(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = "0", fraction = ""] = match;
  const micros = BigInt(whole) * MICROS_PER_USD + BigInt(fraction.padEnd(6, "0"));
  return sign ? -micros : micros;
}

/** The exact decimal string of an amount: 40500n → "0.0405", -2000000n → "-2". */
export function microsToDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_USD;
  const fraction = (abs % MICROS_PER_USD).toString().padStart(6, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** USD as a JSON number with up to 6 decimals (docs/product-rules.md, "Money"): 40500n → 0.0405. */
export function toUsd(micros: bigint): number {
  return Number(microsToDecimal(micros));
}

/**
 * USD for people: 3 decimals ("$0.041"), or 4 where 3 would show "$0.000" ("$0.0004").
 * Rounds half away from zero on the exact integer, never through a float.
 */
export function formatUsd(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const decimals = abs > 0n && abs < 500n ? 4 : 3;
  const unit = 10n ** BigInt(6 - decimals);
  const rounded = (abs + unit / 2n) / unit;
  const scale = 10n ** BigInt(decimals);
  const text = `${rounded / scale}.${(rounded % scale).toString().padStart(decimals, "0")}`;
  return `${negative ? "-" : ""}$${text}`;
}
