// `npm test` runs the browser suite after the unit suite when Chromium is installed (CI
// installs Debian's), and says plainly when it is not.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  console.warn(`\n${chromium} is not installed: the end-to-end suite did not run. Install Debian's chromium, then: npm run test:e2e\n`);
  process.exit(0);
}
const run = spawnSync("npm", ["run", "test:e2e"], { stdio: "inherit" });
process.exit(run.status ?? 1);
