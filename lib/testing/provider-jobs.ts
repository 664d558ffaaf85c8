// Runs real jobs through a real upstream adapter: the environment points the adapter at a fake
// server, an in-process worker claims the job, the adapter calls the fake, and the job settles
// like any other. Tests then read the job, the account's money and the ledger invariants.
import type { Job } from "@/db/schema";
import { getBalance, type Balance } from "@/lib/billing/balance";
import { assertLedgerInvariants } from "@/lib/billing/invariants";
import { JobWorker } from "@/lib/jobs/worker";
import { createTestAccount } from "./fixtures";
import { submitJob, waitForTerminal } from "./jobs";

/** Every variable any upstream reads: cleared around a test so that only its own are set. */
export const UPSTREAM_VARIABLES = [
  "FAL_KEY",
  "FAL_QUEUE_URL",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "GEMINI_API_KEY",
  "GEMINI_BASE_URL",
  "GOOGLE_VERTEX_PROJECT",
  "GOOGLE_VERTEX_LOCATION",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "VERTEX_BASE_URL",
  "GOOGLE_TOKEN_URL",
  "BFL_API_KEY",
  "BFL_BASE_URL",
  "RECRAFT_API_TOKEN",
  "RECRAFT_BASE_URL",
  "IDEOGRAM_API_KEY",
  "IDEOGRAM_BASE_URL",
  "MINIMAX_API_KEY",
  "MINIMAX_BASE_URL",
] as const;

/** Sets `env` (and clears every other upstream variable) for the duration of `work`. */
export async function withUpstreamEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = new Map(UPSTREAM_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of UPSTREAM_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const name of Object.keys(env)) if (!saved.has(name as (typeof UPSTREAM_VARIABLES)[number])) delete process.env[name];
  }
}

export type RanJob = { job: Job; before: Balance; after: Balance };

/** What the account paid for the job, in micro-dollars. */
export const chargedMicros = (run: Pick<RanJob, "before" | "after">) => run.before.balanceMicros - run.after.balanceMicros;

/**
 * Submits `body` for a fresh funded account with `env` set, runs it to its end with a worker,
 * and returns the job and the account's balance before and after. Checks the ledger invariants.
 */
export async function runJobWith(
  env: Record<string, string>,
  body: Record<string, unknown>,
  options: { creditUsd?: string; timeoutMs?: number; providerRetryBaseMs?: number; providerTimeoutMs?: number } = {},
): Promise<RanJob> {
  return withUpstreamEnv(env, async () => {
    const { principal, account } = await createTestAccount({ creditUsd: options.creditUsd ?? "10" });
    const before = (await getBalance({ accountId: account.id }))!;
    const worker = new JobWorker({
      concurrency: 4,
      providerRetryBaseMs: options.providerRetryBaseMs ?? 5,
      ...(options.providerTimeoutMs ? { providerTimeoutMs: options.providerTimeoutMs } : {}),
    });
    await worker.start();
    try {
      const submitted = await submitJob(principal, body);
      const job = await waitForTerminal(principal, submitted.id, options.timeoutMs ?? 30_000);
      const after = (await getBalance({ accountId: account.id }))!;
      await assertLedgerInvariants({ accountId: account.id });
      return { job, before, after };
    } finally {
      await worker.stop();
    }
  });
}
