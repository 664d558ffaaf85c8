"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Sparkles } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { findModel } from "@/lib/catalog";
import {
  chooseModel,
  initialState,
  preview as previewOf,
  promptCount,
  requestBody,
  submitBlocker,
  withFilters,
  type ComposerState,
  type Seed,
} from "@/lib/compose/state";
import { formatUsdNumber, parseUsd } from "@/lib/money";
import { apiClient, ApiRequestError, unwrap, type Schemas } from "@/lib/queries/api-client";

type GenerationBody = Schemas["GenerationRequest"];
import { balanceQuery } from "@/lib/queries/balance";
import { recentJobsQuery, refreshAfterMoney, type JobList } from "@/lib/queries/jobs";
import { CostPreview } from "./cost-preview";
import { ModelPicker } from "./model-picker";
import { Options } from "./options";
import { PromptBox } from "./prompt-box";
import { RecentJobs } from "./recent-jobs";
import { References } from "./references";

/** The composer: prompt, model, options and references, its live cost, and submit. */
export function Composer({ seed }: { seed?: Seed }) {
  const [state, setState] = useState<ComposerState>(() => initialState(seed));
  const [error, setError] = useState<string>();
  const queryClient = useQueryClient();
  const { data: balance } = useQuery(balanceQuery);
  const available = balance ? parseUsd(String(balance.available)) : null;

  const model = findModel(state.modelId)!;
  const preview = useMemo(() => previewOf(state), [state]);
  const count = promptCount(state);
  const blocker = submitBlocker(preview, available);
  // One idempotency key per distinct request: a double click or a retry never makes two jobs.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const submit = useMutation({
    mutationFn: (body: GenerationBody) => {
      const json = JSON.stringify(body);
      if (attempt.current?.body !== json) attempt.current = { body: json, key: crypto.randomUUID() };
      return unwrap(apiClient.POST("/v1/images/generations", { body, params: { header: { "Idempotency-Key": attempt.current.key } } }));
    },
    onSuccess: (job) => {
      setError(undefined);
      attempt.current = null;
      queryClient.setQueryData<JobList>(recentJobsQuery.queryKey, (list) =>
        list ? { ...list, data: [job, ...list.data.filter((j) => j.id !== job.id)].slice(0, 8) } : list,
      );
      refreshAfterMoney(queryClient);
      toast.success("Job queued", { description: `${formatUsdNumber(job.estimated_cost)} held until it finishes.` });
    },
    onError: (e) => setError(e instanceof ApiRequestError ? e.message : "Could not reach Easel. Try again."),
  });

  const go = () => {
    if (blocker || submit.isPending) return;
    submit.mutate(requestBody(state));
  };
  const update = (patch: Partial<ComposerState>) => setState((s) => ({ ...s, ...patch }));

  return (
    <div className="space-y-8">
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
        <div className="space-y-6">
          <PromptBox value={state.prompt} length={count.length} max={count.max} onChange={(prompt) => update({ prompt })} onSubmit={go} />
          <ModelPicker state={state} onFilters={(f) => setState((s) => withFilters(s, f))} onModel={(id) => setState((s) => chooseModel(s, id))} />
        </div>
        <div className="space-y-6">
          <section aria-label="Options" className="space-y-4 rounded-lg border border-neutral-200 bg-white p-4 dark:border-neutral-800 dark:bg-neutral-900">
            <h2 className="text-sm font-medium">
              {model.name} <span className="font-normal text-muted">({model.id})</span>
            </h2>
            <Options state={state} onChange={update} />
          </section>
          <References state={state} onChange={(references) => update({ references })} />
        </div>
      </div>

      <div className="sticky bottom-0 z-10 -mx-4 border-t border-neutral-200 bg-neutral-50/95 px-4 py-4 backdrop-blur sm:mx-0 sm:rounded-lg sm:border dark:border-neutral-800 dark:bg-neutral-950/95">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <CostPreview preview={preview} availableMicros={available} />
          <div className="flex items-center gap-3">
            {blocker && (
              <p id="submit-blocker" className="text-sm text-neutral-600 dark:text-neutral-400" data-testid="submit-blocker">
                {blocker}
              </p>
            )}
            <Button onClick={go} disabled={Boolean(blocker) || submit.isPending} aria-describedby={blocker ? "submit-blocker" : undefined} data-testid="submit">
              <Sparkles className="size-4" aria-hidden />
              {submit.isPending ? "Submitting…" : "Generate"}
            </Button>
          </div>
        </div>
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400" data-testid="submit-error">
            {error}
          </p>
        )}
      </div>

      <RecentJobs />
    </div>
  );
}
