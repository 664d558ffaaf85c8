"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { XCircle } from "lucide-react";
import { toast } from "sonner";
import { Button, buttonClass } from "@/components/ui/button";
import { apiClient, ApiRequestError, unwrap } from "@/lib/queries/api-client";
import { jobQuery, refreshAfterMoney, type JobObject } from "@/lib/queries/jobs";
import { formatUsdNumber } from "@/lib/money";

/** Cancels a queued or processing job, after a confirmation that says what happens to the money. */
export function CancelJob({ job }: { job: JobObject }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => unwrap(apiClient.POST("/v1/jobs/{id}/cancel", { params: { path: { id: job.id } } })),
    onSuccess: (canceled) => {
      queryClient.setQueryData(jobQuery(job.id).queryKey, canceled);
      refreshAfterMoney(queryClient);
      toast.success(`Job canceled. ${formatUsdNumber(canceled.released_amount ?? canceled.estimated_cost)} released back to your balance.`);
    },
    onError: (error) => {
      // The job ended (succeeded, failed) between the click and the request: show how it ended.
      if (error instanceof ApiRequestError && error.code === "job_not_cancelable") {
        refreshAfterMoney(queryClient);
        toast.info("The job finished before it could be canceled.");
      } else {
        toast.error(error instanceof Error ? error.message : "Could not cancel the job.");
      }
    },
  });

  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger asChild>
        <Button variant="secondary" disabled={cancel.isPending} data-testid="cancel-job" className="text-red-600 dark:text-red-400">
          <XCircle className="size-4" aria-hidden />
          {cancel.isPending ? "Canceling…" : "Cancel job"}
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <AlertDialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-6 shadow-xl dark:bg-neutral-900">
          <AlertDialog.Title className="text-lg font-semibold">Cancel this job?</AlertDialog.Title>
          <AlertDialog.Description className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">
            Its hold of <span className="tabular font-medium text-neutral-900 dark:text-neutral-100">{formatUsdNumber(job.estimated_cost)}</span> is
            released back to your balance at once, and nothing is charged. Images still being drawn are discarded.
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel className={buttonClass("secondary")}>Keep it running</AlertDialog.Cancel>
            <AlertDialog.Action className={buttonClass("danger")} data-testid="confirm-cancel" onClick={() => cancel.mutate()}>
              Cancel job
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
