// More processes of the built app for tests of a deployment: app instances (`next start` of the
// same build), worker processes and the admin CLI, each with an environment of the test's
// choosing. Everything started here is stopped by `stopAll`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

const ROOT = path.join(__dirname, "..");
const started = new Set<ChildProcess>();

export type Instance = { origin: string; process: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> };

/** A shared secret for a set of instances (sessions and signed file URLs must agree). */
export const newAuthSecret = () => randomBytes(32).toString("base64url");

/** `env` over this process's environment; a variable given as undefined is unset. */
function baseEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return merged;
}

function track(child: ChildProcess, label: string): Instance["stop"] {
  started.add(child);
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk}`));
  return async (signal = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return void started.delete(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    await exited;
    started.delete(child);
  };
}

/** `next start` of the existing build on `port`; resolves once it answers. */
export async function startApp(port: number, env: Record<string, string | undefined>): Promise<Instance> {
  const child = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: ROOT,
    env: baseEnv({ PORT: String(port), AUTH_TRUST_HOST: "true", ...env }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const stop = track(child, `app:${port}`);
  const origin = `http://localhost:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app on port ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/v1/limits/tiers`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The app on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { origin, process: child, stop };
}

/** `npm run worker` with `env`. */
export function startWorker(env: Record<string, string | undefined>, label = "worker"): Instance {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: baseEnv(env),
    stdio: ["ignore", "ignore", "pipe"],
  });
  return { origin: "", process: child, stop: track(child, label) };
}

/** `npm run easel -- …` with `env`; its standard output, or a thrown error with its messages. */
export function easel(args: string[], env: Record<string, string | undefined>): string {
  const run = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/easel.ts", ...args], {
    cwd: ROOT,
    env: baseEnv(env),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`easel ${args[0]} failed (${run.status}): ${run.stderr}${run.stdout}`);
  return run.stdout.trim();
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
  started.clear();
}
