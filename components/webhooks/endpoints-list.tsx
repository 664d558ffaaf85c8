"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { KeyRound, Send } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime } from "@/components/ui/when";
import { apiClient, unwrap } from "@/lib/queries/api-client";
import { endpointsQuery, refreshWebhooks, type CreatedEndpoint, type WebhookEndpointObject } from "@/lib/queries/webhooks";
import { SecretDialog } from "./secret-dialog";

export function EndpointsList() {
  const { data } = useSuspenseQuery(endpointsQuery);
  if (data.data.length === 0) {
    return (
      <Card className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="endpoints-empty">
        No endpoints yet. Add one above and Easel will POST your jobs&apos; and top-ups&apos; events to it, signed.
      </Card>
    );
  }
  return (
    <Card flush>
      <ul className="divide-y divide-neutral-100 dark:divide-neutral-800" data-testid="endpoints">
        {data.data.map((endpoint) => (
          <EndpointRow key={endpoint.id} endpoint={endpoint} />
        ))}
      </ul>
    </Card>
  );
}

function useEndpointAction<T>(run: () => Promise<T>, done: (result: T) => string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (result) => {
      refreshWebhooks(queryClient);
      toast.success(done(result));
    },
    onError: (error) => toast.error(error instanceof Error ? error.message : "That did not work."),
  });
}

function EndpointRow({ endpoint }: { endpoint: WebhookEndpointObject }) {
  const params = { path: { id: endpoint.id } };
  const test = useEndpointAction(
    () => unwrap(apiClient.POST("/v1/webhooks/endpoints/{id}/test", { params })),
    () => "Test event sent; it appears in the log below.",
  );
  const toggle = useEndpointAction(
    () => unwrap(apiClient.PATCH("/v1/webhooks/endpoints/{id}", { params, body: { enabled: endpoint.status !== "enabled" } })),
    (updated) => (updated.status === "enabled" ? "Endpoint enabled." : "Endpoint disabled."),
  );
  const remove = useEndpointAction(() => unwrap(apiClient.DELETE("/v1/webhooks/endpoints/{id}", { params })), () => "Endpoint deleted.");
  const [rotated, setRotated] = useState<CreatedEndpoint | null>(null);
  const rotate = useEndpointAction(
    async () => {
      const result = await unwrap(apiClient.POST("/v1/webhooks/endpoints/{id}/rotate-secret", { params }));
      setRotated(result);
      return result;
    },
    () => "Secret rotated.",
  );
  const enabled = endpoint.status === "enabled";

  return (
    <li className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:justify-between" data-testid="endpoint-row" data-endpoint-id={endpoint.id} data-status={endpoint.status}>
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-all font-mono text-sm font-medium">{endpoint.url}</span>
          <span
            data-testid="endpoint-status"
            className={`rounded-full px-2 py-0.5 text-xs font-medium ${
              enabled
                ? "bg-emerald-50 text-emerald-700 dark:bg-emerald-900/40 dark:text-emerald-300"
                : "bg-red-50 text-red-700 dark:bg-red-900/40 dark:text-red-300"
            }`}
          >
            {endpoint.status}
          </span>
        </p>
        {endpoint.description && <p className="text-sm text-neutral-600 dark:text-neutral-400">{endpoint.description}</p>}
        {!enabled && endpoint.disabled_reason && (
          <p className="text-sm text-red-700 dark:text-red-300" data-testid="endpoint-disabled-reason">
            {endpoint.disabled_reason} {endpoint.disabled_at && <>(<FullTime iso={endpoint.disabled_at} />)</>} Enable it to resume deliveries.
          </p>
        )}
        <p className="font-mono text-xs text-neutral-500">{endpoint.event_types.join(" · ")}</p>
      </div>
      <div className="flex shrink-0 flex-wrap gap-2">
        <Button variant="secondary" size="sm" disabled={!enabled || test.isPending} onClick={() => test.mutate()} data-testid="send-test-event">
          <Send className="size-4" aria-hidden />
          Send test event
        </Button>
        <Button variant="secondary" size="sm" disabled={toggle.isPending} onClick={() => toggle.mutate()} data-testid="toggle-endpoint">
          {enabled ? "Disable" : "Enable"}
        </Button>
        <Button variant="secondary" size="sm" disabled={rotate.isPending} onClick={() => rotate.mutate()} data-testid="rotate-secret">
          <KeyRound className="size-4" aria-hidden />
          Rotate secret
        </Button>
        <SecretDialog shown={rotated && { ...rotated, rotated: true }} onClose={() => setRotated(null)} />
        <AlertDialog.Root>
          <AlertDialog.Trigger asChild>
            <Button variant="ghost" size="sm" className="text-red-600 dark:text-red-400" disabled={remove.isPending} data-testid="delete-endpoint">
              Delete
            </Button>
          </AlertDialog.Trigger>
          <AlertDialog.Portal>
            <AlertDialog.Overlay className="fixed inset-0 bg-black/40" />
            <AlertDialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
              <AlertDialog.Title className="text-lg font-semibold">Delete this endpoint?</AlertDialog.Title>
              <AlertDialog.Description className="mt-2 break-all text-sm text-neutral-600 dark:text-neutral-400">
                {endpoint.url} receives nothing more; deliveries still waiting for a retry are given up. Its log stays.
              </AlertDialog.Description>
              <div className="mt-6 flex justify-end gap-2">
                <AlertDialog.Cancel className={buttonClass("secondary")}>Keep it</AlertDialog.Cancel>
                <AlertDialog.Action className={buttonClass("danger")} onClick={() => remove.mutate()} data-testid="confirm-delete-endpoint">
                  Delete endpoint
                </AlertDialog.Action>
              </div>
            </AlertDialog.Content>
          </AlertDialog.Portal>
        </AlertDialog.Root>
      </div>
    </li>
  );
}
