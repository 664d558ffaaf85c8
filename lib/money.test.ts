import { describe, expect, test } from "vitest";
import { formatUsd, microsToDecimal, parseUsd, toUsd } from "@/lib/money";

describe("money", () => {
  test.each([
    ["1", 1_000_000n],
    ["0.054", 54_000n],
    ["0.000001", 1n],
    ["-2.5", -2_500_000n],
    [" 12.34 ", 12_340_000n],
  ])("parses %s exactly", (text, micros) => expect(parseUsd(text)).toBe(micros));

  test.each(["", "abc", "1.0000001", "1e3", "0x10", "1,5", "--1", "."])("refuses %j", (text) => {
    expect(parseUsd(text)).toBeNull();
  });

  test("prints exact decimals and JSON numbers with up to 6 places", () => {
    expect(microsToDecimal(40_500n)).toBe("0.0405");
    expect(microsToDecimal(-2_000_000n)).toBe("-2");
    expect(microsToDecimal(0n)).toBe("0");
    expect(toUsd(60_750n)).toBe(0.06075);
    expect(toUsd(1n)).toBe(0.000001);
  });

  test("shows people 3 decimals, or 4 where 3 would read $0.000", () => {
    expect(formatUsd(40_500n)).toBe("$0.041");
    expect(formatUsd(60_750n)).toBe("$0.061");
    expect(formatUsd(101_250n)).toBe("$0.101");
    expect(formatUsd(5_000n)).toBe("$0.005");
    expect(formatUsd(400n)).toBe("$0.0004");
    expect(formatUsd(0n)).toBe("$0.000");
    expect(formatUsd(1_234_567_890n)).toBe("$1234.568");
    expect(formatUsd(-54_000n)).toBe("-$0.054");
  });
});
