// The rules of buying credit, pure so they are tested alone and shared by the Stripe code, the
// server actions and the test-credit path: how much one top-up may be, what an auto top-up
// setting may be, and where credit without a payment is allowed.
import { MICROS_PER_USD, parseUsd } from "@/lib/money";

/** Stripe charges whole cents; a cent is 10,000 micro-dollars. */
export const MICROS_PER_CENT = 10_000n;
export const MIN_TOPUP_MICROS = 5n * MICROS_PER_USD;
export const MAX_TOPUP_MICROS = 1_000n * MICROS_PER_USD;

/** Whole dollars for messages: 1_000_000_000n → "$1,000". */
const dollars = (micros: bigint) => `$${(micros / MICROS_PER_USD).toLocaleString("en-US")}`;

/** Why an amount cannot be one top-up, or null when it can: $5 to $1,000 in whole cents. */
export function topUpAmountProblem(micros: bigint): string | null {
  if (micros % MICROS_PER_CENT !== 0n) return "Top-ups are in whole cents.";
  if (micros < MIN_TOPUP_MICROS || micros > MAX_TOPUP_MICROS) {
    return `A top-up is between ${dollars(MIN_TOPUP_MICROS)} and ${dollars(MAX_TOPUP_MICROS)}.`;
  }
  return null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Dollars as a person types them: "25", "25.50", "$25", "1,000". */
const readUsd = (text: string) => parseUsd(text.trim().replace(/^\$/, "").replaceAll(",", ""));

/** A top-up amount typed by a person. */
export function parseTopUpUsd(text: string): Parsed<bigint> {
  const micros = readUsd(text);
  if (micros === null) return { ok: false, error: "Enter an amount in dollars, like 25 or 25.50." };
  const problem = topUpAmountProblem(micros);
  return problem ? { ok: false, error: problem } : { ok: true, value: micros };
}

/** An auto top-up setting: both amounts, or both null (off). */
export type AutoTopupSetting = { thresholdMicros: bigint | null; amountMicros: bigint | null };

/** Why a setting is invalid, or null: off, or a threshold ≥ 0 and a valid top-up amount. */
export function autoTopupProblem(setting: AutoTopupSetting): string | null {
  const { thresholdMicros, amountMicros } = setting;
  if (thresholdMicros === null && amountMicros === null) return null;
  if (thresholdMicros === null || amountMicros === null) return "Set both the threshold and the amount, or neither to turn auto top-up off.";
  if (thresholdMicros < 0n) return "The threshold cannot be negative.";
  if (thresholdMicros > MAX_TOPUP_MICROS) return `The threshold is at most ${dollars(MAX_TOPUP_MICROS)}.`;
  return topUpAmountProblem(amountMicros);
}

/** An auto top-up setting typed by a person; two empty fields turn it off. */
export function parseAutoTopupUsd(thresholdText: string, amountText: string): Parsed<AutoTopupSetting> {
  const read = (text: string) => (text.trim() === "" ? null : readUsd(text));
  const thresholdMicros = read(thresholdText);
  const amountMicros = read(amountText);
  if (thresholdText.trim() !== "" && thresholdMicros === null) return { ok: false, error: "Enter the threshold in dollars, like 5." };
  if (amountText.trim() !== "" && amountMicros === null) return { ok: false, error: "Enter the amount in dollars, like 25." };
  const setting = { thresholdMicros, amountMicros };
  const problem = autoTopupProblem(setting);
  return problem ? { ok: false, error: problem } : { ok: true, value: setting };
}

/** Stripe's integer cents as micro-dollars; null for anything that is not a whole, non-negative count. */
export function centsToMicros(cents: unknown): bigint | null {
  if (typeof cents !== "number" || !Number.isSafeInteger(cents) || cents < 0) return null;
  return BigInt(cents) * MICROS_PER_CENT;
}

/** Micro-dollars as Stripe's integer cents; the amount must be whole cents. */
export function microsToCents(micros: bigint): number {
  if (micros % MICROS_PER_CENT !== 0n) throw new Error(`${micros} µ$ is not a whole number of cents`);
  return Number(micros / MICROS_PER_CENT);
}

/**
 * Credit without a payment ("test credit") is for development and demos only: never while real
 * payments are set up, and in production only when an operator opts in explicitly.
 */
export function testCreditAllowed(env: { stripeConfigured: boolean; nodeEnv?: string; allowTestCredit?: string }): boolean {
  if (env.stripeConfigured) return false;
  return env.nodeEnv !== "production" || env.allowTestCredit === "1";
}
