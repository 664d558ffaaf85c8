"use client";

import { useEffect, useState } from "react";
import { useInBrowser } from "@/components/ui/when";
import type { JobObject } from "@/lib/queries/jobs";

const STYLES: Record<JobObject["status"], string> = {
  queued: "bg-neutral-100 text-neutral-700 dark:bg-neutral-800 dark:text-neutral-300",
  processing: "bg-accent-50 text-accent-700 dark:bg-accent-700/20 dark:text-accent-100",
  succeeded: "bg-emerald-50 text-emerald-700 dark:bg-emerald-900/40 dark:text-emerald-300",
  failed: "bg-red-50 text-red-700 dark:bg-red-900/40 dark:text-red-300",
  expired: "bg-amber-50 text-amber-800 dark:bg-amber-900/40 dark:text-amber-300",
  canceled: "bg-neutral-100 text-neutral-600 dark:bg-neutral-800 dark:text-neutral-400",
};

/**
 * Seconds since `from`, ticking while `running`. Null on the server and while hydrating: the
 * two renders must produce the same text, and a clock read during render would not.
 */
export function useElapsed(from: string | null, running: boolean): number | null {
  const inBrowser = useInBrowser();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  return from && inBrowser ? Math.max(0, Math.floor((now - new Date(from).getTime()) / 1000)) : null;
}

export function StatusBadge({ job }: { job: Pick<JobObject, "status" | "started_at"> }) {
  const elapsed = useElapsed(job.started_at, job.status === "processing");
  return (
    <span
      data-testid="job-status"
      data-status={job.status}
      className={`tabular inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[job.status]}`}
    >
      {job.status === "processing" && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
      {job.status}
      {job.status === "processing" && elapsed !== null && <span>· {elapsed}s</span>}
    </span>
  );
}
