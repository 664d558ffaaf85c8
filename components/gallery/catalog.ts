// What the gallery needs from the catalogue (pure data, safe in the browser): model names for
// people and the model list for the filter.
import { findModel, MODELS, type Tier } from "@/lib/catalog";
import { MODEL_TIERS } from "@/lib/catalog/present";

export { MODEL_TIERS };

export const modelName = (id: string) => findModel(id)?.name ?? id;

export const TIER_LABELS: Record<Tier, string> = { quality: "Quality", fast: "Fast", cheap: "Cheap" };

/** Models to offer in the filter: those of one tier, or all of them grouped by tier. */
export function modelsByTier(tier?: string): { tier: Tier; models: { id: string; name: string }[] }[] {
  return MODEL_TIERS.filter((t) => !tier || t === tier).map((t) => ({
    tier: t,
    models: MODELS.filter((model) => model.tier === t).map(({ id, name }) => ({ id, name })),
  }));
}

/** Whether a model belongs to a tier (a model filter outside the chosen tier would match nothing). */
export const inTier = (modelId: string, tier: string) => findModel(modelId)?.tier === tier;
