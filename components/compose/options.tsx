"use client";

import { findModel, QUALITIES, type Quality } from "@/lib/catalog";
import { CUSTOM_SIZE, type ComposerState } from "@/lib/compose/state";

const selectClass =
  "h-9 rounded-md border border-neutral-300 bg-white px-2 text-sm dark:border-neutral-700 dark:bg-neutral-900 focus:outline-2 focus:outline-accent-500/40";

/** The controls the chosen model takes: size (or free width × height), n, quality. */
export function Options({ state, onChange }: { state: ComposerState; onChange: (patch: Partial<ComposerState>) => void }) {
  const model = findModel(state.modelId)!;
  const custom = model.customSize;
  return (
    <div className="flex flex-wrap items-end gap-4">
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">{model.sizes.some((s) => s.size.includes(":")) ? "Aspect ratio" : "Size"}</span>
        <select className={selectClass} value={state.size} onChange={(e) => onChange({ size: e.target.value })} data-testid="option-size">
          {model.sizes.map((s) => (
            <option key={s.size} value={s.size}>
              {s.size.includes(":") ? `${s.size} · ${s.width}×${s.height}` : `${s.width}×${s.height}`}
            </option>
          ))}
          {custom && <option value={CUSTOM_SIZE}>Custom…</option>}
        </select>
      </label>
      {custom && state.size === CUSTOM_SIZE && (
        <fieldset className="flex items-end gap-2 text-sm">
          <legend className="sr-only">Custom size</legend>
          {(["customWidth", "customHeight"] as const).map((side) => (
            <label key={side} className="flex flex-col gap-1">
              <span className="font-medium">{side === "customWidth" ? "Width" : "Height"}</span>
              <input
                type="number"
                className={`${selectClass} w-24`}
                min={custom.min}
                max={custom.max}
                step={custom.multipleOf}
                value={state[side]}
                onChange={(e) => onChange({ [side]: Number(e.target.value) })}
                data-testid={`option-${side === "customWidth" ? "width" : "height"}`}
              />
            </label>
          ))}
          <span className="pb-2 text-xs text-muted">
            {custom.min}–{custom.max}, multiples of {custom.multipleOf}
          </span>
        </fieldset>
      )}
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">Images</span>
        <select className={selectClass} value={state.n} onChange={(e) => onChange({ n: Number(e.target.value) })} data-testid="option-n">
          {Array.from({ length: model.maxN }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      {model.pricing.mode === "per_quality" && (
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Quality</span>
          <select
            className={selectClass}
            value={state.quality}
            onChange={(e) => onChange({ quality: e.target.value as Quality })}
            data-testid="option-quality"
          >
            {QUALITIES.map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
