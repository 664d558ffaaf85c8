// Runs once before the suite. On Postgres: refuses a database that is not on this machine
// (tests write freely), then applies migrations once before the test files start in parallel.
// Afterwards: removes the files the run stored in temporary directories.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect, disconnect } from "@/db/client";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

export default async function setup() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const host = new URL(url).hostname;
    if (!LOCAL_HOSTS.has(host) && process.env.EASEL_TEST_ALLOW_REMOTE_DB !== "1") {
      throw new Error(`Refusing to run the tests against ${host}: DATABASE_URL must point at a local database.`);
    }
    await connect();
    await disconnect();
  }
  return teardown;
}

/** The shared data directory of vitest.config.mts, and in-memory runs' file directories. */
function teardown() {
  const tmp = os.tmpdir();
  fs.rmSync(path.join(tmp, `easel-test-${process.pid}`), { recursive: true, force: true });
  for (const entry of fs.readdirSync(tmp)) {
    const pid = Number(/^easel-files-(\d+)$/.exec(entry)?.[1]);
    if (pid && !isAlive(pid)) fs.rmSync(path.join(tmp, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
