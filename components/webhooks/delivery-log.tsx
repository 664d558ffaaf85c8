"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime, ShortTime } from "@/components/ui/when";
import { apiClient, unwrap } from "@/lib/queries/api-client";
import { deliveriesQuery, endpointsQuery, refreshWebhooks, type WebhookDeliveryObject } from "@/lib/queries/webhooks";

const STATUS_STYLES: Record<WebhookDeliveryObject["status"], string> = {
  pending: "bg-amber-50 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
  succeeded: "bg-emerald-50 text-emerald-700 dark:bg-emerald-900/40 dark:text-emerald-300",
  failed: "bg-red-50 text-red-700 dark:bg-red-900/40 dark:text-red-300",
};

/** Every delivery, newest first, each with its attempts; live while any is pending. */
export function DeliveryLog() {
  const { data } = useSuspenseQuery(deliveriesQuery);
  const { data: endpoints } = useSuspenseQuery(endpointsQuery);
  const urlOf = new Map(endpoints.data.map((e) => [e.id, e.url]));
  return (
    <section aria-labelledby="delivery-log-title" className="space-y-3">
      <h2 id="delivery-log-title" className="text-lg font-semibold">
        Delivery log
      </h2>
      {data.data.length === 0 ? (
        <Card className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="deliveries-empty">
          Nothing delivered yet. Submit a job or press “Send test event”, and each delivery and its attempts appear here.
        </Card>
      ) : (
        <Card flush>
          <ul className="divide-y divide-neutral-100 dark:divide-neutral-800" data-testid="deliveries">
            {data.data.map((delivery) => (
              <DeliveryRow key={delivery.id} delivery={delivery} url={delivery.url ?? urlOf.get(delivery.endpoint_id ?? "") ?? "deleted endpoint"} />
            ))}
          </ul>
        </Card>
      )}
      {data.has_more && (
        <p className="text-sm text-neutral-500" data-testid="deliveries-more">
          The latest {data.data.length} deliveries are shown; <code className="font-mono">GET /v1/webhooks/deliveries</code> pages through
          every one (filter by <code className="font-mono">endpoint_id</code>, <code className="font-mono">event_type</code>,{" "}
          <code className="font-mono">status</code>).
        </p>
      )}
    </section>
  );
}

function DeliveryRow({ delivery, url }: { delivery: WebhookDeliveryObject; url: string }) {
  const queryClient = useQueryClient();
  const redeliver = useMutation({
    mutationFn: () => unwrap(apiClient.POST("/v1/webhooks/deliveries/{id}/redeliver", { params: { path: { id: delivery.id } } })),
    onSuccess: () => {
      refreshWebhooks(queryClient);
      toast.success("Redelivery queued: one more attempt now, with the same webhook-id.");
    },
    onError: (error) => toast.error(error instanceof Error ? error.message : "Could not redeliver."),
  });
  return (
    <li className="p-4" data-testid="delivery-row" data-delivery-id={delivery.id} data-event-type={delivery.event_type} data-status={delivery.status}>
      <details>
        <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1">
          <span className="font-mono text-sm font-medium">{delivery.event_type}</span>
          <span data-testid="delivery-status" className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[delivery.status]}`}>
            {delivery.status}
          </span>
          <span className="tabular text-xs text-neutral-500" data-testid="delivery-attempt-count">
            {delivery.attempt_count} attempt{delivery.attempt_count === 1 ? "" : "s"}
          </span>
          <span className="min-w-0 flex-1 truncate font-mono text-xs text-neutral-500">{url}</span>
          <span className="text-xs text-neutral-500">
            <ShortTime iso={delivery.created_at} />
          </span>
          <Button
            variant="secondary"
            size="sm"
            disabled={redeliver.isPending}
            onClick={(event) => {
              event.preventDefault();
              redeliver.mutate();
            }}
            data-testid="redeliver"
          >
            <RotateCw className="size-4" aria-hidden />
            Redeliver
          </Button>
        </summary>
        <div className="mt-3 space-y-2 text-sm">
          <p className="font-mono text-xs text-neutral-500">
            webhook-id {delivery.event_id}
            {delivery.next_attempt_at && delivery.attempt_count > 0 && (
              <>
                {" "}· next attempt <FullTime iso={delivery.next_attempt_at} />
              </>
            )}
          </p>
          {delivery.attempts.length === 0 ? (
            <p className="text-neutral-500">No attempt yet.</p>
          ) : (
            <ol className="space-y-2" data-testid="delivery-attempts">
              {delivery.attempts.map((attempt, index) => (
                <li key={index} data-testid="delivery-attempt" className="rounded-md bg-neutral-50 p-3 dark:bg-neutral-800/60">
                  <p className="tabular flex flex-wrap gap-x-4 text-xs text-neutral-600 dark:text-neutral-400">
                    <FullTime iso={attempt.started_at} />
                    <span data-testid="attempt-status">{attempt.status_code === null ? "no answer" : `HTTP ${attempt.status_code}`}</span>
                    <span>{attempt.duration_ms} ms</span>
                  </p>
                  {attempt.error && <p className="mt-1 text-red-700 dark:text-red-300">{attempt.error}</p>}
                  {attempt.response_body && (
                    <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all font-mono text-xs text-neutral-700 dark:text-neutral-300">
                      {attempt.response_body}
                    </pre>
                  )}
                </li>
              ))}
            </ol>
          )}
        </div>
      </details>
    </li>
  );
}
