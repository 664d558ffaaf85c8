// The key cache never answers with what the database no longer says: a key revoked here is
// refused on the very next request; a key or account changed by anyone else (another app
// instance, an operator's SQL) is seen changed as soon as the database announces the commit.
// A database of its own on Postgres: the changes made here by plain SQL bypass the ledger.
import "@/lib/testing/isolated-database";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, test } from "vitest";
import { connect, getDb } from "@/db/client";
import { apiKeys, creditAccounts } from "@/db/schema";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { authenticateApiKey, revokeApiKey } from "./api-keys";
import { cachedKeyLookup, forgetAccountKeys } from "./key-cache";

/** SQL run as another app instance would: on a connection of its own, never through this process's cache. */
async function asAnotherInstance(statement: (sql: postgres.Sql) => Promise<unknown>, viaThisProcess: () => Promise<unknown>) {
  const connection = await connect();
  if (connection.driver !== "postgres") return viaThisProcess(); // PGlite is one process: same database, same notifications
  const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await statement(other);
  } finally {
    await other.end();
  }
}

const refused = (secret: string) =>
  authenticateApiKey(secret).then(
    () => undefined,
    (error: { name?: string; code?: string }) => (error.name === "Unauthenticated" && error.code === "invalid_api_key" ? true : undefined),
  );

describe("API key cache", () => {
  test("a key revoked in this process is refused on the very next request", async () => {
    const { account, key, secret } = await createTestAccount();
    for (let i = 0; i < 3; i++) await expect(authenticateApiKey(secret)).resolves.toMatchObject({ apiKeyId: key.id });
    expect(await revokeApiKey({ accountId: account.id, keyId: key.id })).toBe(true);
    await expect(authenticateApiKey(secret)).rejects.toMatchObject({ name: "Unauthenticated", code: "invalid_api_key" });
  });

  test("a key revoked elsewhere (another instance, plain SQL) is refused once the commit is announced", async () => {
    const { key, secret } = await createTestAccount();
    await expect(authenticateApiKey(secret)).resolves.toMatchObject({ apiKeyId: key.id });
    await asAnotherInstance(
      (sql) => sql`update api_keys set revoked_at = now() where id = ${key.id}`,
      async () => (await getDb()).update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id)),
    );
    // Not within the TTL (5 s), but within the notification's delivery: the wait is bounded well below it.
    const started = Date.now();
    await eventually(() => refused(secret), 1_000, "the revoked key refused");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test("a deposit that changes the account's tier is seen on the next requests, not after the TTL", async () => {
    const { account, key, secret } = await createTestAccount();
    await expect(authenticateApiKey(secret)).resolves.toMatchObject({ lifetimeDepositsMicros: 0n });
    await asAnotherInstance(
      (sql) => sql`update credit_accounts set lifetime_deposits_micros = 250000000 where id = ${account.id}`,
      async () => (await getDb()).update(creditAccounts).set({ lifetimeDepositsMicros: 250_000_000n }).where(eq(creditAccounts.id, account.id)),
    );
    const principal = await eventually(async () => {
      const seen = await authenticateApiKey(secret);
      return seen.lifetimeDepositsMicros === 250_000_000n ? seen : undefined;
    }, 1_000, "the new lifetime deposits");
    expect(principal).toMatchObject({ accountId: account.id, apiKeyId: key.id, lifetimeDepositsMicros: 250_000_000n });
  });

  test("a tier set by support, or a key's scopes changed, is seen on the next requests", async () => {
    const { account, key, secret } = await createTestAccount();
    await expect(authenticateApiKey(secret)).resolves.toMatchObject({ tierOverride: null });
    await asAnotherInstance(
      (sql) => sql`update credit_accounts set tier_override = 3 where id = ${account.id}`,
      async () => (await getDb()).update(creditAccounts).set({ tierOverride: 3 }).where(eq(creditAccounts.id, account.id)),
    );
    await eventually(async () => ((await authenticateApiKey(secret)).tierOverride?.tier === 3 ? true : undefined), 1_000, "the override");
    await asAnotherInstance(
      (sql) => sql`update api_keys set scopes = '{read}' where id = ${key.id}`,
      async () => (await getDb()).update(apiKeys).set({ scopes: ["read"] }).where(eq(apiKeys.id, key.id)),
    );
    await eventually(async () => ((await authenticateApiKey(secret)).scopes?.join() === "read" ? true : undefined), 1_000, "the new scopes");
  });

  test("a key deleted outright is refused; another account's key is not forgotten with it", async () => {
    const owner = await createTestAccount();
    const neighbour = await createTestAccount();
    await authenticateApiKey(owner.secret);
    await authenticateApiKey(neighbour.secret);
    await asAnotherInstance(
      (sql) => sql`delete from api_keys where id = ${owner.key.id}`,
      async () => (await getDb()).delete(apiKeys).where(eq(apiKeys.id, owner.key.id)),
    );
    await eventually(() => refused(owner.secret), 1_000, "the deleted key refused");
    await expect(authenticateApiKey(neighbour.secret)).resolves.toMatchObject({ apiKeyId: neighbour.key.id });
  });
});

