// The catalogue as the OpenAI API lists models: `{id, object: "model", created, owned_by}`.
import * as z from "zod";
import { findModel, MODELS, type ImageModel } from "@/lib/catalog";
import { NotFound } from "@/lib/errors";

/** When this catalogue was published, for `created` (the OpenAI API's field; no model has its own). */
const CATALOGUE_PUBLISHED = Math.floor(Date.UTC(2026, 0, 1) / 1000);

export const openAiModelSchema = z
  .object({ id: z.string(), object: z.literal("model"), created: z.int(), owned_by: z.string() })
  .meta({ id: "OpenAIModel" });
export const openAiModelListSchema = z.object({ object: z.literal("list"), data: z.array(openAiModelSchema) }).meta({ id: "OpenAIModelList" });
export const openAiModelPathSchema = z.object({ id: z.string().meta({ example: "recraft-v4" }) });

const asOpenAiModel = (model: ImageModel): z.output<typeof openAiModelSchema> => ({
  id: model.id,
  object: "model",
  created: CATALOGUE_PUBLISHED,
  owned_by: "easel",
});

export function openAiModels(): z.output<typeof openAiModelListSchema> {
  return { object: "list", data: MODELS.map(asOpenAiModel) };
}

export function openAiModel(id: string): z.output<typeof openAiModelSchema> {
  const model = findModel(id);
  if (!model) throw new NotFound("model_not_found", `There is no model "${id.slice(0, 100)}". GET /openai/v1/models lists them.`, "id");
  return asOpenAiModel(model);
}
