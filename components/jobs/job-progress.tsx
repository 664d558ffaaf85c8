"use client";

import { useQuery } from "@tanstack/react-query";
import { useElapsed } from "@/components/jobs/status-badge";
import { progressOf, queueLine } from "@/lib/jobs/progress";
import type { JobObject } from "@/lib/queries/jobs";
import { modelsQuery } from "@/lib/queries/models";

/** How long `modelId` usually takes, in ms, from the catalogue (null without recent history). */
export function useTypicalDuration(modelId: string): number | null {
  const { data } = useQuery({ ...modelsQuery, select: (models) => models.find((m) => m.id === modelId)?.typical_duration_ms ?? null });
  return data ?? null;
}

/**
 * A running job's elapsed time against its model's typical duration, as a progress bar — an
 * estimate, so it fills to the typical time and then says the job is taking longer. A queued
 * job shows its place in the queue instead. Nothing for jobs that have ended.
 */
export function JobProgress({ job, className = "" }: { job: Pick<JobObject, "status" | "started_at" | "model" | "queue_position">; className?: string }) {
  const typicalMs = useTypicalDuration(job.model);
  const elapsed = useElapsed(job.started_at, job.status === "processing");

  if (job.status === "queued") {
    return (
      <p className={`tabular text-xs text-muted ${className}`} data-testid="job-queue" data-queue-position={job.queue_position ?? ""}>
        {queueLine(job.queue_position)}
      </p>
    );
  }
  if (job.status !== "processing") return null;

  const { typicalSeconds: typical, fraction, late, text } = progressOf(elapsed, typicalMs);
  return (
    // aria-live off: a clock inside a status region would be read out every second.
    <div className={`w-full space-y-1 ${className}`} aria-live="off" data-testid="job-progress" data-typical-ms={typicalMs ?? ""}>
      <div
        role="progressbar"
        aria-label="Time running against the model's typical duration"
        aria-valuemin={0}
        aria-valuemax={typical ?? undefined}
        aria-valuenow={fraction === null || typical === null ? undefined : Math.round(fraction * typical)}
        aria-valuetext={text}
        className="h-1.5 w-full overflow-hidden rounded-full bg-neutral-200 dark:bg-neutral-700"
      >
        <div
          className={`h-full rounded-full bg-accent-600 transition-[width] duration-500 ease-linear dark:bg-accent-500 ${fraction === null || late ? "animate-pulse" : ""}`}
          style={{ width: `${fraction === null ? 100 : Math.max(4, fraction * 100)}%` }}
        />
      </div>
      <p className="tabular text-xs text-muted" data-testid="job-progress-text">
        {text}
      </p>
    </div>
  );
}