const account = (id: string) => ({ accountId: id });

/** Behind a pooler in transaction mode without DATABASE_LISTEN_URL nothing is cached (key-cache.ts). */
const cacheOff = Boolean(process.env.DATABASE_URL) && process.env.DATABASE_PREPARE === "false" && !process.env.DATABASE_LISTEN_URL;

describe.runIf(cacheOff)("API key cache behind a pooler without a listen URL", () => {
  test("nothing is kept or shared: every request looks its key up", async () => {
    const hash = `hash-${Math.random()}`;
    let calls = 0;
    const lookup = async () => {
      calls++;
      return account("acct_d");
    };
    await Promise.all(Array.from({ length: 5 }, () => cachedKeyLookup(hash, lookup)));
    await cachedKeyLookup(hash, lookup);
    expect(calls).toBe(6);
  });
});

describe.skipIf(cacheOff)("API key cache, one lookup at a time", () => {
  /** A lookup that answers when told to, counting its calls. */
  function heldLookup<T>() {
    let calls = 0;
    const answers: Array<(value: T) => void> = [];
    const lookup = () => {
      calls++;
      return new Promise<T>((resolve) => answers.push(resolve));
    };
    return { lookup, calls: () => calls, answer: (index: number, value: T) => answers[index]!(value) };
  }

  test("concurrent requests for a key not cached share one lookup, and then the cache", async () => {
    const hash = `hash-${Math.random()}`;
    const held = heldLookup<{ accountId: string }>();
    const requests = Array.from({ length: 20 }, () => cachedKeyLookup(hash, held.lookup));
    await eventually(async () => (held.calls() === 1 ? true : undefined), 1_000, "the lookup");
    held.answer(0, account("acct_a"));
    const answers = await Promise.all(requests);
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toEqual(account("acct_a"));
    await expect(cachedKeyLookup(hash, held.lookup)).resolves.toEqual(account("acct_a"));
    expect(held.calls()).toBe(1);
  });

  test("a request after a change does not wait for a lookup that began before it, nor is that one kept", async () => {
    const hash = `hash-${Math.random()}`;
    const held = heldLookup<{ accountId: string; revoked: boolean }>();
    const early = cachedKeyLookup(hash, held.lookup);
    await eventually(async () => (held.calls() === 1 ? true : undefined), 1_000, "the first lookup");
    forgetAccountKeys("acct_b"); // e.g. the key revoked here
    const late = cachedKeyLookup(hash, held.lookup);
    await eventually(async () => (held.calls() === 2 ? true : undefined), 1_000, "a second lookup");
    held.answer(0, { accountId: "acct_b", revoked: false });
    held.answer(1, { accountId: "acct_b", revoked: true });
    await expect(early).resolves.toMatchObject({ revoked: false });
    await expect(late).resolves.toMatchObject({ revoked: true });
    await expect(cachedKeyLookup(hash, held.lookup)).resolves.toMatchObject({ revoked: true });
    expect(held.calls()).toBe(2);
  });

  test("a failed lookup fails its requests and is not kept: the next request looks again", async () => {
    const hash = `hash-${Math.random()}`;
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error("database gone");
    };
    const both = await Promise.allSettled([cachedKeyLookup(hash, failing), cachedKeyLookup(hash, failing)]);
    expect(both.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    await expect(cachedKeyLookup(hash, async () => account("acct_c"))).resolves.toEqual(account("acct_c"));
    expect(calls).toBe(1);
  });
});
