import { queryOptions } from "@tanstack/react-query";
import type { modelJson } from "@/lib/catalog/present";
import { apiFetch } from "./api-client";

export type ModelObject = ReturnType<typeof modelJson>;

/** The catalogue, as GET /v1/models serves it. It changes with deploys, not by the minute. */
export const modelsQuery = queryOptions({
  queryKey: ["models"],
  queryFn: async () => (await apiFetch<{ data: ModelObject[] }>("/v1/models")).data,
  staleTime: 5 * 60_000,
});
