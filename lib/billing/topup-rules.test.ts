import { describe, expect, test } from "vitest";
import {
  autoTopupProblem,
  centsToMicros,
  microsToCents,
  parseAutoTopupUsd,
  parseTopUpUsd,
  testCreditAllowed,
  topUpAmountProblem,
} from "./topup-rules";

describe("a top-up amount", () => {
  test.each([
    ["5", 5_000_000n],
    ["$25", 25_000_000n],
    ["25.50", 25_500_000n],
    [" 1,000 ", 1_000_000_000n],
    ["999.99", 999_990_000n],
  ])("%j is accepted", (text, micros) => {
    expect(parseTopUpUsd(text)).toEqual({ ok: true, value: micros });
  });

  test.each([
    ["4.99", /between \$5 and \$1,000/],
    ["1000.01", /between \$5 and \$1,000/],
    ["0", /between/],
    ["-10", /between/],
    ["5.001", /whole cents/],
    ["", /Enter an amount/],
    ["ten", /Enter an amount/],
    ["1e3", /Enter an amount/],
  ])("%j is refused", (text, message) => {
    const parsed = parseTopUpUsd(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(message);
  });

  test("bounds are inclusive and exact to the micro-dollar", () => {
    expect(topUpAmountProblem(5_000_000n)).toBeNull();
    expect(topUpAmountProblem(1_000_000_000n)).toBeNull();
    expect(topUpAmountProblem(4_999_999n)).not.toBeNull();
    expect(topUpAmountProblem(1_000_000_001n)).not.toBeNull();
  });
});

describe("an auto top-up setting", () => {
  test("both empty turns it off; both set turns it on", () => {
    expect(parseAutoTopupUsd("", " ")).toEqual({ ok: true, value: { thresholdMicros: null, amountMicros: null } });
    expect(parseAutoTopupUsd("0", "5")).toEqual({ ok: true, value: { thresholdMicros: 0n, amountMicros: 5_000_000n } });
    expect(parseAutoTopupUsd("$2.50", "$25")).toEqual({ ok: true, value: { thresholdMicros: 2_500_000n, amountMicros: 25_000_000n } });
  });

  test.each([
    ["5", ""],
    ["", "25"],
    ["-1", "25"],
    ["5", "4.99"],
    ["5", "1000.01"],
    ["five", "25"],
    ["5", "lots"],
    ["1000.01", "25"],
  ])("threshold %j and amount %j are refused", (threshold, amount) => {
    expect(parseAutoTopupUsd(threshold, amount).ok).toBe(false);
  });

  test("the checked rule agrees with the parser", () => {
    expect(autoTopupProblem({ thresholdMicros: null, amountMicros: null })).toBeNull();
    expect(autoTopupProblem({ thresholdMicros: 0n, amountMicros: 5_000_000n })).toBeNull();
    expect(autoTopupProblem({ thresholdMicros: -1n, amountMicros: 5_000_000n })).toMatch(/negative/);
  });
});

describe("cents", () => {
  test("Stripe's integer cents are exact micro-dollars, and back", () => {
    expect(centsToMicros(2500)).toBe(25_000_000n);
    expect(centsToMicros(0)).toBe(0n);
    expect(microsToCents(25_000_000n)).toBe(2500);
    expect(microsToCents(100_000_000_000n)).toBe(10_000_000);
  });

  test.each([[-1], [1.5], ["2500"], [null], [Number.MAX_SAFE_INTEGER + 2]])("%j is not a count of cents", (value) => {
    expect(centsToMicros(value)).toBeNull();
  });

  test("a fraction of a cent cannot be charged", () => {
    expect(() => microsToCents(5_000_001n)).toThrow(/whole number of cents/);
  });
});

describe("test credit", () => {
  test.each([
    [{ stripeConfigured: false, nodeEnv: "development" }, true],
    [{ stripeConfigured: false, nodeEnv: "test" }, true],
    [{ stripeConfigured: false, nodeEnv: undefined }, true],
    [{ stripeConfigured: false, nodeEnv: "production" }, false],
    [{ stripeConfigured: false, nodeEnv: "production", allowTestCredit: "true" }, false],
    [{ stripeConfigured: false, nodeEnv: "production", allowTestCredit: "1" }, true],
    [{ stripeConfigured: true, nodeEnv: "development" }, false],
    [{ stripeConfigured: true, nodeEnv: "production", allowTestCredit: "1" }, false],
  ])("%j → %s", (env, allowed) => {
    expect(testCreditAllowed(env)).toBe(allowed);
  });
});
