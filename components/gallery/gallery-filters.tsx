"use client";

import { X } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import type { JobFilters } from "@/lib/queries/jobs";
import { inTier, MODEL_TIERS, modelsByTier, TIER_LABELS } from "./catalog";

const STATUSES = ["queued", "processing", "succeeded", "failed", "expired", "canceled"] as const;

const SELECT =
  "block h-9 w-full rounded-md border border-neutral-300 bg-white px-2.5 text-sm text-neutral-900 shadow-sm focus:border-accent-500 focus:outline-2 focus:outline-accent-500/30 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100";

/**
 * Status, model and tier as labelled native selects (keyboard and screen-reader friendly for
 * free). `onChange` gets the whole next set of filters; the page puts them in its URL.
 */
export function GalleryFilters({ filters, onChange }: { filters: JobFilters; onChange: (next: JobFilters) => void }) {
  const set = (key: keyof JobFilters, value: string) => {
    const next: JobFilters = { ...filters, [key]: value || undefined };
    // A model outside the chosen tier would match nothing: choosing a tier drops it.
    if (key === "tier" && next.model && next.tier && !inTier(next.model, next.tier)) next.model = undefined;
    onChange(next);
  };
  const filtered = Boolean(filters.status || filters.model || filters.tier);
  const groups = modelsByTier(filters.tier);

  return (
    <div className="mb-6 grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap" role="group" aria-label="Filter jobs">
      <Select label="Status" testId="filter-status" value={filters.status ?? ""} onChange={(v) => set("status", v)}>
        <option value="">All statuses</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {status[0]!.toUpperCase() + status.slice(1)}
          </option>
        ))}
      </Select>
      <Select label="Model" testId="filter-model" value={filters.model ?? ""} onChange={(v) => set("model", v)} wide>
        <option value="">All models</option>
        {groups.map((group) => (
          <optgroup key={group.tier} label={TIER_LABELS[group.tier]}>
            {group.models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.name}
              </option>
            ))}
          </optgroup>
        ))}
      </Select>
      <Select label="Tier" testId="filter-tier" value={filters.tier ?? ""} onChange={(v) => set("tier", v)}>
        <option value="">All tiers</option>
        {MODEL_TIERS.map((tier) => (
          <option key={tier} value={tier}>
            {TIER_LABELS[tier]}
          </option>
        ))}
      </Select>
      {filtered && (
        <Button variant="ghost" size="sm" className="h-9 justify-self-start" onClick={() => onChange({})} data-testid="clear-filters">
          <X className="size-4" aria-hidden />
          Clear filters
        </Button>
      )}
    </div>
  );
}

function Select({
  label,
  testId,
  value,
  onChange,
  wide = false,
  children,
}: {
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  wide?: boolean;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <div className={`min-w-0 space-y-1 ${wide ? "sm:w-56" : "sm:w-40"}`}>
      <label htmlFor={id} className="block text-xs font-medium text-neutral-600 dark:text-neutral-400">
        {label}
      </label>
      <select id={id} data-testid={testId} className={SELECT} value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </div>
  );
}
