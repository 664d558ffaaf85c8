import type { JobObject } from "@/lib/queries/jobs";
import { formatUsdNumber } from "@/lib/money";

/** What a job's money is doing, in words: held while it runs, then charged and released. */
export function jobMoneyLine(job: Pick<JobObject, "status" | "estimated_cost" | "charged_amount" | "released_amount">): string {
  if (job.charged_amount === null) return `${formatUsdNumber(job.estimated_cost)} held`;
  if (job.status !== "succeeded") return `${formatUsdNumber(job.released_amount ?? job.estimated_cost)} released`;
  const released = job.released_amount ?? 0;
  return released > 0 ? `${formatUsdNumber(job.charged_amount)} charged · ${formatUsdNumber(released)} released` : `${formatUsdNumber(job.charged_amount)} charged`;
}
