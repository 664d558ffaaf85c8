"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { StatusBadge } from "@/components/jobs/status-badge";
import { useSettlementRefresh } from "@/components/jobs/use-settlement-refresh";
import { Card } from "@/components/ui/card";
import { formatUsd, formatUsdNumber, parseUsd } from "@/lib/money";
import { activeJobsQuery } from "@/lib/queries/billing";

/** The credit held right now, job by job: each hold becomes a charge and a release when its job ends. */
export function ActiveHolds() {
  const { data: jobs = [] } = useQuery(activeJobsQuery);
  useSettlementRefresh(jobs);
  const total = jobs.reduce((sum, job) => sum + (parseUsd(String(job.estimated_cost)) ?? 0n), 0n); // exact, in micro-dollars
  return (
    <Card>
      <div className="flex items-baseline justify-between gap-2">
        <h2 className="font-semibold">Held for running jobs</h2>
        {jobs.length > 0 && <p className="tabular text-sm text-muted">{formatUsd(total)} held</p>}
      </div>
      {jobs.length === 0 ? (
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400" data-testid="holds-empty">
          Nothing is held: no job is running.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-neutral-100 dark:divide-neutral-800" data-testid="holds-list">
          {jobs.map((job) => (
            <li key={job.id} className="flex items-center justify-between gap-3 py-2 text-sm" data-testid="hold-row" data-job-id={job.id}>
              <Link href={`/gallery/${job.id}`} className="min-w-0 flex-1 truncate hover:underline">
                {job.prompt}
              </Link>
              <span className="hidden text-muted sm:inline">{job.model}</span>
              <StatusBadge job={job} />
              <span className="tabular w-24 text-right font-medium">{formatUsdNumber(job.estimated_cost)} held</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
