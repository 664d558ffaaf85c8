import { infiniteQueryOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import { apiClient, unwrap, type Schemas } from "./api-client";
import type { paths } from "./openapi";

export type JobObject = Schemas["Job"];
export type JobList = Schemas["JobList"];
type ListQuery = NonNullable<paths["/v1/jobs"]["get"]["parameters"]["query"]>;
/** The gallery's filters, as its URL and selects hold them; the server validates them. */
export type JobFilters = { status?: string; model?: string; tier?: string };

/** The filters as the list endpoint's query (a value the API refuses comes back as a 400). */
const asQuery = (filters: JobFilters) => filters as Pick<ListQuery, "status" | "model" | "tier">;

const ACTIVE = new Set(["queued", "processing"]);
export const isActive = (job: Pick<JobObject, "status">) => ACTIVE.has(job.status);

/** Poll only while something is still running; stop the moment nothing is. */
const pollWhile = (active: boolean, ms: number) => (active ? ms : false);

export const jobQuery = (id: string) =>
  queryOptions({
    queryKey: ["jobs", "one", id],
    queryFn: () => unwrap(apiClient.GET("/v1/jobs/{id}", { params: { path: { id } } })),
    refetchInterval: (query) => pollWhile(Boolean(query.state.data && isActive(query.state.data)), 1000),
  });

/** The composer's "Recent" strip: the last few jobs, live while any is running. */
export const recentJobsQuery = queryOptions({
  queryKey: ["jobs", "recent"],
  queryFn: () => unwrap(apiClient.GET("/v1/jobs", { params: { query: { limit: "8" } } })),
  refetchInterval: (query) => pollWhile(Boolean(query.state.data?.data.some(isActive)), 1000),
});

export function jobsSearch(filters: JobFilters, cursor?: string | null): string {
  const params = new URLSearchParams({ limit: "24" });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (cursor) params.set("cursor", cursor);
  return params.toString();
}

/** The gallery: every job, newest first, a page at a time on the cursor API. */
export const galleryQuery = (filters: JobFilters) =>
  infiniteQueryOptions({
    queryKey: ["jobs", "gallery", filters],
    queryFn: ({ pageParam }) =>
      unwrap(apiClient.GET("/v1/jobs", { params: { query: { ...asQuery(filters), limit: "24", ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: (query) => pollWhile(Boolean(query.state.data?.pages.some((page) => page.data.some(isActive))), 2000),
  });

/** After anything that moves money (a submit, a cancel, a job ending), refetch what shows it. */
export function refreshAfterMoney(queryClient: QueryClient): void {
  for (const key of ["balance", "jobs", "ledger", "usage"]) void queryClient.invalidateQueries({ queryKey: [key] });
}
