// `npm run test:model -- --runs 10000 [--seed N]` — the model-based money campaign
// (lib/jobs/money-model.test.ts) with as many random command sequences as asked, on the Postgres
// database DATABASE_URL names (a scratch database is made next to it and dropped afterwards).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" }, seed: { type: "string" } } });
if (!process.env.DATABASE_URL) {
  console.error("npm run test:model needs DATABASE_URL (a local Postgres database): the model runs on Postgres only.");
  process.exit(2);
}
const env = { ...process.env, EASEL_MODEL_RUNS: values.runs, ...(values.seed ? { EASEL_MODEL_SEED: values.seed } : {}) };
const result = spawnSync("npx", ["vitest", "run", "lib/jobs/money-model.test.ts"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
