import "server-only";
import pino from "pino";

/** One structured log line per event, with the request id on every line of a request. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof logger;
