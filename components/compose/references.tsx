"use client";

import { ImagePlus, Link2, X } from "lucide-react";
import { useId, useState } from "react";
import { findModel } from "@/lib/catalog";
import type { ComposerState, Reference } from "@/lib/compose/state";
import { apiClient, ApiRequestError, unwrap } from "@/lib/queries/api-client";
import { Button } from "@/components/ui/button";


/** Reference images for models that take them: uploaded through /v1/uploads, or a pasted URL. */
export function References({ state, onChange }: { state: ComposerState; onChange: (references: Reference[]) => void }) {
  const model = findModel(state.modelId)!;
  const inputId = useId();
  const [pasted, setPasted] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (model.maxReferences === 0) return null;

  const room = model.maxReferences - state.references.length;
  const add = (more: Reference[]) => onChange([...state.references, ...more].slice(0, model.maxReferences));

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setBusy(true);
    setError(undefined);
    try {
      const added: Reference[] = [];
      for (const file of Array.from(files).slice(0, room)) {
        const form = new FormData();
        form.set("file", file);
        // The browser sets the multipart boundary: the body goes as the FormData it is.
        const uploaded = await unwrap(apiClient.POST("/v1/uploads", { body: { file: "" }, bodySerializer: () => form }));
        added.push({ url: uploaded.url, name: file.name });
      }
      add(added);
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : "The upload failed. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Reference images" className="space-y-3 rounded-lg border border-neutral-200 p-4 dark:border-neutral-800">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-medium">
          Reference images{model.capabilities.includes("image_required") ? " (required)" : ""}{" "}
          <span className="tabular text-muted" data-testid="reference-count">
            {state.references.length} / {model.maxReferences}
          </span>
        </h2>
        {model.highFidelityReferences && (
          <p className="text-xs text-muted">
            The first {model.highFidelityReferences} are high-fidelity; the rest guide composition.
          </p>
        )}
      </div>
      {state.references.length > 0 && (
        <ul className="flex flex-wrap gap-2" data-testid="references">
          {state.references.map((ref, index) => (
            <li key={`${ref.url}-${index}`} className="relative" data-testid="reference">
              {/* eslint-disable-next-line @next/next/no-img-element -- a user's own image by URL */}
              <img src={ref.url} alt={ref.name} width={72} height={72} className="size-18 rounded-md border border-neutral-200 object-cover dark:border-neutral-800" />
              <button
                type="button"
                aria-label={`Remove ${ref.name}`}
                onClick={() => onChange(state.references.filter((_, i) => i !== index))}
                className="absolute -right-1.5 -top-1.5 rounded-full bg-neutral-900 p-0.5 text-white dark:bg-white dark:text-neutral-900"
              >
                <X className="size-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      )}
      {room > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={inputId} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-neutral-300 px-3 py-1.5 text-sm hover:bg-neutral-50 dark:border-neutral-700 dark:hover:bg-neutral-800">
            <ImagePlus className="size-4" aria-hidden />
            {busy ? "Uploading…" : "Upload"}
          </label>
          <input
            id={inputId}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            multiple={room > 1}
            className="sr-only"
            data-testid="reference-upload"
            disabled={busy}
            onChange={(e) => {
              void upload(e.target.files);
              e.target.value = "";
            }}
          />
          <form
            className="flex flex-1 items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (pasted.trim()) add([{ url: pasted.trim(), name: pasted.trim() }]);
              setPasted("");
            }}
          >
            <label className="sr-only" htmlFor={`${inputId}-url`}>Image URL</label>
            <input
              id={`${inputId}-url`}
              type="url"
              placeholder="or paste an https:// image URL"
              value={pasted}
              onChange={(e) => setPasted(e.target.value)}
              className="h-9 min-w-0 flex-1 rounded-md border border-neutral-300 bg-white px-3 text-sm dark:border-neutral-700 dark:bg-neutral-900"
              data-testid="reference-url"
            />
            <Button type="submit" variant="secondary" size="sm">
              <Link2 className="size-4" aria-hidden /> Add
            </Button>
          </form>
        </div>
      )}
      {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
    </section>
  );
}
