import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { PageHeader } from "@/components/dashboard/page-header";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { EndpointsList } from "@/components/webhooks/endpoints-list";
import { NewEndpointForm } from "@/components/webhooks/new-endpoint-form";
import { currentAccount } from "@/lib/auth/current";
import { makeQueryClient } from "@/lib/queries/client";
import { deliveriesQuery, endpointsQuery } from "@/lib/queries/webhooks";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { listEndpoints } from "@/lib/webhooks/endpoints";
import { deliveryJson, endpointJson } from "@/lib/webhooks/present";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const me = await currentAccount();
  // First paint has both lists; the browser keeps them fresh from /v1.
  const queryClient = makeQueryClient();
  const [endpoints, page] = await Promise.all([
    listEndpoints({ accountId: me.accountId }),
    listDeliveries({ accountId: me.accountId, limit: 50 }),
  ]);
  queryClient.setQueryData(endpointsQuery.queryKey, { object: "list", data: endpoints.map((e) => endpointJson(e)), has_more: false });
  queryClient.setQueryData(deliveriesQuery.queryKey, {
    object: "list",
    data: page.deliveries.map(deliveryJson),
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
  });

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Easel POSTs signed events to your endpoints when jobs start and end and when credit arrives; failed deliveries are retried for a day."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="space-y-8">
          <NewEndpointForm />
          <EndpointsList />
          <DeliveryLog />
        </div>
      </HydrationBoundary>
    </>
  );
}
