import { queryOptions } from "@tanstack/react-query";
import { apiClient, unwrap, type Schemas } from "./api-client";

export type ModelObject = Schemas["Model"];

/** The catalogue, as GET /v1/models serves it. It changes with deploys, not by the minute. */
export const modelsQuery = queryOptions({
  queryKey: ["models"],
  queryFn: async () => (await unwrap(apiClient.GET("/v1/models"))).data,
  staleTime: 5 * 60_000,
});
