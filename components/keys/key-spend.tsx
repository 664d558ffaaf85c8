import { FullTime } from "@/components/ui/when";
import { formatUsdNumber } from "@/lib/money";
import type { ApiKeyObject } from "@/lib/keys/schemas";

const PER = { day: "today (UTC)", month: "this month (UTC)", total: "in all" } as const;

/** A key's spend against its limit, as a bar with its numbers; "No limit" without one. */
export function KeySpend({ limit }: { limit: ApiKeyObject["spend_limit"] }) {
  if (!limit) return <span className="text-muted">No limit</span>;
  const percent = Math.min(100, Math.round((limit.spent / limit.amount) * 100));
  const tone = percent >= 100 ? "bg-red-500" : percent >= 80 ? "bg-amber-500" : "bg-accent-500";
  return (
    <div className="min-w-40" data-testid="key-spend" data-spent={limit.spent} data-limit={limit.amount}>
      <div
        className="h-2 overflow-hidden rounded-full bg-neutral-100 dark:bg-neutral-800"
        role="progressbar"
        aria-label="Spent of the key's limit"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="tabular mt-1 text-xs text-neutral-600 dark:text-neutral-400">
        {formatUsdNumber(limit.spent)} held or charged of {formatUsdNumber(limit.amount)} {PER[limit.period]}
        {limit.resets_at && (
          <>
            {" "}
            · resets <FullTime iso={limit.resets_at} />
          </>
        )}
      </p>
    </div>
  );
}
