import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { JobDetail } from "@/components/gallery/job-detail";
import { currentAccount } from "@/lib/auth/current";
import { NotFound } from "@/lib/errors";
import { presentJob } from "@/lib/jobs/present";
import { getJob } from "@/lib/jobs/queries";
import { makeQueryClient } from "@/lib/queries/client";
import { jobQuery } from "@/lib/queries/jobs";
import { pageOrigin } from "@/lib/server/page-origin";
import { servedModels } from "@/lib/catalog/served";
import { modelsQuery } from "@/lib/queries/models";

export const metadata: Metadata = { title: "Job" };

// One job, prefetched into jobQuery(id)'s cache entry; the browser keeps it live while it runs.
export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const me = await currentAccount();
  const job = await getJob({ accountId: me.accountId, jobId: id }).catch((error: unknown) => {
    // Another account's job, or no job at all (a malformed id included): the same 404 as the API.
    if (error instanceof NotFound) notFound();
    throw error;
  });
  const queryClient = makeQueryClient();
  // The catalogue with each model's typical duration: running jobs show progress against it.
  queryClient.setQueryData(modelsQuery.queryKey, await servedModels());
  queryClient.setQueryData(jobQuery(id).queryKey, await presentJob(job, await pageOrigin()));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <JobDetail id={id} />
    </HydrationBoundary>
  );
}
