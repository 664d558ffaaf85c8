// Test directives: `[[easel:…]]` anywhere in a prompt forces an outcome of the local renderer
// for that one job (see the list at the top of ../local.ts). Pure: the worker, the tests and the
// browser tests may all parse prompts with it.

export type LocalDirectives = {
  /** Throw a non-retryable upstream error. */
  fail: boolean;
  /** Never finish; wait for the abort signal. */
  timeout: boolean;
  /** Return this many images (capped at the request's n). */
  images?: number;
  /** Return images of this size instead of the requested one. */
  size?: { width: number; height: number };
  /** This job's latency in milliseconds, instead of LOCAL_RENDERER_LATENCY_MS. */
  latencyMs?: number;
  /** The first K calls for this job id fail as transient. */
  flaky?: number;
};

export type ParsedPrompt = {
  /** The prompt with every directive removed and the whitespace around them tidied. */
  text: string;
  directives: LocalDirectives;
};

// Limits keep a typo from asking for a 100-megapixel image or an hour-long job.
const MAX_SIDE = 4096;
const MIN_SIDE = 16;
const MAX_LATENCY_MS = 600_000;
const MAX_FLAKY = 1000;

const DIRECTIVE = /\[\[\s*easel\s*:([^\]]*)\]\]/gi;
const SIZE = /^(\d{1,5})\s*[x×]\s*(\d{1,5})$/;

function integer(value: string, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number <= max ? number : undefined;
}

/** Applies one `name` or `name=value` item; unknown or malformed items are ignored. */
function apply(directives: LocalDirectives, item: string): void {
  const [rawName = "", ...rest] = item.split("=");
  const name = rawName.trim().toLowerCase();
  const value = rest.join("=").trim().toLowerCase();
  switch (name) {
    case "fail":
      directives.fail = true;
      return;
    case "timeout":
      directives.timeout = true;
      return;
    case "images": {
      const images = integer(value, 1000);
      if (images !== undefined) directives.images = images;
      return;
    }
    case "latency": {
      const latency = integer(value, MAX_LATENCY_MS);
      if (latency !== undefined) directives.latencyMs = latency;
      return;
    }
    case "flaky": {
      const flaky = integer(value, MAX_FLAKY);
      if (flaky !== undefined) directives.flaky = flaky;
      return;
    }
    case "size": {
      const match = SIZE.exec(value);
      if (!match) return;
      const width = Number(match[1]);
      const height = Number(match[2]);
      const fits = (side: number) => side >= MIN_SIDE && side <= MAX_SIDE;
      if (fits(width) && fits(height)) directives.size = { width, height };
      return;
    }
  }
}

/**
 * Finds every `[[easel:…]]` in `prompt`. One directive may hold several items separated by
 * commas or semicolons (`[[easel:latency=0, flaky=2]]`); a later value wins over an earlier one.
 */
export function parseDirectives(prompt: string): ParsedPrompt {
  const directives: LocalDirectives = { fail: false, timeout: false };
  const text = prompt.replace(DIRECTIVE, (_match, body: string) => {
    for (const item of body.split(/[,;]/)) apply(directives, item);
    return " ";
  });
  return { text: text.replace(/[ \t]{2,}/g, " ").trim(), directives };
}
