"use client";

import { useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { ImagePlus, SearchX } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useMemo, useTransition } from "react";
import { useSettlementRefresh } from "@/components/jobs/use-settlement-refresh";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { galleryQuery, jobsSearch, type JobFilters } from "@/lib/queries/jobs";
import { GalleryFilters } from "./gallery-filters";
import { JobTile } from "@/components/jobs/job-tile";
import { LoadMore } from "./load-more";

/**
 * Every job of the account, newest first, a page at a time. The server page prefetched the first
 * page for these `filters`; changing a filter rewrites the URL, so a filtered view is linkable,
 * and the server page renders again with that page prefetched.
 */
export function Gallery({ filters }: { filters: JobFilters }) {
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();
  const query = useSuspenseInfiniteQuery(galleryQuery(filters));
  const jobs = useMemo(() => query.data.pages.flatMap((page) => page.data), [query.data]);
  useSettlementRefresh(jobs);

  const setFilters = (next: JobFilters) => {
    const search = new URLSearchParams(jobsSearch(next));
    search.delete("limit");
    const suffix = search.size > 0 ? `?${search}` : "";
    startNavigation(() => router.replace(`${pathname}${suffix}`, { scroll: false }));
  };

  const { fetchNextPage, hasNextPage, isFetchingNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = Boolean(filters.status || filters.model || filters.tier);

  return (
    <>
      <GalleryFilters filters={filters} onChange={setFilters} />
      <div aria-busy={navigating} className={navigating ? "opacity-60 transition-opacity" : "transition-opacity"}>
        {jobs.length === 0 ? (
          filtered ? (
            <Card className="flex flex-col items-center gap-3 py-14 text-center" data-testid="gallery-empty" data-filtered="true">
              <SearchX className="size-8 text-neutral-400" aria-hidden />
              <p className="font-medium">No jobs match these filters.</p>
              <p className="text-sm text-neutral-600 dark:text-neutral-400">Try another status, model or tier, or see every job.</p>
              <Button variant="secondary" onClick={() => setFilters({})}>
                Clear filters
              </Button>
            </Card>
          ) : (
            <Card className="flex flex-col items-center gap-3 py-14 text-center" data-testid="gallery-empty">
              <ImagePlus className="size-8 text-neutral-400" aria-hidden />
              <p className="font-medium">No jobs yet — go to Compose.</p>
              <p className="max-w-md text-sm text-neutral-600 dark:text-neutral-400">
                Every image you generate, in the browser or through the API, lands here with what it cost.
              </p>
              <Link href="/compose" className={buttonClass("primary")}>
                Go to Compose
              </Link>
            </Card>
          )
        ) : (
          <>
            <ul data-testid="gallery-grid" className="grid grid-cols-2 gap-3 sm:gap-4 md:grid-cols-3 lg:grid-cols-4">
              {jobs.map((job) => (
                <JobTile key={job.id} job={job} />
              ))}
            </ul>
            <LoadMore hasMore={hasNextPage} loading={isFetchingNextPage} onLoad={loadMore} />
          </>
        )}
      </div>
    </>
  );
}
