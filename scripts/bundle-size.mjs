// `npm run bundle-size` (after `npm run build`): first-load JavaScript per route, gzipped, from
// Next's own route bundle stats. Fails when a budgeted route is over its budget.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** Routes with a budget, in kB (1,000 bytes) of gzipped first-load JS. */
// 185: the composer carries the client typed from the OpenAPI document (openapi-fetch, ~4 kB).
const BUDGETS = { "/compose": 185 };

const stats = JSON.parse(fs.readFileSync(".next/diagnostics/route-bundle-stats.json", "utf8"));
const sizeOf = new Map();
const gzipped = (file) => {
  if (!sizeOf.has(file)) sizeOf.set(file, gzipSync(fs.readFileSync(path.resolve(file)), { level: 9 }).length);
  return sizeOf.get(file);
};

let over = false;
const rows = stats
  .map((route) => ({ route: route.route, kb: route.firstLoadChunkPaths.reduce((sum, file) => sum + gzipped(file), 0) / 1000 }))
  .sort((a, b) => a.route.localeCompare(b.route));
for (const { route, kb } of rows) {
  const budget = BUDGETS[route];
  const verdict = budget === undefined ? "" : kb <= budget ? `  (budget ${budget} kB: ok)` : `  (budget ${budget} kB: OVER)`;
  if (budget !== undefined && kb > budget) over = true;
  console.log(`${route.padEnd(28)} ${kb.toFixed(1).padStart(7)} kB gzipped${verdict}`);
}
process.exit(over ? 1 : 0);
