import { Card } from "@/components/ui/card";
import { isActive, type JobObject } from "@/lib/queries/jobs";
import { formatUsdNumber } from "@/lib/money";

/**
 * What the job did with money, each amount with its meaning (STYLE.md): the estimate held when
 * it was accepted, then what was charged and what went back. `data-usd` carries the API's exact
 * number for tests and scripts; people read the formatted amount.
 */
export function JobMoney({ job }: { job: JobObject }) {
  const running = isActive(job);
  const charged = job.charged_amount ?? 0;
  const released = job.released_amount ?? 0;
  return (
    <Card>
      <h2 className="text-sm font-semibold">Cost</h2>
      <dl className="mt-4 space-y-3 text-sm">
        <Amount testId="money-estimated" label="Estimated (held when accepted)" amount={job.estimated_cost} muted={!running} />
        {!running && (
          <>
            <Amount testId="money-charged" label="Charged" amount={charged} strong />
            <Amount testId="money-released" label="Released back to your balance" amount={released} />
          </>
        )}
      </dl>
      <p className="mt-4 border-t border-neutral-100 pt-3 text-xs text-neutral-600 dark:border-neutral-800 dark:text-neutral-400" data-testid="money-note">
        {running ? (
          <span data-testid="money-held">
            Held: <span className="tabular font-medium">{formatUsdNumber(job.estimated_cost)}</span> — charged only for images delivered.
          </span>
        ) : job.status === "succeeded" ? (
          released > 0 ? (
            "You paid only for the images delivered; the rest of the hold went back to your balance."
          ) : (
            "Every image was delivered, so the estimate was charged in full."
          )
        ) : (
          `The job ${job.status === "canceled" ? "was canceled" : job.status === "expired" ? "expired" : "failed"}, so the whole hold was released: you were not charged.`
        )}
      </p>
    </Card>
  );
}

function Amount({ testId, label, amount, strong = false, muted = false }: { testId: string; label: string; amount: number; strong?: boolean; muted?: boolean }) {
  return (
    <div className="flex items-baseline justify-between gap-4">
      <dt className="text-neutral-600 dark:text-neutral-400">{label}</dt>
      <dd
        data-testid={testId}
        data-usd={String(amount)}
        className={`tabular shrink-0 ${strong ? "font-semibold" : ""} ${muted ? "text-neutral-600 dark:text-neutral-400" : ""}`}
      >
        {formatUsdNumber(amount)}
      </dd>
    </div>
  );
}
