import "server-only";
import { typicalDurations } from "@/lib/jobs/typical-durations";
import type { Capability, Tier } from "./types";
import { listModels, modelJson } from "./present";

/** The catalogue as GET /v1/models serves it, with each model's typical duration. */
export async function servedModels(filter: { tier?: Tier; capability?: Capability } = {}) {
  const durations = await typicalDurations();
  return listModels(filter).map((model) => modelJson(model, durations));
}
