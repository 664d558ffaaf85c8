"use client";

import { AlertTriangle, Ban, Clock, ImageOff, Images, Loader2, TimerOff } from "lucide-react";
import Link from "next/link";
import { jobMoneyLine } from "@/components/jobs/money";
import type { JobObject } from "@/lib/queries/jobs";
import { modelName } from "@/components/gallery/catalog";
import { JobProgress } from "@/components/jobs/job-progress";
import { StatusBadge } from "@/components/jobs/status-badge";
import { ShortTime } from "@/components/ui/when";

/**
 * One job as a tile, in the gallery's grid and the composer's Recent strip: its first image (or
 * what it is doing instead), status, model and money. `testId` names it (and its image and money)
 * for the browser tests.
 */
export function JobTile({ job, testId = "gallery-item" }: { job: JobObject; testId?: string }) {
  const image = job.images[0];
  return (
    <li data-testid={testId} data-job-id={job.id} data-status={job.status}>
      <Link
        href={`/gallery/${job.id}`}
        className="group block h-full overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm transition-shadow hover:shadow-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-500 dark:border-neutral-800 dark:bg-neutral-900"
      >
        <div className="relative aspect-square overflow-hidden bg-neutral-100 dark:bg-neutral-800">
          {image ? (
            // eslint-disable-next-line @next/next/no-img-element -- signed, expiring URLs of our own files: next/image's optimiser would cache them past expiry
            <img
              src={image.thumbnail_url}
              width={image.width}
              height={image.height}
              loading="lazy"
              decoding="async"
              alt={job.prompt}
              className="size-full object-cover transition-transform duration-300 group-hover:scale-[1.02]"
              data-testid={`${testId}-image`}
            />
          ) : (
            <TilePlaceholder job={job} />
          )}
          {job.images.length > 1 && (
            <span className="tabular absolute right-2 top-2 inline-flex items-center gap-1 rounded-md bg-black/60 px-1.5 py-0.5 text-xs font-medium text-white">
              <Images className="size-3.5" aria-hidden />
              {job.images.length}
              <span className="sr-only">images</span>
            </span>
          )}
        </div>
        <div className="space-y-2 p-3">
          {/* With an image, its alt text already reads the prompt out. */}
          <p className="truncate text-sm font-medium" title={job.prompt} aria-hidden={image ? true : undefined}>
            {job.prompt}
          </p>
          <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
            <span className="whitespace-nowrap">
              <StatusBadge job={job} />
            </span>
            <ShortTime iso={job.created_at} className="shrink-0 text-xs text-muted" />
          </div>
          <div className="grid gap-0.5 text-xs text-muted sm:flex sm:items-baseline sm:justify-between sm:gap-2">
            <span className="truncate">{modelName(job.model)}</span>
            <span className="tabular truncate text-neutral-700 sm:shrink-0 dark:text-neutral-300" data-testid={`${testId}-money`}>
              {jobMoneyLine(job)}
            </span>
          </div>
        </div>
      </Link>
    </li>
  );
}

/** What stands in for the image: the job's progress, or why there is none. */
function TilePlaceholder({ job }: { job: JobObject }) {
  const { icon: Icon, text, tone } = placeholderFor(job);
  return (
    <div className={`flex size-full flex-col items-center justify-center gap-2 p-4 text-center text-sm ${tone}`}>
      <Icon className={`size-6 ${job.status === "processing" ? "animate-spin" : ""}`} aria-hidden />
      <span className="line-clamp-3 max-w-full break-words">{text}</span>
      <JobProgress job={job} className="max-w-40" />
    </div>
  );
}

function placeholderFor(job: JobObject) {
  const muted = "text-muted";
  const n = job.params.n;
  switch (job.status) {
    case "queued":
      return { icon: Clock, text: "Queued", tone: muted };
    case "processing":
      return { icon: Loader2, text: `Generating ${n} image${n === 1 ? "" : "s"}`, tone: "text-accent-600 dark:text-accent-100" };
    case "failed":
      return { icon: AlertTriangle, text: job.error?.message || "Failed", tone: "text-red-700 dark:text-red-300" };
    case "expired":
      return { icon: TimerOff, text: "Expired before it finished", tone: "text-amber-800 dark:text-amber-300" };
    case "canceled":
      return { icon: Ban, text: "Canceled", tone: muted };
    default:
      return { icon: ImageOff, text: "No image", tone: muted };
  }
}
