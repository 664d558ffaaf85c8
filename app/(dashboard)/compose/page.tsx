import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { Composer } from "@/components/compose/composer";
import { PageHeader } from "@/components/dashboard/page-header";
import { currentAccount } from "@/lib/auth/current";
import type { Seed } from "@/lib/compose/state";
import { isJobId } from "@/lib/jobs/job-id";
import { presentJobs } from "@/lib/jobs/present";
import { getJob, listJobs } from "@/lib/jobs/queries";
import { makeQueryClient } from "@/lib/queries/client";
import { recentJobsQuery } from "@/lib/queries/jobs";
import { pageOrigin } from "@/lib/server/page-origin";
import { servedModels } from "@/lib/catalog/served";
import { modelsQuery } from "@/lib/queries/models";

export const metadata: Metadata = { title: "Compose" };

export default async function ComposePage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  const me = await currentAccount();
  const { from } = await searchParams;
  const origin = await pageOrigin();

  // The Recent strip is in the first paint; the browser polls it while anything runs.
  const queryClient = makeQueryClient();
  const recent = await listJobs({ accountId: me.accountId, limit: 8 });
  // The catalogue with each model's typical duration: running jobs show progress against it.
  queryClient.setQueryData(modelsQuery.queryKey, await servedModels());
  queryClient.setQueryData(recentJobsQuery.queryKey, {
    object: "list" as const,
    data: await presentJobs(recent.jobs, origin, recent.images),
    has_more: recent.nextCursor !== null,
    next_cursor: recent.nextCursor,
  });

  // "Use this prompt again": start from one of the user's own jobs.
  let seed: Seed | undefined;
  if (from && isJobId(from)) {
    const job = await getJob({ accountId: me.accountId, jobId: from }).catch(() => null);
    if (job) seed = { model: job.model, prompt: job.prompt, params: job.params };
  }

  return (
    <>
      <PageHeader title="Compose" description="Write a prompt, pick a model, and see exactly what it costs before you spend it." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <Composer key={from ?? "new"} seed={seed} />
      </HydrationBoundary>
    </>
  );
}
