// `npm run worker` as a child process, as an operator starts it, for tests of real processes.
import { spawn, type ChildProcess } from "node:child_process";
import { eventually } from "./fixtures";

export type WorkerProcess = { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

/** Spawns a worker; with `waitFor`, resolves once that text appears in its logs. */
export async function spawnWorker(env: Record<string, string>, options: { waitFor?: string } = {}): Promise<WorkerProcess> {
  const child = spawn("node", ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const worker = { child, output: () => output, exited };
  if (options.waitFor) {
    const text = options.waitFor;
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited early: ${output}`);
        return output.includes(text) ? true : undefined;
      },
      30_000,
      `the worker process to log "${text}"`,
    );
  }
  return worker;
}
