// Runs after `npm install` (the postinstall script): mends postgres.js 3.4.9 where a connection
// that the server ends (a restart, a pooler, `pg_terminate_backend`) leaves it broken.
//
// 1. A write to a socket already dropped. A query still addressed to the ended connection (a
//    transaction's rollback, a reserved connection) schedules a write that runs on a timer after
//    the socket is gone and throws `TypeError: Cannot read properties of null (reading 'write')`
//    where no caller can catch it: the process dies (porsager/postgres#1154, #1208). And a write
//    buffered when the socket closes leaves its timer marked as pending, so that connection never
//    flushes again and its queries hang.
// 2. A transaction or a reserved connection that outlives its connection. `sql.begin` rejects
//    when its connection closes, but its callback runs on, and the pool soon reconnects that
//    same connection object for other work: the callback's next queries (and its rollback) were
//    executed on the new session, outside any transaction, and its answers went to other queries;
//    queries queued inside the transaction never settled (#1186, #1215). Seen here as
//    transactions that never settled, one in a dozen under a saturated CPU.
// 3. What one session leaves on the connection object: the query in flight and the server's
//    last error (a terminated backend's FATAL) stayed set after the close, so that the next
//    session's first queries were queued behind a query long gone, or failed with its error.
//
// The mend, the same in the ESM and CommonJS builds: a write with no socket rejects the
// connection's queries as CONNECTION_CLOSED (they settle, and the pool reconnects); closing or
// terminating a connection forgets what it had buffered, its query in flight and its last error;
// a transaction's or a reservation's queries are run only while the connection is still theirs —
// afterwards, and for those queued when it closes, they reject as CONNECTION_CLOSED.
// db/driver.test.ts checks it. Idempotent; any other version of postgres.js is left alone, with a
// warning.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MARK = "/* easel: mended 2 */";
const EARLIER_MARK = "/* easel: mended */";
const CLOSED = "Errors.connection('CONNECTION_CLOSED', options)";

const PATCHES = {
  "connection.js": [
    [
      "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
      `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(${CLOSED})\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
    ],
    // terminate() and closed(): the cleared timer must not stay marked as pending.
    ["    clearImmediate(nextWriteTimer)\n    if (socket) {", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {"],
    ["    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"],
    // closed(): once its queries are rejected, nothing of the ended session is kept.
    [
      "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
      "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    query = results = errorResponse = null\n    result = new Result()\n",
    ],
  ],
  "index.js": [
    // reserve(): queries only while the connection is still reserved for this handle.
    [
      "    c.reserved.release = true\n",
      `    c.reserved.release = true\n    ${MARK}\n    const owned = c.reserved\n    c.onclose = error => { while (queue.length) queue.shift().reject(error) }\n`,
    ],
    [
      "    function handler(q) {\n      c.queue === full\n        ? queue.push(q)",
      `    function handler(q) {\n      if (c.reserved !== owned)\n        return q.reject(${CLOSED})\n      c.queue === full\n        ? queue.push(q)`,
    ],
    // begin(): the same for a transaction, its commit and rollback included.
    ["      , connection\n      , prepare = null\n", "      , connection\n      , prepare = null\n      , owned = null\n"],
    [
      "        new Promise((_, reject) => connection.onclose = reject)",
      `        new Promise((_, reject) => connection.reserved === owned\n          ? connection.onclose = error => {\n            while (queries.length) queries.shift().reject(error)\n            reject(error)\n          }\n          : reject(${CLOSED}))`,
    ],
    [
      "        q.catch(e => uncaughtError || (uncaughtError = e))\n        c.queue === full",
      `        q.catch(e => uncaughtError || (uncaughtError = e))\n        if (c.reserved !== owned)\n          return q.reject(${CLOSED})\n        c.queue === full`,
    ],
    [
      "      c.reserved = () => queries.length\n        ? c.execute(queries.shift())\n        : move(c, reserved)\n",
      "      c.reserved = () => queries.length\n        ? c.execute(queries.shift())\n        : move(c, reserved)\n      owned = c.reserved\n",
    ],
  ],
};

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
for (const build of ["src", "cjs/src"]) {
  for (const [name, patches] of Object.entries(PATCHES)) {
    const file = `${build}/${name}`;
    const target = path.join(root, file);
    let source = fs.readFileSync(target, "utf8");
    if (source.includes(MARK)) continue;
    if (source.includes(EARLIER_MARK)) {
      throw new Error(`scripts/patch-postgres.mjs: postgres/${file} has an earlier mend; reinstall it (rm -rf node_modules/postgres && npm install)`);
    }
    for (const [from, to] of patches) {
      if (source.split(from).length !== 2) throw new Error(`scripts/patch-postgres.mjs: ${file} does not read as expected`);
      source = source.replace(from, to);
    }
    fs.writeFileSync(target, source);
    console.log(`scripts/patch-postgres.mjs: mended postgres/${file}`);
  }
}
