import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb, preparedQuery } from "@/db/client";
import { apiKeys, creditAccounts, type KeyScope, type KeySpendPeriod } from "@/db/schema";
import { Unauthenticated } from "@/lib/errors";
import { logger } from "@/lib/http/logger";
import { newId } from "@/lib/ids";
import { generateApiKey, hashApiKey, isWellFormedApiKey } from "./api-key-format";
import { cachedKeyLookup, forgetAccountKeys } from "./key-cache";

/**
 * Who is calling: the account whose credit and jobs a request touches, and its lifetime
 * deposits as of this request (they set its tier, and so its limits, unless support set the
 * tier: `tierOverride`). `scopes` is what the key may do; absent (the dashboard's session), everything.
 */
export type Principal = {
  accountId: string;
  apiKeyId: string | null;
  lifetimeDepositsMicros: bigint;
  scopes?: readonly KeyScope[];
  tierOverride?: { tier: number; until: Date | null } | null;
};

/** What a new key may carry besides its name. */
export type KeyOptions = {
  scopes?: KeyScope[];
  expiresAt?: Date | null;
  spendLimit?: { micros: bigint; period: KeySpendPeriod } | null;
};

/** `last_used_at` is refreshed at most this often, so that reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const invalidKey = (message: string) => new Unauthenticated("invalid_api_key", message);

export async function createApiKey(input: { accountId: string; name: string } & KeyOptions) {
  const { secret, prefix, hash } = generateApiKey();
  const db = await getDb();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId("key"),
      accountId: input.accountId,
      name: input.name,
      prefix,
      secretHash: hash,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
      spendLimitMicros: input.spendLimit?.micros ?? null,
      spendLimitPeriod: input.spendLimit?.period ?? null,
    })
    .returning();
  // The secret is returned this once and never stored.
  return { key: row!, secret };
}

export async function listApiKeys(input: { accountId: string }) {
  const db = await getDb();
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.accountId, input.accountId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.id));
}

/** Revokes one of the account's keys; false when it has no such live key. */
export async function revokeApiKey(input: { accountId: string; keyId: string }): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.accountId, input.accountId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  // Other instances hear of it from the database; this one must not wait for that.
  forgetAccountKeys(input.accountId);
  return rows.length === 1;
}

/**
 * Resolves a bearer secret to its account. A malformed key or a bad checksum is refused before
 * any query. The lookup is cached (key-cache.ts); a revoked key still fails on its very next
 * request, because a revocation evicts it everywhere.
 */
export async function authenticateApiKey(secret: string): Promise<Principal> {
  if (!isWellFormedApiKey(secret)) throw invalidKey("The API key is malformed. Check that it was copied whole.");
  const hash = hashApiKey(secret);
  const key = await cachedKeyLookup(hash, () => findKey(hash));
  if (!key) throw invalidKey("The API key is not valid.");
  if (key.revokedAt) throw invalidKey("The API key has been revoked.");
  const now = Date.now();
  if (key.expiresAt && key.expiresAt.getTime() <= now) throw invalidKey(`The API key expired at ${key.expiresAt.toISOString()}.`);

  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // The cached row is the one updated, so that the requests after this one do not write too.
    key.lastUsedAt = new Date(now);
    const db = await getDb();
    // Not awaited: bookkeeping must not slow or fail the request it describes.
    db.update(apiKeys)
      .set({ lastUsedAt: key.lastUsedAt })
      .where(eq(apiKeys.id, key.id))
      .then(
        () => {},
        (error: unknown) => logger.warn({ err: error, keyId: key.id }, "could not record api key use"),
      );
  }
  return {
    accountId: key.accountId,
    apiKeyId: key.id,
    lifetimeDepositsMicros: key.lifetimeDepositsMicros,
    scopes: key.scopes,
    tierOverride: key.tierOverride === null ? null : { tier: key.tierOverride, until: key.tierOverrideUntil },
  };
}

/** The key of a secret hash, with what of its account sets its limits: a query built once. */
const keyByHash = preparedQuery((db) =>
  db
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      expiresAt: apiKeys.expiresAt,
      scopes: apiKeys.scopes,
      lifetimeDepositsMicros: creditAccounts.lifetimeDepositsMicros,
      tierOverride: creditAccounts.tierOverride,
      tierOverrideUntil: creditAccounts.tierOverrideUntil,
    })
    .from(apiKeys)
    .innerJoin(creditAccounts, eq(creditAccounts.id, apiKeys.accountId))
    .where(eq(apiKeys.secretHash, sql.placeholder("hash")))
    .limit(1)
    .prepare("api_key_by_hash"),
);

async function findKey(hash: string) {
  const [key] = await (await keyByHash()).execute({ hash });
  return key;
}
