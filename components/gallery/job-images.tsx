"use client";

import { AlertTriangle, Ban, Clock, Download, Loader2, TimerOff } from "lucide-react";
import { JobProgress } from "@/components/jobs/job-progress";
import { CopyButton } from "@/components/ui/copy-button";
import type { JobObject } from "@/lib/queries/jobs";
import { formatUsdNumber } from "@/lib/money";

/** `url` with `download=1`: the file route then answers as an attachment. */
function downloadUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("download", "1");
  return parsed.toString();
}

const FORMATS: Record<string, string> = { "image/png": "PNG", "image/svg+xml": "SVG", "image/jpeg": "JPEG", "image/webp": "WebP" };

/** The job's images at full size (two to a row when there are several), each downloadable. */
export function JobImages({ job }: { job: JobObject }) {
  if (job.images.length === 0) return <NoImages job={job} />;
  return (
    <section data-testid="job-images" aria-label="Images" className={`grid gap-4 ${job.images.length > 1 ? "sm:grid-cols-2" : ""}`}>
      {job.images.map((image, index) => (
        <figure
          key={image.url}
          data-testid="job-image"
          className="overflow-hidden rounded-xl border border-neutral-200 bg-white shadow-sm dark:border-neutral-800 dark:bg-neutral-900"
        >
          <a href={image.url} target="_blank" rel="noreferrer" className="block bg-neutral-100 dark:bg-neutral-800" title="Open full size in a new tab">
            {/* eslint-disable-next-line @next/next/no-img-element -- signed, expiring URLs of our own files: next/image's optimiser would cache them past expiry */}
            <img
              src={image.url}
              width={image.width}
              height={image.height}
              alt={job.images.length > 1 ? `${job.prompt} (image ${index + 1} of ${job.images.length})` : job.prompt}
              className="h-auto w-full"
            />
          </a>
          <figcaption className="flex items-center justify-between gap-3 px-4 py-3 text-sm">
            <span className="tabular text-neutral-600 dark:text-neutral-400">
              {image.width} × {image.height} · {FORMATS[image.content_type] ?? image.content_type}
            </span>
            <span className="flex items-center gap-2">
              <CopyButton text={image.url} label="Copy URL" srLabel={`Copy URL of image ${index + 1}`} data-testid="copy-image-url" />
              <a
                href={downloadUrl(image.url)}
                download
                data-testid="job-download"
                className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 font-medium text-accent-600 hover:bg-accent-50 focus-visible:outline-2 focus-visible:outline-accent-500 dark:text-accent-100 dark:hover:bg-accent-700/20"
              >
                <Download className="size-4" aria-hidden />
                Download<span className="sr-only"> image {index + 1}</span>
              </a>
            </span>
          </figcaption>
        </figure>
      ))}
    </section>
  );
}

/** In place of images: the job's progress, or a plain account of why there are none. */
function NoImages({ job }: { job: JobObject }) {
  const n = job.params.n;
  const frame = "flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed p-8 text-center";
  const aspect = { aspectRatio: `${job.params.width} / ${job.params.height}`, maxHeight: "70vh" };

  if (job.status === "queued" || job.status === "processing") {
    const Icon = job.status === "queued" ? Clock : Loader2;
    return (
      <div className={`${frame} border-neutral-300 bg-neutral-100/60 dark:border-neutral-700 dark:bg-neutral-900`} style={aspect} role="status">
        <Icon className={`size-8 text-accent-600 ${job.status === "processing" ? "animate-spin" : ""}`} aria-hidden />
        <p className="font-medium">{job.status === "queued" ? "Queued — waiting for a worker" : `Generating ${n} image${n === 1 ? "" : "s"}`}</p>
        <JobProgress job={job} className="max-w-xs" />
        <p className="max-w-sm text-sm text-neutral-600 dark:text-neutral-400">This page updates by itself when the images are ready.</p>
      </div>
    );
  }

  const released = formatUsdNumber(job.released_amount ?? job.estimated_cost);
  const Icon = job.status === "canceled" ? Ban : job.status === "expired" ? TimerOff : AlertTriangle;
  return (
    <div className={`${frame} border-neutral-300 dark:border-neutral-700`} data-testid="job-no-images">
      <Icon className={`size-8 ${job.status === "canceled" ? "text-neutral-400" : "text-red-500"}`} aria-hidden />
      {job.error ? (
        <div data-testid="job-error" className="max-w-lg space-y-1">
          <p className="font-medium">{job.status === "expired" ? "This job expired" : "This job failed"}</p>
          <p className="text-sm text-neutral-700 dark:text-neutral-300">{job.error.message}</p>
          <p className="font-mono text-xs text-muted">{job.error.code}</p>
        </div>
      ) : (
        <p className="font-medium">{job.status === "canceled" ? "You canceled this job" : "No images were delivered"}</p>
      )}
      <p className="text-sm text-neutral-600 dark:text-neutral-400">
        The hold of <span className="tabular font-medium">{released}</span> was released back to your balance.
      </p>
    </div>
  );
}
