"use client";

import { FileImage, Images, Type } from "lucide-react";
import type { ImageModel, Tier } from "@/lib/catalog";
import { imageCost } from "@/lib/catalog";
import { visibleModels, type ComposerState } from "@/lib/compose/state";
import { formatUsd } from "@/lib/money";

const TIERS: Array<{ id: Tier; label: string; hint: string }> = [
  { id: "quality", label: "Quality", hint: "state of the art" },
  { id: "fast", label: "Fast", hint: "everyday defaults" },
  { id: "cheap", label: "Cheap", hint: "drafts in bulk" },
];

function priceLine(model: ImageModel): string {
  const p = model.pricing;
  if (p.mode === "flat") return `${formatUsd(p.unitMicros)} / image`;
  if (p.mode === "per_quality") return `${formatUsd(p.qualityMicros.low)}–${formatUsd(p.qualityMicros.high)} by quality`;
  return `${formatUsd(imageCost(model, { width: 1024, height: 1024 }))}–${formatUsd(imageCost(model, { width: 2048, height: 2048 }))} by size`;
}

function InputBadges({ model }: { model: ImageModel }) {
  const badges = [{ icon: Type, label: "text" }];
  if (model.maxReferences === 1) badges.push({ icon: FileImage, label: model.capabilities.includes("image_required") ? "image required" : "image" });
  if (model.maxReferences > 1) badges.push({ icon: Images, label: `up to ${model.maxReferences} images` });
  return (
    <span className="flex flex-wrap gap-1">
      {badges.map(({ icon: Icon, label }) => (
        <span key={label} className="inline-flex items-center gap-1 rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-neutral-600 dark:bg-neutral-800 dark:text-neutral-400">
          <Icon className="size-3" aria-hidden />
          {label}
        </span>
      ))}
    </span>
  );
}

export function ModelPicker({
  state,
  onFilters,
  onModel,
}: {
  state: ComposerState;
  onFilters: (filters: Partial<Pick<ComposerState, "tier" | "vectorOnly" | "showLegacy">>) => void;
  onModel: (modelId: string) => void;
}) {
  const models = visibleModels(state);
  return (
    <section aria-label="Model" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div role="radiogroup" aria-label="Tier" className="inline-flex rounded-lg border border-neutral-200 bg-white p-0.5 dark:border-neutral-800 dark:bg-neutral-900">
          {TIERS.map((tier) => (
            <button
              key={tier.id}
              type="button"
              role="radio"
              aria-checked={state.tier === tier.id}
              data-testid={`tier-${tier.id}`}
              onClick={() => onFilters({ tier: tier.id })}
              title={tier.hint}
              className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-accent-500 ${
                state.tier === tier.id ? "bg-neutral-900 text-white dark:bg-white dark:text-neutral-900" : "text-neutral-600 hover:text-neutral-900 dark:text-neutral-400 dark:hover:text-white"
              }`}
            >
              {tier.label}
            </button>
          ))}
        </div>
        <div className="flex items-center gap-4 text-sm">
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" checked={state.vectorOnly} onChange={(e) => onFilters({ vectorOnly: e.target.checked })} data-testid="filter-vector" />
            Vector (SVG)
          </label>
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" checked={state.showLegacy} onChange={(e) => onFilters({ showLegacy: e.target.checked })} data-testid="filter-legacy" />
            Show legacy
          </label>
        </div>
      </div>
      {models.length === 0 ? (
        <p className="rounded-lg border border-dashed border-neutral-300 p-4 text-sm text-neutral-600 dark:border-neutral-700 dark:text-neutral-400">
          No {state.vectorOnly ? "vector " : ""}models in this tier. Try another tier{state.vectorOnly ? " or turn off Vector" : ""}.
        </p>
      ) : (
        <div role="radiogroup" aria-label="Models" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {models.map((model) => {
            const chosen = model.id === state.modelId;
            return (
              <button
                key={model.id}
                type="button"
                role="radio"
                aria-checked={chosen}
                data-testid="model-card"
                data-model={model.id}
                onClick={() => onModel(model.id)}
                className={`flex flex-col gap-1.5 rounded-lg border p-3 text-left transition-colors focus-visible:outline-2 focus-visible:outline-accent-500 ${
                  chosen
                    ? "border-accent-500 bg-accent-50 ring-1 ring-accent-500 dark:bg-accent-700/15"
                    : "border-neutral-200 bg-white hover:border-neutral-300 dark:border-neutral-800 dark:bg-neutral-900 dark:hover:border-neutral-700"
                }`}
              >
                <span className="flex items-baseline justify-between gap-2">
                  <span className="font-medium">{model.name}</span>
                  <span className="tabular shrink-0 text-xs text-muted">{priceLine(model)}</span>
                </span>
                <span className="text-xs text-neutral-600 dark:text-neutral-400">{model.bestFor}</span>
                <InputBadges model={model} />
              </button>
            );
          })}
        </div>
      )}
    </section>
  );
}
