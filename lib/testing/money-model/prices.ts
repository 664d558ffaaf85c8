// The requests the model sends, what they cost, and what the local renderer delivers for them.
// Prices are written out by hand from docs/product-rules.md, not computed by the catalogue.

export type ForcedOutcome = { kind: "deliver" } | { kind: "fail" } | { kind: "partial"; images: number } | { kind: "bigger" };
export type Spec = { model: "minimax-image-01" | "gpt-image-2-low" | "gpt-image-2-medium" | "flux-2-pro"; n: number; outcome: ForcedOutcome };

/** Per image, at the requested size and at the bigger size the `bigger` outcome delivers (1024×1536). */
const PRICES: Record<Spec["model"], { requested: bigint; bigger: bigint }> = {
  "minimax-image-01": { requested: 5_000n, bigger: 5_000n }, // flat $0.005
  "gpt-image-2-low": { requested: 14_000n, bigger: 21_000n }, // 1024² at low; ×1.5 for 1024×1536
  "gpt-image-2-medium": { requested: 81_000n, bigger: 121_500n },
  "flux-2-pro": { requested: 40_500n, bigger: 60_750n }, // 512×512 bills 1 MP; 1024×1536 bills 2 MP
};

const directive = (outcome: ForcedOutcome) => {
  switch (outcome.kind) {
    case "deliver":
      return "";
    case "fail":
      return " [[easel:fail]]";
    case "partial":
      return ` [[easel:images=${outcome.images}]]`;
    case "bigger":
      return " [[easel:size=1024x1536]]";
  }
};

export function requestBody(spec: Spec, key: string | null): Record<string, unknown> {
  const base = { prompt: `model run${directive(spec.outcome)}`, n: spec.n, ...(key ? { idempotency_key: key } : {}) };
  switch (spec.model) {
    case "minimax-image-01":
      return { ...base, model: "minimax-image-01", size: "1:1" };
    case "gpt-image-2-low":
      return { ...base, model: "gpt-image-2", size: "1:1", quality: "low" };
    case "gpt-image-2-medium":
      return { ...base, model: "gpt-image-2", size: "1:1", quality: "medium" };
    case "flux-2-pro":
      return { ...base, model: "flux-2-pro", size: "512x512" };
  }
}

export const estimateOf = (spec: Spec) => PRICES[spec.model].requested * BigInt(spec.n);

/** Images delivered and what they cost (never more than the estimate), or null: the job fails. */
export function predictDelivery(spec: Spec): { images: number; charge: bigint } | null {
  const price = PRICES[spec.model];
  const estimate = estimateOf(spec);
  const cap = (amount: bigint) => (amount < estimate ? amount : estimate);
  switch (spec.outcome.kind) {
    case "fail":
      return null;
    case "deliver":
      return { images: spec.n, charge: estimate };
    case "partial":
      return spec.outcome.images === 0 ? null : { images: spec.outcome.images, charge: cap(price.requested * BigInt(spec.outcome.images)) };
    case "bigger":
      return { images: spec.n, charge: cap(price.bigger * BigInt(spec.n)) };
  }
}

export const specText = (spec: Spec) => {
  const o = spec.outcome;
  const outcome = o.kind === "partial" ? `partial(${o.images})` : o.kind;
  return `${spec.model}×${spec.n}:${outcome}`;
};
