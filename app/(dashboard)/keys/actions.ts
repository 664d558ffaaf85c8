"use server";
// Server actions of the API keys page. Next.js checks their Origin; each acts for the
// signed-in user's own account only.

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { currentAccount } from "@/lib/auth/current";

export type CreatedKey = { secret: string; name: string } | { error: string };

export async function createKeyAction(name: string): Promise<CreatedKey> {
  const me = await currentAccount();
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 64) return { error: "Name the key in 1 to 64 characters." };
  const { key, secret } = await createApiKey({ accountId: me.accountId, name: trimmed });
  revalidatePath("/keys");
  return { secret, name: key.name };
}

export async function revokeKeyAction(keyId: string): Promise<{ revoked: boolean }> {
  const me = await currentAccount();
  const revoked = await revokeApiKey({ accountId: me.accountId, keyId });
  revalidatePath("/keys");
  return { revoked };
}
