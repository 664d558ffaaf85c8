// GET /v1/balance — the caller's balance, held and available credit, and tier
// PATCH /v1/balance — set (or turn off) the low-balance alert's threshold
import { getBalance } from "@/lib/billing/balance";
import { parseBalanceSettings } from "@/lib/billing/balance-settings";
import { setLowBalanceThreshold } from "@/lib/billing/low-balance";
import { balanceJson } from "@/lib/billing/present";
import { balanceSchema } from "@/lib/billing/schemas";
import { api, reply } from "@/lib/http/api";
import { readJson } from "@/lib/http/body";

async function answer(accountId: string) {
  const balance = await getBalance({ accountId });
  if (!balance) throw new Error(`Account ${accountId} of a valid key does not exist`);
  return reply(balanceSchema, balanceJson(balance));
}

export const GET = api(async ({ principal }) => answer(principal.accountId), { auth: "key-or-session" });

export const PATCH = api(
  async ({ request, principal }) => {
    const { thresholdMicros } = parseBalanceSettings(await readJson(request));
    await setLowBalanceThreshold({ accountId: principal.accountId, thresholdMicros });
    return answer(principal.accountId);
  },
  { auth: "key-or-session" },
);
