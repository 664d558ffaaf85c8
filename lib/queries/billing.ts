import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { LedgerEntryObject } from "@/lib/billing/statement-present";
import type { UsageObject } from "@/lib/billing/usage";
import { apiFetch } from "./api-client";
import { isActive, type JobList } from "./jobs";

export type LedgerFilters = { type?: string; from?: string; to?: string };
export type LedgerPage = { object: "list"; data: LedgerEntryObject[]; has_more: boolean; next_cursor: string | null };

export function ledgerSearch(filters: LedgerFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

/** The ledger, newest first, a page at a time; the CSV export takes the same filters. */
export const ledgerQuery = (filters: LedgerFilters) =>
  infiniteQueryOptions({
    queryKey: ["ledger", filters],
    queryFn: ({ pageParam }) => {
      const search = new URLSearchParams(ledgerSearch(filters));
      search.set("limit", "50");
      if (pageParam) search.set("cursor", pageParam);
      return apiFetch<LedgerPage>(`/v1/ledger?${search}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });

/** Spend per day by model and the closing balance, over the last 30 days. */
export const usageQuery = queryOptions({
  queryKey: ["usage", 30],
  queryFn: () => apiFetch<UsageObject>("/v1/usage?days=30"),
});

/** The jobs holding credit right now: queued and processing; polled while there are any. */
export const activeJobsQuery = queryOptions({
  queryKey: ["jobs", "active"],
  queryFn: async () => {
    const [queued, processing] = await Promise.all([
      apiFetch<JobList>("/v1/jobs?status=queued&limit=100"),
      apiFetch<JobList>("/v1/jobs?status=processing&limit=100"),
    ]);
    return [...processing.data, ...queued.data];
  },
  refetchInterval: (query) => (query.state.data?.some(isActive) ? 1500 : false),
});
