"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { ArrowLeft, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useSettlementRefresh } from "@/components/jobs/use-settlement-refresh";
import { buttonClass } from "@/components/ui/button";
import { isActive, jobQuery } from "@/lib/queries/jobs";
import { CancelJob } from "./cancel-job";
import { modelName } from "./catalog";
import { JobFacts, JobPrompt } from "./job-facts";
import { JobImages } from "./job-images";
import { JobMoney } from "./job-money";
import { StatusBadge } from "@/components/jobs/status-badge";
import { ShortTime } from "@/components/ui/when";

/** One job: its images large, then what it cost and how it ran. Live (polling) while it runs. */
export function JobDetail({ id }: { id: string }) {
  const { data: job } = useSuspenseQuery(jobQuery(id));
  useSettlementRefresh([job]);
  const running = isActive(job);

  return (
    <article data-testid="job-detail" data-status={job.status} className="space-y-6">
      <Link
        href="/gallery"
        className="inline-flex items-center gap-1.5 rounded-md text-sm text-neutral-600 hover:text-neutral-900 focus-visible:outline-2 focus-visible:outline-accent-500 dark:text-neutral-400 dark:hover:text-white"
      >
        <ArrowLeft className="size-4" aria-hidden />
        Gallery
      </Link>

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 flex-1 basis-80">
          <h1 className="line-clamp-2 text-2xl font-semibold tracking-tight break-words" title={job.prompt}>
            {job.prompt}
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-neutral-600 dark:text-neutral-400">
            <StatusBadge job={job} />
            <span>{modelName(job.model)}</span>
            <ShortTime iso={job.created_at} />
            <span className="font-mono text-xs text-muted">{job.id}</span>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {running && <CancelJob job={job} />}
          <Link href={`/compose?from=${job.id}`} className={buttonClass(running ? "secondary" : "primary")} data-testid="reuse-prompt">
            <RotateCcw className="size-4" aria-hidden />
            Use this prompt again
          </Link>
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <JobImages job={job} />
        </div>
        <div className="space-y-6">
          <JobMoney job={job} />
          <JobPrompt prompt={job.prompt} />
          <JobFacts job={job} />
        </div>
      </div>
    </article>
  );
}
