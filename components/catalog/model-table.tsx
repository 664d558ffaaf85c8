"use client";

import { useQuery } from "@tanstack/react-query";
import { modelsQuery, type ModelObject } from "@/lib/queries/models";
import { formatUsdNumber } from "@/lib/money";

/** "$0.054", or the range a model's price spans ("$0.0405–$0.10125", "$0.014–$0.297"). */
function priceLine(model: ModelObject): string {
  const pricing = model.pricing;
  if (pricing.mode === "flat") return formatUsdNumber(pricing.unit_price);
  if (pricing.mode === "per_quality") return `${formatUsdNumber(pricing.qualities.low ?? 0)}–${formatUsdNumber(pricing.qualities.high ?? 0)}`;
  const prices = pricing.examples.map((example) => example.price);
  return `${formatUsdNumber(Math.min(...prices))}–${formatUsdNumber(Math.max(...prices))}`;
}

/** The catalogue from GET /v1/models (prefetched on the server, hydrated here). */
export function ModelTable() {
  const { data: models = [] } = useQuery(modelsQuery);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="model-table">
        <thead className="border-b border-neutral-200 text-muted dark:border-neutral-800">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Model</th>
            <th scope="col" className="py-2 pr-4 font-medium">Best for</th>
            <th scope="col" className="py-2 pr-4 font-medium">Tier</th>
            <th scope="col" className="py-2 text-right font-medium">Price per image</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.id} className="border-b border-neutral-100 dark:border-neutral-900">
              <td className="py-2.5 pr-4">
                <code className="font-mono">{model.id}</code>
                {model.legacy && <span className="ml-2 rounded bg-neutral-100 px-1.5 py-0.5 text-xs text-muted dark:bg-neutral-800">legacy</span>}
              </td>
              <td className="py-2.5 pr-4 text-neutral-600 dark:text-neutral-400">{model.best_for}</td>
              <td className="py-2.5 pr-4 capitalize">{model.tier}</td>
              <td className="tabular py-2.5 text-right">{priceLine(model)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
