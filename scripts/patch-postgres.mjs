// Runs after `npm install` (the postinstall script): mends postgres.js 3.4.9, whose connection
// can write to a socket it has already dropped. When the server ends a connection (a restart, a
// pooler, `pg_terminate_backend`), a query still addressed to it — a transaction's rollback, a
// reserved connection — schedules a write that runs on a timer after the socket is gone and
// throws `TypeError: Cannot read properties of null (reading 'write')` where no caller can catch
// it: the process dies (porsager/postgres#1154, #1208; the fix proposed upstream in #1209 is not
// released). And a write buffered when the socket closes leaves its timer marked as pending, so
// that connection never flushes again and its queries hang.
//
// The mend, the same in the ESM and CommonJS builds: a write with no socket rejects the
// connection's queries as CONNECTION_CLOSED (they settle, and the pool reconnects), and closing
// or terminating a connection forgets what it had buffered. db/driver.test.ts checks it.
// Idempotent; any other version of postgres.js is left alone, with a warning.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MARK = "/* easel: mended */";
const PATCHES = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  // terminate() and closed(): the cleared timer must not stay marked as pending.
  ["    clearImmediate(nextWriteTimer)\n    if (socket) {", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {"],
  ["    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"],
];

let root;
try {
  // The package's exports hide package.json; its CommonJS entry is cjs/src/index.js.
  root = path.resolve(path.dirname(createRequire(import.meta.url).resolve("postgres")), "../..");
} catch {
  process.exit(0); // not installed (yet): nothing to mend
}
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
if (version !== "3.4.9") {
  console.warn(`scripts/patch-postgres.mjs: postgres.js ${version} is not 3.4.9; left as it is (check whether it still needs mending).`);
  process.exit(0);
}
for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const target = path.join(root, file);
  let source = fs.readFileSync(target, "utf8");
  if (source.includes(MARK)) continue;
  for (const [from, to] of PATCHES) {
    if (source.split(from).length !== 2) throw new Error(`scripts/patch-postgres.mjs: ${file} does not read as expected`);
    source = source.replace(from, to);
  }
  fs.writeFileSync(target, source);
  console.log(`scripts/patch-postgres.mjs: mended postgres/${file}`);
}
