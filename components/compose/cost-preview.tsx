"use client";

import Link from "next/link";
import type { Preview } from "@/lib/compose/state";
import { formatUsd, microsToDecimal } from "@/lib/money";

/**
 * The cost before you spend it, computed in the browser by the server's cost function:
 * "$0.216 — 4 × $0.054", with megapixels or quality where they set the price; next to it the
 * available balance, and a way to top up when it does not cover the request.
 */
export function CostPreview({ preview, availableMicros }: { preview: Preview; availableMicros: bigint | null }) {
  const short = preview.estimate !== null && availableMicros !== null && availableMicros < preview.estimate.totalMicros;
  return (
    <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-sm" aria-live="polite">
      {preview.estimate ? (
        <p data-testid="cost-preview" data-estimate-usd={microsToDecimal(preview.estimate.totalMicros)}>
          <span className="tabular text-lg font-semibold">{formatUsd(preview.estimate.totalMicros)}</span>
          <span className="tabular text-muted">
            {" "}
            — {preview.estimate.n} × {formatUsd(preview.estimate.perImageMicros)}
            {preview.megapixels ? ` · ${preview.megapixels} MP each` : ""}
            {preview.quality ? ` · ${preview.quality} quality` : ""}
          </span>
          <span className="text-muted"> · held when you generate, charged only for images delivered</span>
        </p>
      ) : (
        <p data-testid="cost-preview" className="text-muted">
          No price: choose a size this model takes
        </p>
      )}
      <p className="tabular text-muted" data-testid="composer-available">
        {availableMicros === null ? "" : `${formatUsd(availableMicros)} available`}
        {short && (
          <>
            {" · "}
            <Link href="/billing" className="font-medium text-link hover:underline" data-testid="top-up-link">
              Top up
            </Link>
          </>
        )}
      </p>
    </div>
  );
}
