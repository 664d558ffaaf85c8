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
 * USD for people, exact and with the precision the amount needs: at least cents, and as many
 * further digits as it has — "$1.00", "$0.98", "$0.054", "$0.0405", "$0.06075", "$1,234.56789".
 * Balances and costs read alike; nothing is rounded away, so every figure on screen adds up.
 */
export function formatUsd(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = (abs / MICROS_PER_USD).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % MICROS_PER_USD).toString().padStart(6, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole}.${fraction}`;
}

/**
 * An API amount (a JSON number of USD with up to 6 decimals) for people: 0.0405 → "$0.0405".
 * Read to the micro-dollar, the API's own precision, so a sum's float noise never shows.
 */
export function formatUsdNumber(usd: number): string {
  return formatUsd(parseUsd(usd.toFixed(6)) ?? 0n);
}
