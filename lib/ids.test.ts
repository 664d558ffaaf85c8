import { describe, expect, test } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  test("prefix, 10 time characters and 16 random ones, in Crockford base32", () => {
    expect(newId("job")).toMatch(/^job_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  test("ids of one kind sort by creation time", () => {
    const earlier = newId("job", Date.UTC(2026, 0, 1));
    const later = newId("job", Date.UTC(2026, 0, 1) + 1);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 14)).not.toBe(later.slice(0, 14));
  });

  test("10,000 ids made in the same millisecond are distinct (the random part spans pool refills)", () => {
    const now = Date.now();
    const ids = Array.from({ length: 10_000 }, () => newId("x", now));
    expect(new Set(ids).size).toBe(10_000);
    const tails = new Set(ids.map((id) => id.slice(-16)));
    expect(tails.size).toBe(10_000);
  });
});
