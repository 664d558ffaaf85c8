"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { ApiRequestError, apiClient, unwrap } from "@/lib/queries/api-client";
import { refreshWebhooks, type CreatedEndpoint } from "@/lib/queries/webhooks";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/events";
import { SecretDialog } from "./secret-dialog";

/** Registers an endpoint and shows its signing secret once, in a dialog that says so. */
export function NewEndpointForm() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<WebhookEventType>>(() => new Set(WEBHOOK_EVENT_TYPES));
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        apiClient.POST("/v1/webhooks/endpoints", {
          body: { url: url.trim(), description: description.trim() || undefined, event_types: [...events] },
        }),
      ),
    onSuccess: (endpoint) => {
      setCreated(endpoint);
      setUrl("");
      setDescription("");
      refreshWebhooks(queryClient);
    },
  });
  const error = create.error instanceof ApiRequestError ? create.error : null;

  const toggle = (type: WebhookEventType) =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });

  return (
    <Card>
      <form
        className="space-y-4"
        data-testid="new-endpoint-form"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Endpoint URL"
            type="url"
            required
            placeholder="https://example.com/webhooks/easel"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={error && error.param !== "event_types" ? error.message : undefined}
            hint="https only. Easel signs every delivery (Standard Webhooks)."
          />
          <Field label="Description" placeholder="e.g. production" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-neutral-800 dark:text-neutral-200">Events</legend>
          <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="inline-flex items-center gap-2 font-mono text-sm">
                <input type="checkbox" checked={events.has(type)} onChange={() => toggle(type)} className="size-4 accent-accent-600" />
                {type}
              </label>
            ))}
          </div>
          {error?.param === "event_types" && (
            <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">
              Choose at least one event.
            </p>
          )}
        </fieldset>
        <Button type="submit" disabled={create.isPending || events.size === 0} data-testid="create-endpoint">
          {create.isPending ? "Adding…" : "Add endpoint"}
        </Button>
      </form>

      <SecretDialog shown={created} onClose={() => setCreated(null)} />
    </Card>
  );
}
