import { infiniteQueryOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import type { JobObject } from "@/lib/jobs/serialize";
import { apiFetch } from "./api-client";

export type { JobObject };
export type JobList = { object: "list"; data: JobObject[]; has_more: boolean; next_cursor: string | null };
export type JobFilters = { status?: string; model?: string; tier?: string };

const ACTIVE = new Set(["queued", "processing"]);
export const isActive = (job: Pick<JobObject, "status">) => ACTIVE.has(job.status);

/** Poll only while something is still running; stop the moment nothing is. */
const pollWhile = (active: boolean, ms: number) => (active ? ms : false);

export const jobQuery = (id: string) =>
  queryOptions({
    queryKey: ["jobs", "one", id],
    queryFn: () => apiFetch<JobObject>(`/v1/jobs/${id}`),
    refetchInterval: (query) => pollWhile(Boolean(query.state.data && isActive(query.state.data)), 1000),
  });

/** The composer's "Recent" strip: the last few jobs, live while any is running. */
export const recentJobsQuery = queryOptions({
  queryKey: ["jobs", "recent"],
  queryFn: () => apiFetch<JobList>("/v1/jobs?limit=8"),
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
    queryFn: ({ pageParam }) => apiFetch<JobList>(`/v1/jobs?${jobsSearch(filters, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor,
    refetchInterval: (query) => pollWhile(Boolean(query.state.data?.pages.some((page) => page.data.some(isActive))), 2000),
  });

/** After anything that moves money (a submit, a cancel, a job ending), refetch what shows it. */
export function refreshAfterMoney(queryClient: QueryClient): void {
  for (const key of ["balance", "jobs", "ledger", "usage"]) void queryClient.invalidateQueries({ queryKey: [key] });
}
