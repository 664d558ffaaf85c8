"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { JobTile } from "@/components/jobs/job-tile";
import { useSettlementRefresh } from "@/components/jobs/use-settlement-refresh";
import { recentJobsQuery } from "@/lib/queries/jobs";

/** The last few jobs, live: queued → processing (with elapsed time) → images, without a reload. */
export function RecentJobs() {
  const { data } = useQuery(recentJobsQuery);
  const jobs = data?.data ?? [];
  useSettlementRefresh(jobs);
  return (
    <section aria-labelledby="recent-title" className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h2 id="recent-title" className="text-sm font-medium">Recent</h2>
        <Link href="/gallery" className="text-sm text-link hover:underline">All jobs in the gallery</Link>
      </div>
      {jobs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-neutral-300 p-6 text-center text-sm text-muted dark:border-neutral-700">
          Your images will appear here the moment you generate them.
        </p>
      ) : (
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="recent-jobs">
          {jobs.map((job) => (
            <JobTile key={job.id} job={job} testId="recent-job" />
          ))}
        </ul>
      )}
    </section>
  );
}
