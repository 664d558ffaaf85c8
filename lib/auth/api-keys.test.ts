import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getDb } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { createTestAccount, eventually } from "@/lib/testing/fixtures";
import { authenticateApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { hashApiKey } from "./api-key-format";

const lastUsed = async (keyId: string) => {
  const [row] = await (await getDb()).select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, keyId));
  return row?.at ?? null;
};

describe("API keys", () => {
  test("only the SHA-256 of the secret is stored", async () => {
    const { key, secret } = await createTestAccount();
    const [row] = await (await getDb()).select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.secretHash).toBe(hashApiKey(secret));
    expect(JSON.stringify(row, (_, value: unknown) => (typeof value === "bigint" ? String(value) : value))).not.toContain(secret);
  });

  test("last_used_at is recorded on use, at most once a minute", async () => {
    const { key, secret } = await createTestAccount();
    expect(await lastUsed(key.id)).toBeNull();
    await authenticateApiKey(secret);
    const first = await eventually(async () => (await lastUsed(key.id)) ?? undefined, 5_000, "last_used_at");
    for (let i = 0; i < 5; i++) await authenticateApiKey(secret);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await lastUsed(key.id)).toEqual(first);
  });

  test("revoking lists the key no more and refuses it at once; another account cannot revoke it", async () => {
    const owner = await createTestAccount();
    const stranger = await createTestAccount();
    expect(await revokeApiKey({ accountId: stranger.account.id, keyId: owner.key.id })).toBe(false);
    await expect(authenticateApiKey(owner.secret)).resolves.toMatchObject({ apiKeyId: owner.key.id });
    expect(await revokeApiKey({ accountId: owner.account.id, keyId: owner.key.id })).toBe(true);
    await expect(authenticateApiKey(owner.secret)).rejects.toMatchObject({ name: "Unauthenticated", code: "invalid_api_key" });
    expect(await listApiKeys({ accountId: owner.account.id })).toEqual([]);
  });
});
