// The Postgres driver (postgres.js 3.4.9) and connections that the server ends: the process must
// survive it and every query must settle, as a rejection the caller can catch. Unpatched, the
// driver writes to a socket it has already dropped, from a timer, and the process dies of an
// uncaught TypeError (porsager/postgres#1154, #1208); `scripts/patch-postgres.mjs` fixes it at
// install. Each scenario runs in a child process, so that a crash is seen, not suffered.
import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";

function run(script: string) {
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, PGURL: process.env.DATABASE_URL },
    encoding: "utf8",
    timeout: 90_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const prelude = `
import postgres from "postgres";
const sql = postgres(process.env.PGURL, { max: 2, onnotice: () => {} });
const killer = postgres(process.env.PGURL, { max: 1, onnotice: () => {} });
const kill = (pid) => killer\`select pg_terminate_backend(\${pid})\`;
const settle = (promise) => Promise.race([
  promise.then(() => "resolved", (error) => "rejected " + error.code),
  new Promise((resolve) => setTimeout(() => resolve("hung"), 15000)),
]);
// The pool answers again — though, on a loaded machine, a query may first be given a connection
// whose end the server has sent and the driver not yet read: that query rejects (as it should,
// catchably), and the next one answers.
const answers = async (query) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await query();
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
};
`;

describe.runIf(process.env.DATABASE_URL)("postgres.js when the server ends its connections", () => {
  test("a reserved connection whose backend was terminated: later queries reject, the process lives", { timeout: 120_000 }, () => {
    const { code, out, err } = run(`${prelude}
      const reserved = await sql.reserve();
      const [{ pid }] = await reserved\`select pg_backend_pid() as pid\`;
      await kill(pid);
      await new Promise((resolve) => setTimeout(resolve, 100));
      console.log(await settle(reserved\`select 1\`));
      console.log(await settle(reserved\`select 2\`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      console.log((await answers(() => sql\`select 3 as n\`))[0].n);
      console.log("alive");
      process.exit(0);`);
    expect(err).not.toContain("TypeError");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual([expect.stringMatching(/^rejected/), expect.stringMatching(/^rejected/), "3", "alive"]);
  });

  test("a transaction whose backend was terminated mid-way: it rejects, the process lives, the pool still answers", { timeout: 120_000 }, () => {
    const { code, out, err } = run(`${prelude}
      for (let round = 0; round < 5; round++) {
        const outcome = await settle(sql.begin(async (tx) => {
          const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
          await kill(pid);
          await new Promise((resolve) => setTimeout(resolve, 50));
          await tx\`select 1\`;
        }));
        console.log(outcome.startsWith("rejected") ? "rejected" : outcome);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      console.log((await answers(() => sql\`select 4 as n\`))[0].n);
      console.log("alive");
      process.exit(0);`);
    expect(err).not.toContain("TypeError");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual([...Array(5).fill("rejected"), "4", "alive"]);
  });
});
