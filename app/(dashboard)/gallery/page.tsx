import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/dashboard/page-header";
import { Gallery } from "@/components/gallery/gallery";
import { buttonClass } from "@/components/ui/button";
import { currentAccount } from "@/lib/auth/current";
import { findModel } from "@/lib/catalog";
import { jobListFilter, jobListQuerySchema } from "@/lib/jobs/schemas";
import { presentJobs } from "@/lib/jobs/present";
import { listJobs } from "@/lib/jobs/queries";
import { makeQueryClient } from "@/lib/queries/client";
import { galleryQuery, jobsSearch, type JobFilters, type JobList } from "@/lib/queries/jobs";
import { pageOrigin } from "@/lib/server/page-origin";
import { servedModels } from "@/lib/catalog/served";
import { modelsQuery } from "@/lib/queries/models";

export const metadata: Metadata = { title: "Gallery" };

type SearchParams = Record<string, string | string[] | undefined>;

// The first page is read here, on the server, into the very cache entry the browser's
// galleryQuery(filters) uses, so the grid is in the first paint and the browser only pages on.
export default async function GalleryPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const me = await currentAccount();
  const filters = readFilters(await searchParams);
  const origin = await pageOrigin();

  // The same query GET /v1/jobs would run for the browser's first page (same limit, same rules).
  const query = jobListQuerySchema.parse(Object.fromEntries(new URLSearchParams(jobsSearch(filters))));
  const page = await listJobs({ accountId: me.accountId, ...jobListFilter(query) });
  const firstPage: JobList = {
    object: "list",
    data: await presentJobs(page.jobs, origin, page.images),
    has_more: page.nextCursor !== null,
    next_cursor: page.nextCursor,
  };
  const queryClient = makeQueryClient();
  // The catalogue with each model's typical duration: running jobs show progress against it.
  queryClient.setQueryData(modelsQuery.queryKey, await servedModels());
  queryClient.setQueryData(galleryQuery(filters).queryKey, { pages: [firstPage], pageParams: [null] });

  return (
    <>
      <PageHeader title="Gallery" description="Every job you have run, newest first, with its images and what it cost.">
        <Link href="/compose" className={buttonClass("secondary", "sm")}>
          New image
        </Link>
      </PageHeader>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Gallery filters={filters} />
      </HydrationBoundary>
    </>
  );
}

/**
 * The filters in the page's URL that GET /v1/jobs accepts. A stale or hand-edited link with a
 * value the API refuses shows the unfiltered gallery rather than an error page.
 */
function readFilters(params: SearchParams): JobFilters {
  const filters: JobFilters = {};
  for (const key of ["status", "model", "tier"] as const) {
    const value = params[key];
    if (typeof value !== "string" || value === "") continue;
    if (jobListQuerySchema.safeParse({ [key]: value }).success) filters[key] = value;
  }
  // A model outside the chosen tier would match nothing; the tier is the broader choice.
  if (filters.model && filters.tier && findModel(filters.model)?.tier !== filters.tier) delete filters.model;
  return filters;
}
