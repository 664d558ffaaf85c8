// The Postgres driver (postgres.js 3.4.9) and connections that the server ends: the process must
// survive it, every query must settle, as a rejection the caller can catch, and a transaction's
// queries must never run on another session. Unpatched, the driver writes to a socket it has
// already dropped, from a timer, and the process dies of an uncaught TypeError
// (porsager/postgres#1154, #1208); a transaction's callback that runs on after its connection
// closed has its queries run in whatever session the pool reconnected, and queries it had queued
// never settle (#1186, #1215). `scripts/patch-postgres.mjs` mends both at install. Each scenario
// runs in a child process, so that a crash is seen, not suffered.
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
const activeIn = async (pid, text) => {
  for (;;) {
    const [row] = await killer\`select 1 from pg_stat_activity where pid = \${pid} and state = 'active' and query like \${"%" + text + "%"}\`;
    if (row) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
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

  test("a reserved connection whose backend was terminated, and reconnected by the pool: the old reservation's query rejects, never runs in the new session", { timeout: 120_000 }, () => {
    const { code, out, err } = run(`${prelude}
      const one = postgres(process.env.PGURL, { max: 1, onnotice: () => {} });
      const reserved = await one.reserve();
      const [{ pid }] = await reserved\`select pg_backend_pid() as pid\`;
      await kill(pid);
      console.log((await answers(() => one\`select 7 as n\`))[0].n);
      console.log(await settle(reserved\`select 'stale' as who\`));
      console.log((await one\`select 8 as n\`)[0].n);
      process.exit(0);`);
    expect(err).not.toContain("TypeError");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(["7", "rejected CONNECTION_CLOSED", "8"]);
  });

  test("a transaction's callback that runs on after its connection closed: its query rejects, never runs in the session the pool reconnected", { timeout: 120_000 }, () => {
    const { code, out, err } = run(`${prelude}
      const one = postgres(process.env.PGURL, { max: 1, onnotice: () => {} });
      let lateQuery;
      const asked = new Promise((resolve) => (lateQuery = resolve));
      let carryOn;
      const gate = new Promise((resolve) => (carryOn = resolve));
      const first = one.begin(async (tx) => {
        const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
        await kill(pid);
        await gate;
        const late = settle(tx\`select 'first' as who\`);
        lateQuery(late);
        await late;
      });
      console.log(await settle(first));
      // The one connection is reconnected for a second transaction; the first callback goes on meanwhile.
      const second = one.begin(async (tx) => {
        const [{ who }] = await tx\`select 'second' as who\`;
        carryOn();
        console.log(await (await asked));
        const [{ again }] = await tx\`select 'second again' as again\`;
        console.log(who + ", " + again);
      });
      console.log(await settle(second));
      console.log((await answers(() => one\`select 5 as n\`))[0].n);
      process.exit(0);`);
    expect(err).not.toContain("TypeError");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(["rejected CONNECTION_CLOSED", "rejected CONNECTION_CLOSED", "second, second again", "resolved", "5"]);
  });

  test("queries queued in a transaction when its connection closes: they reject, and the next session is not given the old one's error", { timeout: 120_000 }, () => {
    const { code, out, err } = run(`${prelude}
      const one = postgres(process.env.PGURL, { max: 1, onnotice: () => {} });
      const outcome = one.begin(async (tx) => {
        const [{ pid }] = await tx\`select pg_backend_pid() as pid\`;
        const inFlight = settle(tx\`select pg_sleep(5), \${1}::int as n\`);
        const queued = settle(tx\`select 2 as n\`);
        await activeIn(pid, "pg_sleep");
        await kill(pid);
        console.log(await inFlight);
        console.log(await queued);
      });
      console.log((await settle(outcome)).split(" ")[0]);
      console.log(await settle(one\`select 6 as n\`.then((rows) => rows[0].n)));
      process.exit(0);`);
    expect(err).not.toContain("TypeError");
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual(["rejected CONNECTION_CLOSED", "rejected CONNECTION_CLOSED", "rejected", "resolved"]);
  });
});
