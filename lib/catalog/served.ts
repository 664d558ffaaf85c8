import "server-only";
import { NotFound } from "@/lib/errors";
import { typicalDurations } from "@/lib/jobs/typical-durations";
import { findModel } from "./models";
import type { Capability, Tier } from "./types";
import { listModels, modelJson } from "./present";

/** The catalogue as GET /v1/models serves it, with each model's typical duration. */
export async function servedModels(filter: { tier?: Tier; capability?: Capability } = {}) {
  const durations = await typicalDurations();
  return listModels(filter).map((model) => modelJson(model, durations));
}

/** One model as GET /v1/models/{id} serves it; `NotFound` (unknown_model) for an unknown id. */
export async function servedModel(id: string) {
  const model = findModel(id);
  if (!model) throw new NotFound("unknown_model", `There is no model "${id.slice(0, 100)}". GET /v1/models lists them.`, "id");
  return modelJson(model, await typicalDurations());
}
