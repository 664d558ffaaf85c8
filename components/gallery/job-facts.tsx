import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import type { JobObject } from "@/lib/queries/jobs";
import { modelName } from "./catalog";
import { FullTime } from "@/components/ui/when";

/** The prompt, copyable: reading it back is half of why people open a job. */
export function JobPrompt({ prompt }: { prompt: string }) {
  return (
    <Card>
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold">Prompt</h2>
        <CopyButton text={prompt} label="Copy prompt" data-testid="copy-prompt" />
      </div>
      <p className="mt-3 whitespace-pre-wrap break-words text-sm leading-relaxed text-neutral-800 dark:text-neutral-200" data-testid="job-prompt">
        {prompt}
      </p>
    </Card>
  );
}

/** "local · first choice", or which fallback along the model's provider chain served the job. */
export function providerLine(job: Pick<JobObject, "provider" | "fallback_layer">): string {
  if (!job.provider) return "Not assigned yet";
  const layer = job.fallback_layer ?? 0;
  return `${job.provider} · ${layer === 0 ? "first choice" : `layer ${layer} fallback`}`;
}

/** Everything the job was asked for and what ran it, with its timeline. */
export function JobFacts({ job }: { job: JobObject }) {
  const { params } = job;
  const references = params.image_urls ?? [];
  return (
    <Card>
      <h2 className="text-sm font-semibold">Details</h2>
      <dl className="mt-4 space-y-3 text-sm">
        <Fact label="Model">
          {modelName(job.model)} <span className="block font-mono text-xs text-muted">{job.model}</span>
        </Fact>
        <Fact label="Size">
          <span className="tabular">
            {params.size} · {params.width}×{params.height}
          </span>
        </Fact>
        <Fact label="Images">
          <span className="tabular">{params.n}</span>
        </Fact>
        {params.quality && <Fact label="Quality">{params.quality}</Fact>}
        {params.seed !== undefined && (
          <Fact label="Seed">
            <span className="tabular font-mono">{params.seed}</span>
          </Fact>
        )}
        {references.length > 0 && (
          <Fact label={`References (${references.length})`}>
            <ul className="space-y-1">
              {references.map((url, index) => (
                <li key={`${index}-${url}`} className="truncate">
                  <a href={url} target="_blank" rel="noreferrer" className="font-mono text-xs text-link hover:underline" title={url}>
                    {url}
                  </a>
                </li>
              ))}
            </ul>
          </Fact>
        )}
        <Fact label="Provider">
          <span data-testid="job-provider">{providerLine(job)}</span>
        </Fact>
        {job.upstream_request_id && (
          <Fact label="Upstream id">
            <span className="font-mono text-xs" data-testid="job-upstream-request-id">
              {job.upstream_request_id}
            </span>
          </Fact>
        )}
      </dl>
      <h3 className="mt-6 text-sm font-semibold">Timeline</h3>
      <dl className="mt-3 space-y-3 text-sm">
        <Fact label="Created">
          <FullTime iso={job.created_at} />
        </Fact>
        <Fact label="Started">
          <FullTime iso={job.started_at} />
        </Fact>
        <Fact label={job.status === "succeeded" ? "Completed" : "Ended"}>
          <FullTime iso={job.completed_at} />
        </Fact>
        {job.started_at && job.completed_at && (
          <Fact label="Took">
            <span className="tabular">{seconds(job.started_at, job.completed_at)}</span>
          </Fact>
        )}
      </dl>
    </Card>
  );
}

const seconds = (from: string, to: string) => `${((new Date(to).getTime() - new Date(from).getTime()) / 1000).toFixed(1)} s`;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-3">
      <dt className="text-neutral-600 dark:text-neutral-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
