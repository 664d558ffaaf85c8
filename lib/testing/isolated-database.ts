// Import first in a test file that runs workers: on Postgres it gives the file a database of
// its own, so that workers of other test files never claim its jobs (and its workers never
// claim theirs). Worker processes the file spawns inherit it through DATABASE_URL. On PGlite
// every test file has its own in-memory database already.
import { afterAll } from "vitest";
import { disconnect } from "@/db/client";
import { createScratchDatabase } from "./scratch-database";

const base = process.env.DATABASE_URL;
if (base) {
  const scratch = await createScratchDatabase(base, "easel_test");
  process.env.DATABASE_URL = scratch.url;
  afterAll(async () => {
    await disconnect();
    await scratch.drop();
  });
}
