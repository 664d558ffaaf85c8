import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { apiClient, unwrap, type Schemas } from "./api-client";

export type WebhookEndpointObject = Schemas["WebhookEndpoint"];
export type WebhookDeliveryObject = Schemas["WebhookDelivery"];
export type EndpointList = Schemas["WebhookEndpointList"];
export type DeliveryPage = Schemas["WebhookDeliveryList"];
export type CreatedEndpoint = Schemas["WebhookEndpointWithSecret"];

export const endpointsQuery = queryOptions({
  queryKey: ["webhooks", "endpoints"],
  queryFn: () => unwrap(apiClient.GET("/v1/webhooks/endpoints")),
});

/** The newest deliveries; polled while any is still pending, so attempts appear as they happen. */
export const deliveriesQuery = queryOptions({
  queryKey: ["webhooks", "deliveries"],
  queryFn: () => unwrap(apiClient.GET("/v1/webhooks/deliveries", { params: { query: { limit: "50" } } })),
  refetchInterval: (query) => (query.state.data?.data.some((d) => d.status === "pending") ? 1000 : 5000),
});

/** After a change to endpoints or a new delivery, refetch both lists. */
export function refreshWebhooks(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ["webhooks"] });
}
