"use client";

import { useQuery } from "@tanstack/react-query";
import { Card } from "@/components/ui/card";
import { TIERS } from "@/lib/billing/tiers";
import { balanceQuery } from "@/lib/queries/balance";
import { formatUsdNumber } from "@/lib/money";

/** The tier, what it allows, and how far lifetime deposits are from the next one. */
export function TierCard() {
  const { data } = useQuery(balanceQuery);
  if (!data) return null;
  const tier = TIERS[data.tier]!;
  const next = data.next_tier;
  const start = Number(tier.minDepositsMicros) / 1e6;
  const progress = next ? Math.min(100, ((data.lifetime_deposits - start) / (next.lifetime_deposits - start)) * 100) : 100;
  return (
    <Card data-testid="tier-card">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-semibold" data-testid="tier-name">
          Tier {tier.tier}
          {data.tier_source === "support" && <span className="font-normal text-muted"> (set by support)</span>}
        </h2>
        <p className="tabular text-sm text-muted">{formatUsdNumber(data.lifetime_deposits)} deposited in all</p>
      </div>
      <p className="mt-1 text-sm text-neutral-600 dark:text-neutral-400">
        {tier.jobCreationsPerMinute} job creations and {tier.readsPerMinute.toLocaleString()} reads a minute, {tier.maxJobsInFlight} jobs running at once.
      </p>
      <div className="mt-4 h-2 overflow-hidden rounded-full bg-neutral-100 dark:bg-neutral-800" role="progressbar" aria-valuenow={Math.round(progress)} aria-valuemin={0} aria-valuemax={100} aria-label="Progress to the next tier">
        <div className="h-full rounded-full bg-accent-500" style={{ width: `${progress}%` }} />
      </div>
      <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400" data-testid="next-tier">
        {data.tier_source === "support"
          ? data.tier_override_until
            ? `Set by support until ${new Date(data.tier_override_until).toISOString().slice(0, 10)}; then your deposits set it again.`
            : "Set by support; your deposits do not change it while it lasts."
          : next
            ? `${formatUsdNumber(next.remaining)} more in deposits reaches tier ${next.tier}: ${TIERS[next.tier]!.jobCreationsPerMinute} job creations a minute.`
            : "The highest tier. Need more? Ask us for a custom limit."}
      </p>
    </Card>
  );
}
