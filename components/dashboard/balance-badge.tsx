"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { balanceQuery } from "@/lib/queries/balance";
import { formatUsd, parseUsd } from "@/lib/money";

/** Available credit in the header, kept fresh by TanStack Query; a click goes to Billing. */
export function BalanceBadge() {
  const { data } = useQuery(balanceQuery);
  const available = data ? parseUsd(String(data.available)) : null;
  const held = data ? parseUsd(String(data.held)) : null;
  return (
    <Link
      href="/billing"
      data-testid="header-balance"
      title={held ? `${formatUsd(held)} held for running jobs` : undefined}
      className="tabular inline-flex items-center gap-1.5 rounded-md border border-neutral-200 px-2.5 py-1 text-sm hover:bg-neutral-100 dark:border-neutral-800 dark:hover:bg-neutral-800"
    >
      <span className="font-medium" data-testid="header-balance-amount">
        {available === null ? "—" : formatUsd(available)}
      </span>
      <span className="text-muted">available</span>
    </Link>
  );
}
