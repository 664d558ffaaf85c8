import "server-only";

// A test hook, inert unless EASEL_CRASH_AT names a step: the process then kills itself with
// SIGKILL — no cleanup, no finally, as a power cut would — the first time it reaches that step.
// lib/jobs/crash-points.test.ts runs a worker process for each step and checks that a restarted
// worker and the sweeper recover every job with its money intact. Never set it in production.

export const CRASH_STEPS = [
  /** A claim committed; the jobs are processing under this worker's lease. */
  "after-claim",
  /** The provider answered; nothing stored yet. */
  "after-provider",
  /** The images' bytes are stored; no record points to them yet. */
  "after-store",
  /** Inside the settlement transaction: status, images and money written, not committed. */
  "in-settlement",
  /** The settlement committed; the worker has not yet acknowledged it (nor cleaned up). */
  "after-commit",
  /** A webhook was sent and answered; the attempt is not yet recorded. */
  "in-webhook-delivery",
] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

const armed = process.env.EASEL_CRASH_AT;

export function crashPoint(step: CrashStep): void {
  if (armed === step) process.kill(process.pid, "SIGKILL");
}
