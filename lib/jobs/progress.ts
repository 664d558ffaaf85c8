// What a running or queued job's progress reads: pure, for the dashboard's progress bar.

/** A queued job's place in the global queue (1 is next), in words. */
export function queueLine(position: number | null): string {
  if (position === null) return "Waiting for a worker";
  const ahead = position - 1;
  return ahead === 0 ? "Next in line" : `${ahead.toLocaleString("en-US")} job${ahead === 1 ? "" : "s"} ahead in the queue`;
}

export type Progress = {
  /** Whole seconds the model usually takes (at least 1), or null without history. */
  typicalSeconds: number | null;
  /** 0–1 of the typical duration, or null when there is nothing to measure against. */
  fraction: number | null;
  /** Past its typical duration: the bar is full and says so. */
  late: boolean;
  text: string;
};

/**
 * Elapsed seconds against the typical duration. An estimate, so the bar fills to the typical
 * time and then says the job is taking longer, rather than pretend to know how much is left.
 * `elapsed` is null before the browser's clock is read (server render, hydration).
 */
export function progressOf(elapsed: number | null, typicalMs: number | null): Progress {
  const typicalSeconds = typicalMs === null ? null : Math.max(1, Math.round(typicalMs / 1000));
  if (elapsed === null) return { typicalSeconds, fraction: null, late: false, text: "Running" };
  if (typicalSeconds === null) return { typicalSeconds, fraction: null, late: false, text: `${elapsed} s` };
  const late = elapsed > typicalSeconds;
  return {
    typicalSeconds,
    fraction: Math.min(1, elapsed / typicalSeconds),
    late,
    text: late ? `${elapsed} s · usually about ${typicalSeconds} s` : `${elapsed} s of about ${typicalSeconds} s`,
  };
}
