// `npm run worker` — a worker process for a Postgres deployment: claims and runs jobs, sweeps
// what dead workers left, and on SIGTERM stops claiming, finishes what it holds (or hands it
// back after EASEL_WORKER_GRACE_MS) and exits. Run as many as you like, on any machines.
import { disconnect } from "@/db/client";
import { logger } from "@/lib/http/logger";
import { startQueueProcessing } from "@/lib/jobs/runtime";

async function main() {
  if (!process.env.DATABASE_URL) {
    console.error(
      "npm run worker needs DATABASE_URL: on the embedded database the app process runs the worker itself " +
        "(and a second process must not open the same PGlite directory).",
    );
    process.exit(2);
  }
  const runtime = await startQueueProcessing();
  const grace = Number(process.env.EASEL_WORKER_GRACE_MS ?? 20_000);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, active: runtime.worker.activeJobs }, "stopping worker");
    await runtime.stop(grace);
    await disconnect();
    process.exit(0);
  };
  // A rejection nobody awaited (a driver's background reconnect, say) is logged, not fatal: the
  // queue's state is in the database, guarded by leases, and the worker carries on.
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error) => {
  logger.error({ err: error }, "worker failed to start");
  process.exit(1);
});
