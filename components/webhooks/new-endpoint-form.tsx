"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { ApiRequestError, apiFetch } from "@/lib/queries/api-client";
import { refreshWebhooks, type CreatedEndpoint } from "@/lib/queries/webhooks";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/events";

/** Registers an endpoint and shows its signing secret once, in a dialog that says so. */
export function NewEndpointForm() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<WebhookEventType>>(() => new Set(WEBHOOK_EVENT_TYPES));
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const create = useMutation({
    mutationFn: () =>
      apiFetch<CreatedEndpoint>("/v1/webhooks/endpoints", {
        method: "POST",
        body: JSON.stringify({ url: url.trim(), description: description.trim() || undefined, event_types: [...events] }),
      }),
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

      <Dialog.Root open={created !== null} onOpenChange={(open) => !open && setCreated(null)}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-black/40" />
          <Dialog.Content className="fixed left-1/2 top-1/2 w-[calc(100%-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
            <Dialog.Title className="text-lg font-semibold">Signing secret for {created?.url}</Dialog.Title>
            <Dialog.Description className="mt-2 flex gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
              Copy it now: this is the only time Easel shows it. Verify each delivery&apos;s webhook-signature with it.
            </Dialog.Description>
            <code data-testid="new-endpoint-secret" className="mt-4 block break-all rounded-md bg-neutral-100 p-3 font-mono text-sm dark:bg-neutral-800">
              {created?.secret}
            </code>
            <div className="mt-4 flex justify-end gap-2">
              <CopyButton text={created?.secret ?? ""} label="Copy secret" data-testid="copy-endpoint-secret" />
              <Dialog.Close asChild>
                <Button data-testid="close-endpoint-secret">I have saved it</Button>
              </Dialog.Close>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </Card>
  );
}
