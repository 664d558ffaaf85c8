import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { getDb, withTransaction } from "@/db/client";
import { apiKeys, type ApiKey } from "@/db/schema";
import { createApiKey, listApiKeys, revokeApiKey, type KeyOptions, type Principal } from "@/lib/auth/api-keys";
import { forgetAccountKeys } from "@/lib/auth/key-cache";
import { AccessDenied, NotFound } from "@/lib/errors";
import { periodStart } from "./periods";
import type { KeyChanges } from "./requests";
import { recountKeySpend } from "./spend";

// API keys as the API and the keys page manage them, scoped to the caller's account: another
// account's key is, to this caller, not found. Keys are made and changed by their owner signed
// in (the dashboard, or the API with its session) — never by a key, which could otherwise make
// itself a key without its own limit, scopes or expiry.

const keyNotFound = () => new NotFound("api_key_not_found", "No API key with that id exists on this account.", "id");

function requireOwnerSession(principal: Principal): void {
  if (principal.apiKeyId !== null) {
    throw new AccessDenied("key_scope", "API keys are created and changed by their owner signed in (the dashboard), not with an API key.");
  }
}

export async function listKeys(input: { accountId: string }): Promise<ApiKey[]> {
  return listApiKeys(input);
}

export async function getKey(input: { accountId: string; keyId: string }): Promise<ApiKey> {
  const db = await getDb();
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.accountId, input.accountId), isNull(apiKeys.revokedAt)));
  if (!key) throw keyNotFound();
  return key;
}

export async function createKey(principal: Principal, input: { name: string } & KeyOptions) {
  requireOwnerSession(principal);
  return createApiKey({ accountId: principal.accountId, ...input });
}

/**
 * Renames a key, changes its scopes, or sets, changes or removes its spend limit. A new limit
 * or period counts the key's spend in the current period afresh from its jobs, in the same
 * transaction, so a limit set today already counts what the key spent today.
 */
export async function updateKey(principal: Principal, input: { keyId: string } & KeyChanges, now = new Date()): Promise<ApiKey> {
  requireOwnerSession(principal);
  const updated = await withTransaction(async (tx) => {
    const [key] = await tx
      .update(apiKeys)
      .set({
        name: input.name,
        scopes: input.scopes,
        ...(input.spendLimit === undefined
          ? {}
          : { spendLimitMicros: input.spendLimit?.micros ?? null, spendLimitPeriod: input.spendLimit?.period ?? null }),
      })
      .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.accountId, principal.accountId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!key) throw keyNotFound();
    if (!input.spendLimit) {
      if (input.spendLimit === null) await tx.update(apiKeys).set({ spentMicros: 0n, spendPeriodStart: null }).where(eq(apiKeys.id, key.id));
    } else {
      await recountKeySpend(tx, { keyId: key.id, periodStart: periodStart(input.spendLimit.period, now) });
    }
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    return row!;
  });
  // New scopes hold from this instance's next request; other instances hear of it from the database.
  forgetAccountKeys(principal.accountId);
  return updated;
}

export async function revokeKey(principal: Principal, input: { keyId: string }): Promise<void> {
  requireOwnerSession(principal);
  if (!(await revokeApiKey({ accountId: principal.accountId, keyId: input.keyId }))) throw keyNotFound();
}
