// GET /v1/balance — the caller's balance, held and available credit, and tier
import { getBalance } from "@/lib/billing/balance";
import { balanceJson } from "@/lib/billing/present";
import { balanceSchema } from "@/lib/billing/schemas";
import { api, reply } from "@/lib/http/api";

export const GET = api(
  async ({ principal }) => {
    const balance = await getBalance({ accountId: principal.accountId });
    if (!balance) throw new Error(`Account ${principal.accountId} of a valid key does not exist`);
    return reply(balanceSchema, balanceJson(balance));
  },
  { auth: "key-or-session" },
);
