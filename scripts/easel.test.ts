// The admin CLI as an operator runs it: a separate process on the same database (Postgres) or
// on a data directory of its own (PGlite, which one process at a time may open).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { authenticateApiKey } from "@/lib/auth/api-keys";

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "easel-cli-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function easel(...args: string[]) {
  const env = { ...process.env, EASEL_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  try {
    const { stdout, stderr } = await run("node", ["--conditions=react-server", "--import", "tsx", "scripts/easel.ts", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run easel", () => {
  const email = `cli-${randomUUID()}@example.test`;

  test("user:create, key:create, credit:grant and balance", async () => {
    const created = await easel("user:create", "--email", email, "--password", "long enough", "--credit", "1.5");
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created ${email}`);

    const duplicate = await easel("user:create", "--email", email, "--password", "long enough");
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain("email_taken");

    const key = await easel("key:create", "--email", email, "--name", "ci");
    expect(key.code).toBe(0);
    expect(key.stdout).toMatch(/^esk_[0-9A-Za-z]{38}\n$/); // the secret alone on one line
    if (process.env.DATABASE_URL) {
      // Same database: the key works for the API at once.
      await expect(authenticateApiKey(key.stdout.trim())).resolves.toMatchObject({ apiKeyId: expect.any(String) });
    }

    const deposit = await easel("credit:grant", "--email", email, "--usd", "5", "--reason", "bank transfer", "--deposit");
    expect(deposit.code).toBe(0);
    const adjustment = await easel("credit:grant", "--email", email, "--usd=-0.5", "--reason", "correction");
    expect(adjustment.code).toBe(0);

    const balance = await easel("balance", "--email", email);
    expect(balance.stdout).toContain("balance $6, held $0, available $6, tier 1");

    const override = await easel("tier:override", "--email", email, "--tier", "4", "--until", "2999-01-01");
    expect(override.code).toBe(0);
    expect(override.stdout).toContain("tier 4 (set by support) until 2999-01-01T00:00:00.000Z");
    expect((await easel("balance", "--email", email)).stdout).toContain("tier 4 (set by support)");
    expect((await easel("tier:override", "--email", email, "--tier", "7")).stderr).toContain("--tier must be");
    expect((await easel("tier:override", "--email", email, "--clear")).stdout).toContain("tier 1 from deposits");
  });

  test.each([
    [["user:create", "--email", "x@example.test"], "--password is required"],
    [["credit:grant", "--email", "nobody@example.test", "--usd", "1", "--reason", "r"], "No user with email"],
    [["credit:grant", "--email", "x@example.test", "--usd", "1.0000001", "--reason", "r"], "at most 6 decimals"],
    [["frobnicate"], "Unknown command"],
  ])("refuses %j with a usage error", async (args, message) => {
    const result = await easel(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe.runIf(process.env.DATABASE_URL)("npm run easel -- migrate on Postgres", () => {
  test("four at once on a fresh database: each migration applied once, no lock left behind", { timeout: 120_000 }, async () => {
    const { createScratchDatabase } = await import("@/lib/testing/scratch-database");
    const { default: postgres } = await import("postgres");
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "easel_migrate");
    try {
      const env = { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: "silent" };
      const runs = await Promise.all(
        Array.from({ length: 4 }, () =>
          run("node", ["--conditions=react-server", "--import", "tsx", "scripts/easel.ts", "migrate"], { env }),
        ),
      );
      for (const { stdout } of runs) expect(stdout).toContain("Migrations applied (postgres)");
      const journal = JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
      const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
      const [applied] = await sql`select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`;
      expect(applied).toEqual({ n: journal.entries.length, distinct: journal.entries.length });
      const locks = await sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`;
      expect(locks[0]!.n).toBe(0);
      await sql.end();
    } finally {
      await scratch.drop();
    }
  });
});
