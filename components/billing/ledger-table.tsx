"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { buttonClass, Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FullTime } from "@/components/ui/when";
import type { LedgerEntryObject } from "@/lib/billing/statement-present";
import { ledgerQuery, ledgerSearch, type LedgerFilters } from "@/lib/queries/billing";
import { formatUsdNumber } from "@/lib/money";

const TYPES = ["topup", "hold", "charge", "release", "adjustment"] as const;

/** What each kind of entry did to the money, in words. */
const MEANING: Record<LedgerEntryObject["type"], { label: string; sign: string; tone: string }> = {
  topup: { label: "Top-up", sign: "+", tone: "text-emerald-700 dark:text-emerald-400" },
  adjustment: { label: "Adjustment", sign: "±", tone: "text-neutral-700 dark:text-neutral-300" },
  hold: { label: "Held", sign: "", tone: "text-amber-700 dark:text-amber-400" },
  charge: { label: "Charged", sign: "−", tone: "text-red-700 dark:text-red-400" },
  release: { label: "Released", sign: "", tone: "text-sky-700 dark:text-sky-400" },
};

function amountText(entry: LedgerEntryObject): string {
  if (entry.type === "adjustment") return `${entry.amount < 0 ? "−" : "+"}${formatUsdNumber(Math.abs(entry.amount))}`;
  return `${MEANING[entry.type].sign}${formatUsdNumber(entry.amount)}`;
}

/** Every movement of the account's money, filtered by type and date, exportable as CSV. */
export function LedgerTable() {
  const [filters, setFilters] = useState<LedgerFilters>({});
  const query = useInfiniteQuery(ledgerQuery(filters));
  const entries = query.data?.pages.flatMap((page) => page.data) ?? [];
  const search = ledgerSearch(filters);
  const field = "h-9 rounded-md border border-neutral-300 bg-white px-2 text-sm dark:border-neutral-700 dark:bg-neutral-900";

  return (
    <Card flush>
      <div className="flex flex-wrap items-end justify-between gap-3 p-4">
        <h2 className="font-semibold">Ledger</h2>
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="flex flex-col gap-1">
            <span className="font-medium">Type</span>
            <select className={field} value={filters.type ?? ""} onChange={(e) => setFilters((f) => ({ ...f, type: e.target.value || undefined }))} data-testid="ledger-filter-type">
              <option value="">All</option>
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {MEANING[type].label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium">From (UTC)</span>
            <input type="date" className={field} value={filters.from ?? ""} onChange={(e) => setFilters((f) => ({ ...f, from: e.target.value || undefined }))} data-testid="ledger-from" />
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium">To (UTC)</span>
            <input type="date" className={field} value={filters.to ?? ""} onChange={(e) => setFilters((f) => ({ ...f, to: e.target.value || undefined }))} data-testid="ledger-to" />
          </label>
          <a href={`/v1/ledger/export${search ? `?${search}` : ""}`} download className={buttonClass("secondary", "md")} data-testid="ledger-export">
            <Download className="size-4" aria-hidden /> CSV
          </a>
        </div>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="ledger-table">
          <thead className="border-y border-neutral-200 text-muted dark:border-neutral-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">When</th>
              <th scope="col" className="px-4 py-2 font-medium">What</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Amount</th>
              <th scope="col" className="px-4 py-2 font-medium">Job</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Balance after</th>
              <th scope="col" className="hidden px-4 py-2 text-right font-medium sm:table-cell">Held after</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className="border-b border-neutral-100 last:border-0 dark:border-neutral-800" data-testid="ledger-row" data-entry-id={entry.id} data-type={entry.type} data-job-id={entry.job_id ?? ""}>
                <td className="whitespace-nowrap px-4 py-2 text-neutral-600 dark:text-neutral-400">
                  <FullTime iso={entry.created_at} />
                </td>
                <td className={`px-4 py-2 font-medium ${MEANING[entry.type].tone}`}>
                  {MEANING[entry.type].label}
                  {entry.description && <span className="block text-xs font-normal text-muted">{entry.description}</span>}
                </td>
                <td className="tabular px-4 py-2 text-right">{amountText(entry)}</td>
                <td className="px-4 py-2">
                  {entry.job_id ? (
                    <Link href={`/gallery/${entry.job_id}`} className="text-link hover:underline">
                      {entry.model ?? "job"}
                    </Link>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
                <td className="tabular px-4 py-2 text-right">{formatUsdNumber(entry.balance_after)}</td>
                <td className="tabular hidden px-4 py-2 text-right text-muted sm:table-cell">{formatUsdNumber(entry.held_after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 && !query.isLoading && (
        <p className="p-4 text-sm text-neutral-600 dark:text-neutral-400" data-testid="ledger-empty">
          Nothing matches these filters.
        </p>
      )}
      {query.hasNextPage && (
        <div className="p-4">
          <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} data-testid="ledger-load-more">
            {query.isFetchingNextPage ? "Loading…" : "Load older entries"}
          </Button>
        </div>
      )}
    </Card>
  );
}
