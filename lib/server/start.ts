import "server-only";
import { connect } from "@/db/client";
import { trustedProxyHops } from "@/lib/http/client-address";
import { logger } from "@/lib/http/logger";
import { startQueueProcessing } from "@/lib/jobs/runtime";
import { checkFileUrlSettings } from "@/lib/storage/file-urls";
import { startPeriodicCleanup } from "@/lib/storage/upload-expiry";
import { rootSecret } from "./secrets";

/**
 * What the app process does at start: open and migrate the database, make sure the root
 * secret exists (a production server without AUTH_SECRET stops here), and — unless
 * EASEL_WORKER=off, as for stateless app instances that leave the queue to `npm run worker` —
 * run a worker and a sweeper in this process.
 */
export async function startServer(): Promise<void> {
  // Settings that cannot work stop the server here, not on each request.
  trustedProxyHops();
  const connection = await connect();
  checkFileUrlSettings();
  // Auth.js reads AUTH_SECRET from the environment; in development it is generated once.
  process.env.AUTH_SECRET ??= rootSecret();
  logger.info({ driver: connection.driver }, "database ready");
  startPeriodicCleanup(); // expired uploads and sessions, images stored but never recorded
  if (process.env.EASEL_WORKER === "off") return;
  await startQueueProcessing();
}

/** A server that cannot start properly must not start half-working. */
export async function startServerOrExit(): Promise<void> {
  try {
    await startServer();
  } catch (error) {
    console.error(`Easel cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
