import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { WebhookDeliveryObject, WebhookEndpointObject } from "@/lib/webhooks/present";
import { apiFetch } from "./api-client";

export type { WebhookDeliveryObject, WebhookEndpointObject };
export type EndpointList = { object: "list"; data: WebhookEndpointObject[]; has_more: boolean };
export type DeliveryPage = { object: "list"; data: WebhookDeliveryObject[]; has_more: boolean; next_cursor: string | null };
export type CreatedEndpoint = WebhookEndpointObject & { secret: string };

export const endpointsQuery = queryOptions({
  queryKey: ["webhooks", "endpoints"],
  queryFn: () => apiFetch<EndpointList>("/v1/webhooks/endpoints"),
});

/** The newest deliveries; polled while any is still pending, so attempts appear as they happen. */
export const deliveriesQuery = queryOptions({
  queryKey: ["webhooks", "deliveries"],
  queryFn: () => apiFetch<DeliveryPage>("/v1/webhooks/deliveries?limit=50"),
  refetchInterval: (query) => (query.state.data?.data.some((d) => d.status === "pending") ? 1000 : 5000),
});

/** After a change to endpoints or a new delivery, refetch both lists. */
export function refreshWebhooks(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: ["webhooks"] });
}
