import { describe, expect, test } from "vitest";
import { formatUsd, formatUsdNumber, microsToDecimal, parseUsd, toUsd } from "@/lib/money";

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

  test("shows people cents at least, and every further digit the amount has", () => {
    expect(formatUsd(1_000_000n)).toBe("$1.00");
    expect(formatUsd(980_000n)).toBe("$0.98");
    expect(formatUsd(20_000n)).toBe("$0.02");
    expect(formatUsd(54_000n)).toBe("$0.054");
    expect(formatUsd(40_500n)).toBe("$0.0405");
    expect(formatUsd(60_750n)).toBe("$0.06075");
    expect(formatUsd(1n)).toBe("$0.000001");
    expect(formatUsd(0n)).toBe("$0.00");
    expect(formatUsd(11_000_000n)).toBe("$11.00");
    expect(formatUsd(1_234_567_890n)).toBe("$1,234.56789");
    expect(formatUsd(1_000_000_000_000n)).toBe("$1,000,000.00");
    expect(formatUsd(-54_000n)).toBe("-$0.054");
  });

  test("shows an API amount exactly, through micro-dollars", () => {
    expect(formatUsdNumber(0.0405)).toBe("$0.0405");
    expect(formatUsdNumber(0.1 + 0.2)).toBe("$0.30"); // a float's noise never reaches the screen
    expect(formatUsdNumber(4.946)).toBe("$4.946");
  });
});
