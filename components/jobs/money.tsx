import type { JobObject } from "@/lib/queries/jobs";
import { formatUsd, parseUsd } from "@/lib/money";

/** An API amount (a JSON number of USD) for people: "$0.054". Exact: via micro-dollars. */
export const usd = (amount: number) => formatUsd(parseUsd(String(amount)) ?? 0n);

/** What a job's money is doing, in words: held while it runs, then charged and released. */
export function jobMoneyLine(job: Pick<JobObject, "status" | "estimated_cost" | "charged_amount" | "released_amount">): string {
  if (job.charged_amount === null) return `${usd(job.estimated_cost)} held`;
  if (job.status !== "succeeded") return `${usd(job.released_amount ?? job.estimated_cost)} released`;
  const released = job.released_amount ?? 0;
  return released > 0 ? `${usd(job.charged_amount)} charged · ${usd(released)} released` : `${usd(job.charged_amount)} charged`;
}
