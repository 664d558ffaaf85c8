import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { apiClient, unwrap, type Schemas } from "./api-client";
import { isActive } from "./jobs";

export type LedgerEntryObject = Schemas["LedgerEntry"];
export type LedgerPage = Schemas["LedgerPage"];
/** The ledger form's filters, as strings; the server validates them. */
export type LedgerFilters = { type?: string; from?: string; to?: string };

export function ledgerSearch(filters: LedgerFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params.toString();
}

/** The filters that are set (an empty field of the form is no filter). */
const nonEmpty = (filters: LedgerFilters) =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) as { type?: LedgerEntryObject["type"]; from?: string; to?: string };

/** The ledger, newest first, a page at a time; the CSV export takes the same filters. */
export const ledgerQuery = (filters: LedgerFilters) =>
  infiniteQueryOptions({
    queryKey: ["ledger", filters],
    queryFn: ({ pageParam }) =>
      unwrap(apiClient.GET("/v1/ledger", { params: { query: { ...nonEmpty(filters), limit: "50", ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
  });

/** Spend per day by model and the closing balance, over the last 30 days. */
export const usageQuery = queryOptions({
  queryKey: ["usage", 30],
  queryFn: () => unwrap(apiClient.GET("/v1/usage", { params: { query: { days: "30" } } })),
});

/** The jobs holding credit right now: queued and processing; polled while there are any. */
export const activeJobsQuery = queryOptions({
  queryKey: ["jobs", "active"],
  queryFn: async () => {
    const [queued, processing] = await Promise.all([
      unwrap(apiClient.GET("/v1/jobs", { params: { query: { status: "queued", limit: "100" } } })),
      unwrap(apiClient.GET("/v1/jobs", { params: { query: { status: "processing", limit: "100" } } })),
    ]);
    return [...processing.data, ...queued.data];
  },
  refetchInterval: (query) => (query.state.data?.some(isActive) ? 1500 : false),
});
