"use server";
// Server actions of the API keys page. Next.js checks their Origin; each acts for the
// signed-in user's own account only. What the form says is read by the API's own rules
// (lib/keys/requests.ts), so the page and PATCH /v1/keys/{id} accept exactly the same.

import { revalidatePath } from "next/cache";
import type { Principal } from "@/lib/auth/api-keys";
import { currentAccount } from "@/lib/auth/current";
import { DomainError } from "@/lib/errors";
import { createKey, revokeKey, updateKey } from "@/lib/keys/manage";
import { parseCreateKey, parseUpdateKey } from "@/lib/keys/requests";

export type CreatedKey = { secret: string; name: string } | { error: string };

/** What the key form sends: the limit as typed (empty: none), the scopes ticked, an expiry date (empty: never). */
export type KeyForm = { name: string; limitUsd: string; period: "day" | "month" | "total"; scopes: Array<"generate" | "read">; expiresOn?: string };

async function owner(): Promise<Principal> {
  const me = await currentAccount();
  return { accountId: me.accountId, apiKeyId: null, lifetimeDepositsMicros: 0n };
}

function limitOf(form: KeyForm) {
  const text = form.limitUsd.trim().replace(/^\$/, "");
  if (text === "") return null;
  const amount = Number(text);
  return { amount: Number.isFinite(amount) ? amount : -1, period: form.period };
}

const explain = (error: unknown): { error: string } => {
  if (error instanceof DomainError) return { error: error.message };
  throw error;
};

export async function createKeyAction(form: KeyForm): Promise<CreatedKey> {
  try {
    const expires = form.expiresOn?.trim() ? `${form.expiresOn.trim()}T00:00:00Z` : null;
    const input = parseCreateKey({ name: form.name, scopes: form.scopes, spend_limit: limitOf(form), expires_at: expires });
    const { key, secret } = await createKey(await owner(), input);
    revalidatePath("/keys");
    return { secret, name: key.name };
  } catch (error) {
    return explain(error);
  }
}

export async function updateKeyAction(keyId: string, form: KeyForm): Promise<{ ok: true } | { error: string }> {
  try {
    await updateKey(await owner(), { keyId, ...parseUpdateKey({ name: form.name, scopes: form.scopes, spend_limit: limitOf(form) }) });
    revalidatePath("/keys");
    return { ok: true };
  } catch (error) {
    return explain(error);
  }
}

export async function revokeKeyAction(keyId: string): Promise<{ revoked: boolean }> {
  try {
    await revokeKey(await owner(), { keyId });
  } catch (error) {
    if (error instanceof DomainError) return { revoked: false };
    throw error;
  }
  revalidatePath("/keys");
  return { revoked: true };
}
