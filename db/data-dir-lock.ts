import "server-only";
import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has one connection and no locking of its own: two processes that open one data
 * directory silently lose rows. This lock file makes the second process fail loudly instead.
 * Returns the function that releases it.
 */
export function acquireDataDirLock(directory: string): () => void {
  fs.mkdirSync(directory, { recursive: true });
  const lockPath = path.join(directory, "easel.lock");

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      const release = () => {
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(lockPath, "utf8"));
      if (owner === process.pid || !isAlive(owner)) {
        fs.rmSync(lockPath, { force: true }); // a stale lock from a process that died
        continue;
      }
      throw new Error(
        `The embedded database in ${directory} is in use by process ${owner}. ` +
          `Stop that process, or set DATABASE_URL to share a Postgres database between processes.`,
      );
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
