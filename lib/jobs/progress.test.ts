import { describe, expect, test } from "vitest";
import { progressOf, queueLine } from "./progress";

describe("a job's progress", () => {
  test("measures elapsed seconds against the model's typical duration", () => {
    expect(progressOf(3, 12_000)).toEqual({ typicalSeconds: 12, fraction: 0.25, late: false, text: "3 s of about 12 s" });
    expect(progressOf(12, 12_400)).toMatchObject({ fraction: 1, late: false, text: "12 s of about 12 s" });
  });

  test("past the typical duration, the bar stays full and says the job is taking longer", () => {
    expect(progressOf(20, 12_000)).toEqual({ typicalSeconds: 12, fraction: 1, late: true, text: "20 s · usually about 12 s" });
  });

  test("a model that runs in under a second is 'about 1 s', never 0", () => {
    expect(progressOf(0, 300)).toMatchObject({ typicalSeconds: 1, fraction: 0, text: "0 s of about 1 s" });
  });

  test("without history there is only the clock, and before the clock only 'Running'", () => {
    expect(progressOf(7, null)).toEqual({ typicalSeconds: null, fraction: null, late: false, text: "7 s" });
    expect(progressOf(null, 12_000)).toMatchObject({ fraction: null, text: "Running" });
  });

  test("a queued job says how many jobs are ahead of it", () => {
    expect(queueLine(1)).toBe("Next in line");
    expect(queueLine(2)).toBe("1 job ahead in the queue");
    expect(queueLine(1_201)).toBe("1,200 jobs ahead in the queue");
    expect(queueLine(null)).toBe("Waiting for a worker");
  });
});
