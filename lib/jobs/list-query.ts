import { jobStatus, type JobStatus } from "@/db/schema";
import { findModel, MODELS, type Tier } from "@/lib/catalog";
import { MODEL_TIERS } from "@/lib/catalog/present";
import { invalidRequest } from "@/lib/http/errors";
import { isJobId } from "./job-id";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Reads `?limit=&status=&model=&tier=&cursor=` for GET /v1/jobs, refusing what it cannot honour. */
export function parseJobListQuery(url: URL) {
  const query = url.searchParams;

  const limitText = query.get("limit");
  const limit = limitText === null ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidRequest("invalid_parameter", `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`, "limit");
  }

  const status = query.get("status") ?? undefined;
  if (status !== undefined && !(jobStatus.enumValues as readonly string[]).includes(status)) {
    throw invalidRequest("invalid_parameter", `status must be one of ${jobStatus.enumValues.join(", ")}.`, "status");
  }

  const model = query.get("model") ?? undefined;
  if (model !== undefined && !findModel(model)) {
    throw invalidRequest("unknown_model", `There is no model "${model}".`, "model");
  }

  const tier = query.get("tier") ?? undefined;
  if (tier !== undefined && !(MODEL_TIERS as readonly string[]).includes(tier)) {
    throw invalidRequest("invalid_parameter", `tier must be one of ${MODEL_TIERS.join(", ")}.`, "tier");
  }
  const models = tier === undefined ? undefined : MODELS.filter((m) => m.tier === (tier as Tier)).map((m) => m.id);

  const cursor = query.get("cursor") ?? undefined;
  if (cursor !== undefined && !isJobId(cursor)) {
    throw invalidRequest("invalid_cursor", "cursor must be the next_cursor of a previous page.", "cursor");
  }

  return { limit, status: status as JobStatus | undefined, model, models, cursor };
}
